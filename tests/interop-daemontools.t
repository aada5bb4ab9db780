#!/bin/sh
# daemontools' svc/svstat/svok against svkit's supervise, and svkit's
# svc/svstat/svok against daemontools' supervise (svstat compared line for
# line with daemontools' own, modulo the seconds).
. "$(dirname "$0")/lib.sh"
. "$TESTS/svc-lib.sh"
[ -x /usr/bin/supervise ] && [ -x /usr/bin/svstat ] && [ -x /usr/bin/svc ] && [ -x /usr/bin/svok ] ||
  skip_all "daemontools is not installed"

# ---- daemontools' clients, svkit's supervise --------------------------------
if [ -x "$BIN/supervise" ]; then
  A=$T/k/a; D=$T/k/nd
  mkservice "$A" 'exec sleep 100000'
  mkservice "$D" 'exec sleep 100000'; touch "$D/down"
  start_sup svkit "$A" || bail "svkit supervise on $A"
  ksup=$sup_pid
  start_sup svkit "$D" || bail "svkit supervise on $D"
  wait_for 10000 is_field "$A" up true; track_service "$A"
  /usr/bin/svok "$A"; is $? 0 "daemontools svok: svkit supervise runs"
  /usr/bin/svstat "$A" | secs | grep -qx "$A: up (pid [0-9]*) N seconds"; ok $? "daemontools svstat reads svkit's status"
  is "$(/usr/bin/svstat "$A" "$D" | secs)" "$("$BIN/svstat" "$A" "$D" | secs)" "same lines as svkit's svstat"
  /usr/bin/svc -u "$D"
  wait_for 5000 is_field "$D" up true; ok $? "daemontools svc -u"; track_service "$D"
  /usr/bin/svstat "$D" | secs | grep -qx "$D: up (pid [0-9]*) N seconds, normally down"; ok $? "daemontools svstat: normally down"
  /usr/bin/svc -p "$A"
  wait_for 5000 sh -c "/usr/bin/svstat $A | grep -q ', paused\$'"; ok $? "daemontools svc -p, svstat shows paused"
  /usr/bin/svc -c "$A"
  wait_for 5000 is_field "$A" paused false; ok $? "daemontools svc -c"
  p=$(field "$A" pid)
  /usr/bin/svc -t "$A"
  wait_for 5000 sh -c "[ \"\$($BIN/svstat -o pid $A)\" != $p ] && [ \"\$($BIN/svstat -o pid $A)\" != -1 ]"; ok $? "daemontools svc -t: restarted"
  track_service "$A"
  /usr/bin/svc -d "$A" "$D"
  wait_for 5000 sh -c "/usr/bin/svstat $A | grep -qx '$A: down [0-9]* seconds, normally up'"; ok $? "daemontools svc -d, svstat: down"
  wait_for 5000 is_field "$D" up false; ok $? "daemontools svc on two DIRs"
  /usr/bin/svc -dx "$A"
  wait_for 10000 dead "$ksup"; ok $? "daemontools svc -x: svkit supervise exits"
  /usr/bin/svok "$A"; is $? 100 "daemontools svok: 100 when it has exited"
else
  for i in 1 2 3 4 5 6 7 8 9 10 11 12 13; do skip "svkit's supervise is not built"; done
fi

# ---- svkit's clients, daemontools' supervise ---------------------------------
S=$T/d/s; N=$T/d/nd; G=$T/d/ign
mkservice "$S" 'exec sleep 100000'
mkservice "$N" 'exec sleep 100000'; touch "$N/down"
mkservice "$G" 'trap "" TERM; exec sleep 100000'
for d in "$S" "$G"; do start_sup daemontools "$d" || bail "daemontools supervise on $d"; done
start_sup daemontools "$N" || bail "daemontools supervise on $N"

wait_for 10000 is_field "$S" up true; track_service "$S"
wait_for 10000 is_field "$G" up true; track_service "$G"
"$BIN/svok" "$S"; is $? 0 "svok: daemontools supervise runs"
"$BIN/svc" -u -wu -T 10000 "$N"; is $? 0 "svc -u -wu on daemontools"
track_service "$N"
"$BIN/svc" -p "$S"
wait_for 5000 is_field "$S" paused true; ok $? "svc -p on daemontools"
"$BIN/svc" -d "$G"
wait_for 5000 sh -c "/usr/bin/svstat $G | grep -q 'want down'"; ok $? "svc -d on a service ignoring TERM: want down"
mkdir -p "$T/d/x/supervise" && mkfifo "$T/d/x/supervise/ok"
is "$("$BIN/svstat" "$S" "$N" "$G" "$T/d/x" | secs)" "$(/usr/bin/svstat "$S" "$N" "$G" "$T/d/x" | secs)" "svstat = daemontools svstat: paused, normally down, want down, not running"
"$BIN/svc" -c -k "$S" "$G"
wait_for 5000 is_field "$G" up false; ok $? "svc -k on daemontools"
track_service "$S"
p=$(field "$S" pid)
"$BIN/svc" -t -wr -T 10000 "$S"; is $? 0 "svc -t -wr on daemontools (pid change)"
[ "$(field "$S" pid)" != "$p" ]; ok $? "new pid"
track_service "$S"
"$BIN/svc" -wU -T 10000 "$S"; is $? 0 "-wU on daemontools: ready means up"
"$BIN/svc" -d -wD -T 10000 "$S"; is $? 0 "svc -d -wD on daemontools"
is "$(/usr/bin/svstat "$S" | secs)" "$S: down N seconds, normally up" "daemontools svstat agrees"
is "$("$BIN/svstat" "$S" | secs)" "$S: down N seconds, normally up" "and so does svkit's svstat"
is "$("$BIN/svstat" -o source,up,wantedup "$S")" "daemontools false false" "-o on daemontools"
dsup=$sup_pid
"$BIN/svc" -dx "$N"
wait_for 10000 dead "$dsup"; ok $? "svc -dx: daemontools supervise exits"
"$BIN/svok" "$N"; is $? 100 "svok: 100 once it exited"
done_testing
