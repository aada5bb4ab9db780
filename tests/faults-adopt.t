#!/bin/sh
# Fault 1: supervise killed with SIGKILL while its service runs, under svscan.
# svscan restarts supervise; the new supervise adopts the running service
# (xstatus pid + start time, pidfd): exactly one instance, svstat says up,
# svc -t and svc -d act on it, and its exit is noticed.
. "$(dirname "$0")/lib.sh"
. "$TESTS/svscan-lib.sh"
. "$TESTS/faults-lib.sh"

ROUNDS=$(pick 2 10)
mkdir -p "$T/sv"
# each start appends a line; the service is a sleep with a unique tag
TAG="svkit-fault-adopt-$$"
newservice a "exit 1"
# a copy of sleep whose path carries the tag, to count instances with ps
cp "$(command -v sleep)" "$T/$TAG"
printf '#!/bin/sh\necho $$ >> %s/starts\nexec %s/%s 100000\n' "$T" "$T" "$TAG" > "$T/sv/a/run"
start_svscan "$T/sv"
wait_for 10000 svc_up "$T/sv/a"; ok $? "service a up under svscan"

lost=0 dup=0 rec=0 r=0
while [ $r -lt "$ROUNDS" ]; do
  r=$((r+1))
  P=$(pidfile_pid "$T/sv/a")
  S=$(supervise_pid a)
  [ -n "$S" ] || { diag "no supervise for a"; lost=$((lost+1)); continue; }
  # supervise records the pid as soon as run is spawned: let run count
  # itself in starts and exec the tagged sleep before anything is counted
  counted() { grep -qx "$1" "$T/starts" && grep -qa "$TAG" "/proc/$1/cmdline"; }
  wait_for 5000 counted "$P" || diag "round $r: $P has not counted itself in starts"
  n0=$(wc -l < "$T/starts")
  kill -KILL "$S"
  new_sup() { s=$(supervise_pid a); [ -n "$s" ] && [ "$s" != "$S" ] && [ "$(svpid_of "$T/sv/a")" = "$s" ]; }
  wait_for 10000 new_sup; ok $? "round $r: svscan restarted supervise and it wrote its status"
  S2=$(supervise_pid a)
  is "$(pidfile_pid "$T/sv/a")" "$P" "round $r: the status still names the running pid $P"
  alive "$P"; ok $? "round $r: the original instance still runs"
  n1=$(wc -l < "$T/starts")
  is "$n1" "$n0" "round $r: no second copy was started"
  is "$(instances "$TAG")" 1 "round $r: exactly one instance runs"
  [ "$n1" != "$n0" ] && dup=$((dup+1))
  # the new supervise opens supervise/ok only after writing its status
  svstat_up() { "$BIN/svstat" "$T/sv/a" > "$T/svstat" 2>&1; grep -q ": up (pid $P)" "$T/svstat"; }
  wait_for 5000 svstat_up; ok $? "round $r: svstat says up (pid $P)" || cat "$T/svstat" | sed 's/^/# /'
  # svc -t: TERM goes to the adopted process; its exit is noticed and it restarts
  "$BIN/svc" -t "$T/sv/a"
  wait_for 5000 dead "$P"; ok $? "round $r: svc -t reached the adopted process"
  restarted() { p=$(pidfile_pid "$T/sv/a"); [ -n "$p" ] && [ "$p" != "$P" ] && alive "$p"; }
  wait_for 10000 restarted; ok $? "round $r: its exit was noticed and the service restarted"
  # the new run has not necessarily exec'd the tagged sleep yet
  one_instance() { [ "$(instances "$TAG")" = 1 ]; }
  wait_for 5000 one_instance; ok $? "round $r: still exactly one instance"
  if restarted && [ "$(supervise_pid a)" = "$S2" ]; then rec=$((rec+1)); else lost=$((lost+1)); fi
done
grep -q "adopting" "$T/err"; ok $? "supervise said it adopted the service"

# last: kill supervise, then svc -d on the adopted service
P=$(pidfile_pid "$T/sv/a"); S=$(supervise_pid a)
kill -KILL "$S"
wait_for 10000 new_sup; ok $? "supervise restarted once more"
"$BIN/svc" -d "$T/sv/a"
wait_for 5000 dead "$P"; ok $? "svc -d stopped the adopted process"
isdown() { "$BIN/svstat" "$T/sv/a" 2>/dev/null | grep -q ': down'; }
wait_for 5000 isdown; ok $? "svstat says down"
is "$(instances "$TAG")" 0 "no instance left running unsupervised"

# supervise killed while finish runs: the next supervise adopts the finish,
# and run starts again only after that finish has exited
mkdir "$T/f"
# run notes whether the finish recorded in $T/F is still alive as it starts
cat > "$T/f/run" <<EOR
#!/bin/sh
f=\$(cat '$T/F' 2>/dev/null); s=\$(cut -d' ' -f3 /proc/\$f/stat 2>/dev/null)
if [ -n "\$f" ] && [ -n "\$s" ] && [ "\$s" != Z ]; then echo run-beside-finish; else echo run; fi >> '$T/f.log'
exec sleep 0.2
EOR
# finish lasts 4 s: the next supervise must adopt it before it ends
printf '#!/bin/sh\necho finish >> %s/f.log\nexec %s/%s 4\n' "$T" "$T" "$TAG" > "$T/f/finish"
chmod 755 "$T/f/run" "$T/f/finish"
"$BIN/supervise" "$T/f" 2>"$T/f.err" & S=$!
# stat is written before pid, xstatus last: wait for xstatus to say finish
fin_recorded() { grep -qx finish "$T/f/supervise/stat" && [ "$(od -An -tu1 -j5 -N1 "$T/f/supervise/xstatus" | tr -d ' ')" = 2 ]; }
wait_for 5000 fin_recorded; ok $? "finish runs"
F=$(cat "$T/f/supervise/pid"); echo "$F" > "$T/F"
kill -KILL "$S"; wait "$S" 2>/dev/null
"$BIN/supervise" "$T/f" 2>>"$T/f.err" & S=$!; track $S
wait_for 5000 sh -c "[ \$(od -An -tu4 --endian=little -j 56 -N4 '$T/f/supervise/xstatus' | tr -d ' ') = $S ]"
ok $? "a new supervise took over"
is "$(cat "$T/f/supervise/pid")" "$F" "it adopted the finish still running"
n=$(grep -c run "$T/f.log")
wait_for 5000 dead "$F"; ok $? "the old finish ends"
wait_for 5000 sh -c "[ \$(grep -c run '$T/f.log') -gt $n ]"; ok $? "run starts again once it has exited"
is "$(grep -c run-beside-finish "$T/f.log")" 0 "no run was started while the old finish ran"

# cp -r of a running service with its logger, under svscan (issue 13 item
# 7): the copy's supervises start their own processes, svc -d on the copy
# and moving the copy out leave the original alone
mkservice "$T/new.app" 'echo $$ >> starts; exec sleep 100000'
mkservice "$T/new.app/log" 'echo $$ >> starts; exec cat > /dev/null'
mv "$T/new.app" "$T/sv/app"
wait_for 10000 svc_up "$T/sv/app" && wait_for 10000 svc_up "$T/sv/app/log"
ok $? "app and its logger up under svscan"
PA=$(pidfile_pid "$T/sv/app") PL=$(pidfile_pid "$T/sv/app/log")
ORIG="$PA $PL"
orig_ok() { # WHAT: the original's two processes still run, as its status says
  alive "$PA" && alive "$PL" && [ "$(pidfile_pid "$T/sv/app") $(pidfile_pid "$T/sv/app/log")" = "$ORIG" ]
  ok $? "$1: the original's app and logger still run ($ORIG)"
}
# copy DIR: the supervises of the copy DIR and DIR/log wrote their records
copy_sup() { for d in "$1" "$1/log"; do s=$(supervise_pid "$d"); [ -n "$s" ] && [ "$(svpid_of "$T/sv/$d")" = "$s" ] || return 1; done; }
own() { p=$(pidfile_pid "$T/sv/$1"); [ -n "$p" ] && alive "$p" && [ "$p" != "$PA" ] && [ "$p" != "$PL" ]; }
copy_round() { # NAME: the copy $T/sv/NAME is in the scan directory
  wait_for 10000 copy_sup "$1"; ok $? "$1: svscan started supervise on the copy and its log"
  wait_for 10000 own "$1"; ok $? "$1: the copy runs an app of its own" || "$BIN/svstat" "$T/sv/$1" | sed 's/^/# /'
  wait_for 10000 own "$1/log"; ok $? "$1: the copy runs a logger of its own" || "$BIN/svstat" "$T/sv/$1/log" | sed 's/^/# /'
  orig_ok "$1: copy running"
  "$BIN/svc" -d "$T/sv/$1/log" "$T/sv/$1"
  down() { [ -z "$(pidfile_pid "$T/sv/$1")" ] && [ -z "$(pidfile_pid "$T/sv/$1/log")" ]; }
  wait_for 10000 down "$1"; ok $? "$1: svc -d on the copy and its log: both down"
  orig_ok "$1: svc -d on the copy"
  mv "$T/sv/$1" "$T/out.$1"
  gone() { [ -z "$(supervise_pid "$1")" ] && [ -z "$(supervise_pid "$1/log")" ]; }
  wait_for 10000 gone "$1"; ok $? "$1: moved out, svscan stopped its supervises"
  orig_ok "$1: the copy moved out"
}
cp -r "$T/sv/app" "$T/copy.tmp"; mv "$T/copy.tmp" "$T/sv/copy"   # whole before svscan sees it
copy_round copy
cp -r "$T/sv/app" "$T/sv/copy2"                                   # svscan sees it half-copied
copy_round copy2
is "$(cat "$T/sv/app/starts" "$T/sv/app/log/starts" | wc -l | tr -d ' ')" 2 "the original was never restarted"
grep -q "not adopting" "$T/err"; ok $? "a warning said the copy's record was not adopted"
fault_report supervise-kill9 "$ROUNDS" "$lost" "$dup" "$rec"
done_testing
