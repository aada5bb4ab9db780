#!/bin/sh
# The listen file (issue 16): 10 svc -t under a steady request loop, for a
# server that takes 0.3 s to boot, and not one request fails: supervise
# holds the socket, the kernel queues what arrives meanwhile.  Then svc -d
# refuses connections (the socket is closed) and svc -u opens it again.
. "$(dirname "$0")/lib.sh"
. "$TESTS/supervise-lib.sh"
. "$TESTS/listen-lib.sh"
have python3 || skip_all "python3 is not installed"

P=$(free_port)
A=tcp:127.0.0.1:$P
mkservice "$T/s" "exec python3 '$LS/server.py'"
echo "$A" > "$T/s/listen"
sv_start "$T/s"
wait_for 20000 answers "$A"; ok $? "the server answers on fd 3 from listen ($A)"

load_start "$A"
wait_for 20000 more_answered 5; ok $? "the request loop gets answers"
r=0
for i in 1 2 3 4 5 6 7 8 9 10; do
  old=$(svc_pid "$T/s")
  n=$(answered)
  "$BIN/svc" -t "$T/s" || r=1
  newpid() { p=$(svc_pid "$T/s"); [ "$p" != "$old" ] && [ "$p" != 0 ] && is_up "$T/s"; }
  wait_for 20000 newpid || { r=1; diag "restart $i: no new pid"; }
  # the new server has answered a few requests before the next restart
  wait_for 20000 more_answered $((n + 5)) || { r=1; diag "restart $i: no answers"; }
done
ok $r "10 restarts with svc -t, each followed by answers from the new server"
is "$(starts "$T/s")" 11 "run was started 11 times"
load_stop
diag "answered $ok_n, failed $fail_n"
is "$fail_n" 0 "not one request failed over the 10 restarts"

"$BIN/svc" -d "$T/s"
wait_for 20000 is_down "$T/s"; ok $? "svc -d: down"
wait_for 20000 refused "$A"; ok $? "while down, connections are refused (the socket is closed)"
"$BIN/svc" -u "$T/s"
wait_for 20000 answers "$A"; ok $? "svc -u: the socket is opened again and the server answers"

"$BIN/svc" -dx "$T/s"
wait_for 20000 dead "$svpid"; ok $? "supervise exits on svc -dx"
refused "$A"; ok $? "after supervise exits nothing listens on $A"
done_testing
