#!/bin/sh
# Fault 5: control abuse.  1 MB of random bytes into supervise/control,
# thousands of svc calls in a loop, svc from a user who does not own the
# directory: supervise survives, its state stays consistent, and neither its
# descriptors nor its memory grow.
. "$(dirname "$0")/lib.sh"
. "$TESTS/supervise-lib.sh"
. "$TESTS/faults-lib.sh"

CALLS=$(pick 1000 10000)
TAG="svkit-fault-ctl-$$"
cp "$(command -v sleep)" "$T/$TAG"
# the service ignores HUP, so that svc -h leaves it running
mkservice "$T/s" "trap '' HUP; exec '$T/$TAG' 100000"
sv_start "$T/s"
S=$svpid
wait_for 5000 is_up "$T/s"; ok $? "service up"
# supervise opens supervise/ok after its first status write: count it in fd0
wait_for 5000 "$BIN/svok" "$T/s"
fd0=$(nfds "$S"); rss0=$(rss_kb "$S")

# consistent: the status says up with a live pid that is supervise's child
# and the only instance
consistent() {
  p=$(svc_pid "$T/s")
  is_up "$T/s" && [ "$(ps -o ppid= -p "$p" | tr -d ' ')" = "$S" ] && [ "$(instances "$TAG")" = 1 ]
}

# 1 MB of random bytes, without 'x' (a legitimate "exit when down")
head -c 1100000 /dev/urandom | tr -d x | head -c 1048576 > "$T/junk"
timeout 60 sh -c 'cat "$1" > "$2"' sh "$T/junk" "$T/s/supervise/control"
ok $? "1 MB of random bytes written to control"
alive "$S"; ok $? "supervise survived the random bytes"
ctl "$T/s" cu
wait_for 10000 consistent; ok $? "after c and u: up, one instance, pid in the status is supervise's child"
# up to 64 kB of junk may still be queued after consistent() first holds
svstat_agrees() { "$BIN/svstat" "$T/s" | grep -q ": up (pid $(svc_pid "$T/s"))"; }
wait_for 5000 svstat_agrees; ok $? "svstat agrees"

# thousands of svc calls: HUP to the service, alternating pause/continue
i=0 fails=0
while [ $i -lt "$CALLS" ]; do
  case $((i % 3)) in
    0) "$BIN/svc" -h "$T/s" ;;
    1) "$BIN/svc" -p "$T/s" ;;
    2) "$BIN/svc" -c "$T/s" ;;
  esac || fails=$((fails+1))
  i=$((i+1))
done
is "$fails" 0 "$CALLS svc calls all succeeded"
"$BIN/svc" -cu "$T/s"
wait_for 5000 sh -c "! od -An -tu1 -j7 -N1 '$T/s/supervise/xstatus' | grep -qE '^ *[13579]'"
wait_for 10000 consistent; ok $? "still up, one instance, consistent status"
is "$(starts "$T/s")" "$(starts "$T/s")" "start count readable"
fd1=$(nfds "$S"); rss1=$(rss_kb "$S")
is "$fd1" "$fd0" "no descriptor growth ($fd0 -> $fd1)"
ok $([ $((rss1 - rss0)) -le 64 ]; echo $?) "no memory growth (VmRSS $rss0 -> $rss1 kB)"

# svc from a user who does not own the directory
if nobody_ok; then
  as_nobody "$BIN/svc" -d "$T/s" 2>"$T/nobody.err"
  is "$?" 111 "svc as nobody exits 111"
  grep -qi "permission denied" "$T/nobody.err"; ok $? "and says permission denied" || sed 's/^/# /' "$T/nobody.err"
  as_nobody "$BIN/svok" "$T/s" 2>/dev/null; r=$?
  ok $([ $r != 0 ]; echo $?) "svok as nobody does not claim success (exit $r)"
  consistent; ok $? "the service was not touched"
else
  skip "not root: cannot run svc as another user"
  skip "not root"; skip "not root"; skip "not root"
fi
# a stopped supervise with control full: svc fails at once, never blocks
kill -STOP "$S"
timeout 5 sh -c 'head -c 70000 /dev/zero | tr "\0" c | dd of="$1" oflag=nonblock bs=70000 2>/dev/null' sh "$T/s/supervise/control"
t0=$(now_ms)
timeout 5 "$BIN/svc" -u "$T/s" 2>"$T/full.err"; r=$?
dt=$(( $(now_ms) - t0 ))
is "$r" 111 "svc on a full control exits 111"
ok $([ $dt -lt 2000 ]; echo $?) "without blocking (${dt} ms)"
grep -q "unable to write" "$T/full.err"; ok $? "with a warning"
kill -CONT "$S"
wait_for 10000 consistent; ok $? "supervise resumes, state consistent"
alive "$S"; ok $? "supervise still runs"
fault_report control-abuse "$((CALLS + 2))" 0 0 "$(consistent && alive "$S" && echo $((CALLS + 2)) || echo 0)"
done_testing
