#!/bin/sh
# supervise: TERM and INT mean "dx", HUP means "x"; no orphan is left.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/supervise-lib.sh"

for sig in TERM INT; do
  S=$T/s-$sig
  mkservice "$S" 'echo $$ > runpid; exec sleep 1000'
  sv_start "$S"
  wait_for 5000 test -s "$S/runpid"
  rp=$(cat "$S/runpid"); track "$rp"
  kill -$sig "$svpid"
  wait_for 5000 dead "$svpid"; ok $? "SIG$sig: supervise exits"
  wait "$svpid"; is "$?" 0 "SIG$sig: exit code 0"
  wait_for 5000 dead "$rp"; ok $? "SIG$sig: the service is gone (no orphan)"
  is "$(state "$S")" 0 "SIG$sig: status says down"
done

# TERM with a service that needs timeout-kill: supervise waits for it
S=$T/stubborn
mkservice "$S" 'trap "" TERM; echo $$ > runpid; while :; do sleep 0.05 & wait $!; done'
echo 400 > "$S/timeout-kill"
sv_start "$S"
wait_for 5000 test -s "$S/runpid"
rp=$(cat "$S/runpid"); track "$rp"
kill -TERM "$svpid"
wait_for 5000 dead "$svpid"; ok $? "TERM + timeout-kill: supervise exits"
dead "$rp"; ok $? "the TERM-ignoring service was killed first"
is "$(exitsig "$S")" 9 "it died of SIGKILL"

# HUP: x, exits once the service is down; the service keeps running until then
S=$T/hup
mkservice "$S" 'echo $$ > runpid; exec sleep 1000'
sv_start "$S"
wait_for 5000 test -s "$S/runpid"
rp=$(cat "$S/runpid"); track "$rp"
kill -HUP "$svpid"
wait_for 5000 has_flag "$S" $F_EXIT; ok $? "HUP: EXIT flag"
alive "$svpid"; ok $? "HUP: supervise waits for the service"
alive "$rp"; ok $? "HUP: service still running"
kill "$rp"
wait_for 5000 dead "$svpid"; ok $? "HUP: supervise exits once the service is down"
wait "$svpid"; is "$?" 0 "HUP: exit code 0"

# TERM during a throttled restart: exits without starting again
S=$T/loop
mkservice "$S" 'echo x >> starts; exit 1'
sv_start "$S"
wait_for 5000 test -s "$S/starts"
kill -TERM "$svpid"
wait_for 5000 dead "$svpid"; ok $? "TERM while a throttled start is pending: exits"
n=$(count_lines "$S/starts"); [ "$n" -le 2 ]; ok $? "no start after TERM ($n)"

# SIGPIPE is ignored (a logger going away must not kill supervise)
S=$T/pipe
mkservice "$S" 'exec sleep 1000'
sv_start "$S"
wait_for 5000 is_up "$S"
kill -PIPE "$svpid"
ctl "$S" h   # a round trip through the loop after the signal
wait_for 5000 sh -c '[ "$(od -An -tu4 --endian=little -j 40 -N4 "$1/supervise/xstatus" | tr -d " ")" = 1 ]' sh "$S"
alive "$svpid"; ok $? "SIGPIPE: supervise survives"
ctl "$S" dx
wait_for 5000 dead "$svpid"; ok $? "supervise exits"

done_testing
