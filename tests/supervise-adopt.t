#!/bin/sh
# supervise: a service left running by a SIGKILLed supervise is adopted by
# the next supervise (pid + start time from xstatus, checked in /proc).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/supervise-lib.sh"

S=$T/adopt
mkservice "$S" 'echo $$ >> starts; exec sleep 1000'
sv_start "$S"
wait_for 5000 is_up "$S"
wait_for 5000 test -s "$S/starts"   # up in xstatus: run may not have counted itself yet
p1=$(svc_pid "$S"); track "$p1"
sv1=$svpid
kill -KILL "$sv1"
wait_for 5000 dead "$sv1"; ok $? "first supervise killed with SIGKILL"
alive "$p1"; ok $? "its service still runs"
sv_start "$S"
wait_for 5000 sh -c '[ "$(od -An -tu4 --endian=little -j 56 -N4 "$1/supervise/xstatus" | tr -d " ")" = "$2" ]' sh "$S" "$svpid"
ok $? "second supervise took over xstatus"
is "$(svc_pid "$S")" "$p1" "the running service is adopted (same pid)"
is "$(state "$S")" 1 "state run"
is "$(count_lines "$S/starts")" 1 "no second copy started"
grep -q "adopting" "$S.err"; ok $? "a warning says so"
ctl "$S" t
wait_for 5000 dead "$p1"; ok $? "svc -t reaches the adopted service"
wait_for 5000 sh -c '[ "$(wc -l < "$1/starts")" -ge 2 ]' sh "$S"
ok $? "its exit is seen (pidfd) and it is restarted"
# up with another pid: an immediate restart is not recorded as down, so the
# old record (p1, up) stays until supervise has written the new one
up_not() { is_up "$1" && [ "$(svc_pid "$1")" != "$2" ]; }
wait_for 5000 up_not "$S" "$p1"
! has_flag "$S" $F_EXITED; ok $? "exit status of the adopted process unknown: EXITED flag clear"
p2=$(svc_pid "$S"); track "$p2"

# adopt again, then d
kill -KILL "$svpid"; wait_for 5000 dead "$svpid"
sv_start "$S"
wait_for 5000 sh -c '[ "$(od -An -tu4 --endian=little -j 56 -N4 "$1/supervise/xstatus" | tr -d " ")" = "$2" ]' sh "$S" "$svpid"
is "$(svc_pid "$S")" "$p2" "adopted again"
ctl "$S" d
wait_for 5000 is_down "$S"; ok $? "svc -d brings the adopted service down"
dead "$p2"; ok $? "process gone"

# stale record: the service died while no supervise ran -> fresh start
ctl "$S" u
wait_for 5000 is_up "$S"
p3=$(svc_pid "$S"); track "$p3"
kill -KILL "$svpid"; wait_for 5000 dead "$svpid"
kill -KILL "$p3"; wait_for 5000 dead "$p3"
n=$(count_lines "$S/starts")
sv_start "$S"
wait_for 5000 sh -c '[ "$(wc -l < "$1/starts")" -gt "$2" ]' sh "$S" "$n"
ok $? "a dead recorded pid is not adopted: run started afresh"
# the record of the SIGKILLed supervise (p3, up) stays until the new one writes
wait_for 5000 up_not "$S" "$p3"; ok $? "new pid"
track "$(svc_pid "$S")"
ctl "$S" dx
wait_for 5000 dead "$svpid"; ok $? "supervise exits"

done_testing
