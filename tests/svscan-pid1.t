#!/bin/sh
# svscan as PID 1 of a new pid namespace: orphans left by a double-forking
# service are reaped (no zombie), and SIGTERM ends the namespace with exit 0.
. "$(dirname "$0")/lib.sh"
. "$TESTS/svscan-lib.sh"
[ -x "$BIN/svscan" ] && [ -x "$BIN/supervise" ] || skip_all "bin/svscan or bin/supervise not built"
is_root || skip_all "needs root (unshare -p)"
have unshare || skip_all "unshare (util-linux) not installed"
unshare -p -f --mount-proc true 2>/dev/null || skip_all "unshare -p -f --mount-proc does not work here"

mkdir "$T/sv"
mkservice "$T/sv/forker" "n=0
while [ \$n -lt 5 ]; do
  n=\$((n+1))
  sh -c '(sleep 0.1; touch $T/orphan.'\$n') & exit 0'
  sleep 0.02
done
exec sleep 1000"
mkservice "$T/sv/plain" 'exec sleep 1000'
mkservice "$T/sv/plain/log" "exec cat > $T/plain.log"
spawn unshare -p -f --mount-proc "$BIN/svscan" -k 2 "$T/sv" >"$T/out" 2>"$T/err"
U=$spawn_pid
getpid1() { SVSCAN=$(ps -o pid= --ppid "$U" | tr -d ' '); [ -n "$SVSCAN" ]; }
wait_for 5000 getpid1; ok $? "svscan runs under unshare"
track "$SVSCAN"
# pids in supervise/pid are namespace pids: check from the host through svscan's tree
descendants() { ps -e -o pid=,ppid= | awk -v r="$SVSCAN" '{p[$1]=$2} END {for (x in p) {y=x; while (y in p && y!=r && y>1) y=p[y]; if (y==r && x!=r) print x}}'; }
nservices() { [ "$(descendants | wc -l)" -ge 6 ]; }
wait_for 5000 nservices; ok $? "supervises and services started in the namespace"
is "$(cat /proc/$SVSCAN/status | awk '/^NSpid/ {print $3}')" 1 "svscan is PID 1 in the namespace"
wait_for 5000 test -e "$T/orphan.5"; ok $? "the service's orphans ran and exited"
zombies() { ps -o stat= --ppid "$SVSCAN" | grep -c '^Z'; }
nozombie() { [ "$(zombies)" = 0 ]; }
wait_for 3000 nozombie; ok $? "no zombie left under PID 1"
# more orphans exiting after a restart of the service
rm -f "$T"/orphan.*
kill -KILL "$(ps -o pid=,args= --ppid "$SVSCAN" | awk '$3=="forker" {print $1}' | xargs -I{} ps -o pid= --ppid {} | tr -d ' ')" 2>/dev/null
wait_for 5000 test -e "$T/orphan.5"; ok $? "restarted service made orphans again"
wait_for 3000 nozombie; ok $? "still no zombie"
tree=$(descendants | tr '\n' ' ')
kill -TERM "$SVSCAN"
wait "$U"; is "$?" 0 "SIGTERM: the namespace ends cleanly, exit 0"
left=
for p in $tree; do dead "$p" || left="$left $p"; done
is "$left" "" "no process of the namespace left"
done_testing
