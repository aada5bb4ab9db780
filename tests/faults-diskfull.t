#!/bin/sh
# Fault 4: the log directory on a 256 kB tmpfs that fills up.  multilog
# stops reading (the producer is held back), loses and tears nothing, and
# writes again within 250 ms once space is freed.  Here the "operator" frees
# space by moving finished archives off the tmpfs; at the end the archives
# moved away plus current hold every line exactly once.
. "$(dirname "$0")/lib.sh"
. "$TESTS/svscan-lib.sh"
. "$TESTS/faults-lib.sh"
is_root || skip_all "needs root to mount a tmpfs"
have mount || skip_all "no mount(8)"
mkdir -p "$T/mnt"
mount -t tmpfs -o size=256k,mode=755 svkit-faults "$T/mnt" 2>/dev/null || skip_all "cannot mount a tmpfs here"
trap 'umount -l "$T/mnt" 2>/dev/null; t_cleanup' EXIT

ROUNDS=$(pick 1 5)
N=80000   # about 470 kB: more than the free space plus multilog's 256 kB pipe
sweep_archives() {
  for f in "$T/mnt/log/"@*; do
    [ -e "$f" ] || continue
    diag "archive $(basename "$f") left behind by a late rotation: moved too"
    mv "$f" "$T/moved/"
  done
}
# whole: every line of FILE... is a number, one more than the one before
whole() { cat "$@" | awk 'NR != $0 { bad = 1 } END { exit bad }'; }
lost=0 dup=0 rec=0 r=0 worst=0
while [ $r -lt "$ROUNDS" ]; do
  r=$((r+1))
  rm -rf "$T/mnt/log" "$T/mnt/filler" "$T/seqdone" "$T/ml.err" "$T/moved"
  mkdir "$T/moved"
  # leave about 40 kB free
  dd if=/dev/zero of="$T/mnt/filler" bs=4096 count=54 2>/dev/null
  spawn sh -c "{ seq 1 $N; : > '$T/seqdone'; } | exec '$BIN/multilog' s50000 n1000 '$T/mnt/log' 2>'$T/ml.err'"
  P=$spawn_pid
  wait_for 10000 grep -q "input paused" "$T/ml.err"; ok $? "round $r: multilog warns that the disk is full"
  wait_for 300 false
  [ ! -e "$T/seqdone" ]; ok $? "round $r: the producer is held back"
  alive "$P"; ok $? "round $r: multilog is still running"
  whole $(ls "$T/mnt/log/"@* 2>/dev/null) "$T/mnt/log/current"
  ok $? "round $r: what is on the full disk is whole lines, in order"
  # measured inside one process: forking cat, wc and date on every poll
  # would add their start-up (tens of ms on a loaded machine) to dt
  dt=$(perl -MTime::HiRes=time,sleep -e '
    my $d = $ARGV[0];
    sub size { my $n = 0; $n += (-s $_ || 0) for glob("$d/log/\@*"), "$d/log/current"; $n }
    my $s0 = size(); my $t0 = time;
    unlink "$d/filler";
    sleep 0.001 while size() == $s0 && time - $t0 < 5;
    printf "%d\n", (time - $t0) * 1000' "$T/mnt")
  [ $dt -gt $worst ] && worst=$dt
  ok $([ $dt -le 250 ]; echo $?) "round $r: writing resumed ${dt} ms after space was freed"
  # move finished archives away until the producer is done and multilog has
  # written the last line
  t1=$(now_ms)
  while [ $(( $(now_ms) - t1 )) -lt 30000 ]; do
    for f in "$T/mnt/log/"@*; do [ -e "$f" ] && mv "$f" "$T/moved/"; done
    [ -e "$T/seqdone" ] && grep -q "^$N\$" "$T/mnt/log/current" && break
    sleep 0.01
  done
  [ -e "$T/seqdone" ]; ok $? "round $r: the producer finished"
  # a rotation between the last sweep and the check above leaves an archive
  # behind; once the last line is in current there is no further rotation
  sweep_archives
  files="$(ls "$T/moved/"@* 2>/dev/null) $T/mnt/log/current"
  got=$(cat $files | wc -l)
  distinct=$(cat $files | sort -un | wc -l)
  is "$distinct" "$N" "round $r: every line is there"
  whole $files; ok $? "round $r: no line torn, lost or repeated"
  lost=$((lost + N - distinct)); dup=$((dup + got - distinct))
  [ "$distinct" = "$N" ] && [ $dt -le 250 ] && rec=$((rec+1))
  kill -TERM "$P" 2>/dev/null
  wait_for 5000 dead "$P"
done

# multilog killed with SIGKILL while the disk is full, under svscan (the pipe
# survives): its successor recovers current as a .u file, waits for space too,
# and in the end every line is there; duplicates are allowed, torn lines not
rm -rf "$T/mnt/log" "$T/moved"; mkdir "$T/moved" "$T/sv"
dd if=/dev/zero of="$T/mnt/filler" bs=4096 count=54 2>/dev/null
mkservice "$T/new.p" "seq 1 $N; exec sleep 100000"
mkservice "$T/new.p/log" "exec '$BIN/multilog' s50000 n1000 '$T/mnt/log'"
mv "$T/new.p" "$T/sv/p"
start_svscan "$T/sv"
wait_for 10000 grep -q "input paused" "$T/err"; ok $? "under svscan: multilog waits for space"
# multilog can warn before its supervise has written supervise/pid
wait_for 5000 svc_up "$T/sv/p/log"
M=$(pidfile_pid "$T/sv/p/log")
kill -KILL "$M"
newm() { p=$(pidfile_pid "$T/sv/p/log"); [ -n "$p" ] && [ "$p" != "$M" ] && alive "$p"; }
wait_for 10000 newm; ok $? "under svscan: a new multilog runs after the SIGKILL"
wait_for 5000 sh -c "[ \$(grep -c 'input paused' '$T/err') -ge 2 ]"; ok $? "and waits for space too"
bad=$(cat "$T/mnt/log/"@* "$T/mnt/log/current" 2>/dev/null | grep -cvE '^[0-9]+$')
is "$bad" 0 "under svscan: no torn line on the full disk after the kill"
rm -f "$T/mnt/filler"
t1=$(now_ms)
while [ $(( $(now_ms) - t1 )) -lt 30000 ]; do
  for f in "$T/mnt/log/"@*; do [ -e "$f" ] && mv "$f" "$T/moved/"; done
  grep -q "^$N\$" "$T/mnt/log/current" 2>/dev/null && break
  sleep 0.01
done
sweep_archives
files="$(ls "$T/moved/"@* 2>/dev/null) $T/mnt/log/current"
distinct=$(cat $files | sort -un | wc -l)
got=$(cat $files | wc -l)
is "$distinct" "$N" "under svscan: every line is there after the kill"
bad=$(cat $files | grep -cvE '^[0-9]+$')
is "$bad" 0 "under svscan: no torn line"
diag "kill while full: $((got - distinct)) duplicated lines"
lost=$((lost + N - distinct)); dup=$((dup + got - distinct))
[ "$distinct" = "$N" ] && [ "$bad" = 0 ] && rec=$((rec+1))
ROUNDS=$((ROUNDS + 1))
diag "worst resume delay: $worst ms"
fault_report disk-full "$ROUNDS" "$lost" "$dup" "$rec"
done_testing
