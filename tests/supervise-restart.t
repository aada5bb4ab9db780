#!/bin/sh
# supervise: restart after a crash, the 1-second throttle of a crash loop
# (a deadline: control bytes are answered meanwhile), once mode.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/supervise-lib.sh"

# ---- restart after a crash ------------------------------------------------
S=$T/crash
mkservice "$S" 'echo $$ >> starts; exec sleep 1000'
sv_start "$S"
wait_for 5000 is_up "$S"
ok $? "service up"
p1=$(svc_pid "$S")
wait_for 5000 test -s "$S/starts"   # up in xstatus: run may not have counted itself yet
kill -KILL "$p1"
wait_for 5000 sh -c '[ "$(od -An -tu4 --endian=little -j 32 -N4 "$1/supervise/xstatus" | tr -d " ")" != "$2" ] && [ "$(od -An -tu1 -j 5 -N1 "$1/supervise/xstatus" | tr -d " ")" = 1 ]' sh "$S" "$p1"
ok $? "killed service is started again with a new pid"
is "$(starts "$S")" 2 "start count is 2"
is "$(exitsig "$S")" 9 "last exit: signal 9"
is "$(exitcode "$S")" -1 "last exit code -1 (killed by a signal)"
has_flag "$S" $F_EXITED; ok $? "EXITED flag set"
# xstatus names the new run before that run has appended to starts
lines_are() { [ "$(count_lines "$1")" = "$2" ]; }
wait_for 5000 lines_are "$S/starts" 2; ok $? "run started twice"
ctl "$S" dx
wait_for 5000 dead "$svpid"; ok $? "supervise exits on dx"

# ---- crash loop: about one start per second --------------------------------
C=$T/loop
mkservice "$C" 'echo x >> starts; exit 1'
sv_start "$C"
sleep 3.5   # the measurement window itself, not a guess at completion
n=$(count_lines "$C/starts")
[ "$n" -ge 2 ] && [ "$n" -le 5 ]
ok $? "crash loop throttled: $n starts in 3.5 s (expect 2..5)"
is "$(exitcode "$C")" 1 "last exit code 1"
# control bytes are answered while a throttled start is pending
before=$(count_lines "$C/starts")
ctl "$C" d
wait_for 5000 sh -c '[ "$(od -An -c -j 6 -N1 "$1/supervise/xstatus" | tr -d " ")" = d ]' sh "$C"
ok $? "d answered during the throttle"
wait_for 5000 is_down "$C"
ok $? "service down"
sleep 1.2   # longer than the throttle: no start may sneak in
n1=$(count_lines "$C/starts"); [ "$n1" -le $((before + 1)) ]
ok $? "at most one start raced with d ($before -> $n1)"
ctl "$C" x
wait_for 5000 dead "$svpid"; ok $? "x while down: supervise exits at once"

# ---- once: start, no restart ------------------------------------------------
O=$T/once
mkservice "$O" 'echo x >> starts; exec sleep 1000'
touch "$O/down"
sv_start "$O"
wait_for 5000 is_down "$O"; ok $? "down file: starts down"
is "$(count_lines "$O/starts")" 0 "not started"
ctl "$O" o
wait_for 5000 is_up "$O"; ok $? "o: started"
has_flag "$O" $F_ONCE; ok $? "ONCE flag set"
is "$(od -An -tu1 -j 17 -N1 "$O/supervise/status" | tr -d ' ')" 0 "status[17] is 0 in once mode (as daemontools)"
wait_for 5000 test -s "$O/starts"   # up in xstatus: run may not have counted itself yet
kill -TERM "$(svc_pid "$O")"
wait_for 5000 is_down "$O"; ok $? "service exits and stays down"
sleep 1.2   # past the throttle: make sure it is not restarted
is_down "$O"; ok $? "still down after the throttle"
is "$(count_lines "$O/starts")" 1 "started exactly once"
ctl "$O" u
wait_for 5000 is_up "$O"; ok $? "u: up again"
! has_flag "$O" $F_ONCE; ok $? "u clears ONCE"
ctl "$O" O
wait_for 5000 has_flag "$O" $F_ONCE; ok $? "O: ONCE flag set"
kill -TERM "$(svc_pid "$O")"
wait_for 5000 is_down "$O"; ok $? "O: service not restarted"
ctl "$O" O
sleep 1.2
is_down "$O"; ok $? "O while down: does not start it"
ctl "$O" x
wait_for 5000 dead "$svpid"; ok $? "supervise exits"

done_testing
