#!/bin/sh
# README's cluster-mode recipe: two service directories with the same
# address and the reuseport option; the kernel spreads connections over the
# two sockets, and a restart of either fails no request (its share queues
# in the socket its supervise holds).
. "$(dirname "$0")/lib.sh"
. "$TESTS/supervise-lib.sh"
. "$TESTS/listen-lib.sh"
have python3 || skip_all "python3 is not installed"

P=$(free_port)
A=tcp:127.0.0.1:$P
for s in w1 w2; do
  mkservice "$T/$s" "exec python3 '$LS/server.py'"
  echo "$A reuseport" > "$T/$s/listen"
  sv_start "$T/$s"; eval "pid_$s=\$svpid"
done
wait_for 20000 answers "$A"; ok $? "the two services answer on $A"
if have ss; then
  is "$(ss -Htln "sport = :$P" | wc -l | tr -d " ")" 2 "two listening sockets on the port"
else skip "no ss"; fi

load_start "$A"
wait_for 20000 more_answered 5; ok $? "the request loop gets answers"
r=0
for s in w1 w2 w1 w2; do
  old=$(svc_pid "$T/$s"); n=$(answered)
  "$BIN/svc" -t "$T/$s" || r=1
  newpid() { p=$(svc_pid "$T/$s"); [ "$p" != "$old" ] && [ "$p" != 0 ] && is_up "$T/$s"; }
  wait_for 20000 newpid || r=1
  wait_for 20000 more_answered $((n + 10)) || r=1
done
ok $r "4 restarts, two of each instance"
load_stop
is "$fail_n" 0 "not one request failed (answered $ok_n)"
"$BIN/svc" -dx "$T/w1" "$T/w2"
wait_for 20000 dead "$pid_w1" && wait_for 20000 dead "$pid_w2"; ok $? "both supervise exit"
done_testing
