#!/bin/sh
# s6-svc (without -w) and s6-svok against svkit's supervise.
. "$(dirname "$0")/lib.sh"
. "$TESTS/svc-lib.sh"
have s6-svc && have s6-svok || skip_all "s6 is not installed"
[ -x "$BIN/supervise" ] || skip_all "svkit's supervise is not built"

A=$T/a
mkservice "$A" '
trap "echo HUP >> sigs" HUP
echo $$ > runpid
while :; do sleep 1 & wait $!; done'
start_sup svkit "$A" || bail "svkit supervise on $A"
ksup=$sup_pid
wait_for 10000 is_field "$A" up true; track_service "$A"

wait_for 5000 test -s "$A/runpid"   # written after the HUP trap is set
s6-svok "$A"; is $? 0 "s6-svok: svkit supervise runs (lock held)"
s6-svc -h "$A"; r=$?
wait_for 5000 grep -qx HUP "$A/sigs"; ok $(($? + r)) "s6-svc -h: HUP"
s6-svc -p "$A"
wait_for 5000 is_field "$A" paused true; ok $? "s6-svc -p: paused"
s6-svc -c "$A"
wait_for 5000 is_field "$A" paused false; ok $? "s6-svc -c: continued"
s6-svc -d "$A"
wait_for 5000 is_field "$A" up false; ok $? "s6-svc -d: down"
is "$(field "$A" wantedup)" false "want down"
s6-svc -u "$A"
wait_for 5000 is_field "$A" up true; ok $? "s6-svc -u: up"
track_service "$A"
wait_for 5000 sh -c "[ \$($BIN/svstat -o updownfor $A) -ge 1 ]"
p=$(field "$A" pid)
s6-svc -k "$A"
wait_for 5000 sh -c "[ \"\$($BIN/svstat -o pid $A)\" != $p ] && [ \"\$($BIN/svstat -o pid $A)\" != -1 ]"; ok $? "s6-svc -k: killed and restarted"
track_service "$A"
wait_for 5000 sh -c "[ \$($BIN/svstat -o updownfor $A) -ge 1 ]"
p=$(field "$A" pid)
s6-svc -r "$A"
wait_for 5000 sh -c "[ \"\$($BIN/svstat -o pid $A)\" != $p ] && [ \"\$($BIN/svstat -o pid $A)\" != -1 ]"; ok $? "s6-svc -r: restarted"
track_service "$A"
s6-svc -dx "$A"
wait_for 10000 dead "$ksup"; ok $? "s6-svc -dx: supervise exits"
s6-svok "$A"; is $? 1 "s6-svok: 1 once it exited"
done_testing
