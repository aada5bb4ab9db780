#!/bin/sh
# service-examples/readiness + readiness-user: notification-fd makes svstat
# report readiness, and the dependent service's `svc -wU ../readiness`
# holds it back until then.
. "$(dirname "$0")/lib.sh"
. "$TESTS/examples-lib.sh"
need svscan supervise svc svstat multilog

ex_copy readiness
ex_copy readiness-user
touch "$SCAN/readiness/down"            # held down until the test says so
ex_svscan
cd "$SCAN" || bail "no scan dir"

wait_for 10000 svstat_up readiness-user; ok $? "readiness-user is up"
# Its run script is blocked in svc -wU: a child process named svc.
waiting() {
  p=$(svpid readiness-user); [ -n "$p" ] || return 1
  for c in $(ps -o pid= --ppid "$p" 2>/dev/null); do
    case $(cat "/proc/$c/comm" 2>/dev/null) in svc) return 0 ;; esac
  done
  return 1
}
wait_for 10000 waiting; ok $? "readiness-user's run waits in svc -wU while readiness is down"
grep -q starting readiness-user/log/main/current 2>/dev/null
ok $((! $?)) "readiness-user has not started its program yet"

"$BIN/svc" -u readiness; ok $? "svc -u readiness"
wait_for 10000 grep -q 'starting' readiness-user/log/main/current
ok $? "readiness-user starts once readiness is ready"
st=$("$BIN/svstat" readiness)
case $st in *": up (pid "*", ready "*) r=0 ;; *) r=1; diag "svstat: $st" ;; esac
ok $r "svstat readiness reports up and ready"
# readiness as supervise recorded it: readiness's own "ready" line may reach
# its log (and get its stamp from its multilog) after readiness-user's line
ready_at=$("$BIN/svstat" -o readysince readiness)
case $ready_at in @*) ;; *) diag "readysince: $ready_at"; ready_at= ;; esac
start_at=$(grep 'starting$' readiness-user/log/main/current | head -n 1 | cut -c1-25)
if [ -n "$ready_at" ] && [ -n "$start_at" ]; then
  [ "$(tai_ns "$ready_at")" -le "$(tai_ns "$start_at")" ]; r=$?
else
  r=1
fi
ok $r "the dependent started after readiness signalled ($ready_at <= $start_at)"
"$BIN/svc" -wU -T 5000 readiness; ok $? "svc -wU returns at once for a ready service"

# Restarting readiness: the dependent keeps running (no ordering at stop).
old=$(svpid readiness)
"$BIN/svc" -t readiness
newpid() { p=$(svpid readiness); [ -n "$p" ] && [ "$p" != "$old" ]; }
wait_for 10000 newpid; ok $? "readiness restarts after svc -t"
cd / || exit 1
stop_svscan "readiness"
done_testing
