#!/bin/sh
# svc: every control byte has its effect on svkit's supervise; several DIRs
# per call; a DIR without supervise is named in a warning, exit 111.
. "$(dirname "$0")/lib.sh"
. "$TESTS/svc-lib.sh"
[ -x "$BIN/supervise" ] || skip_all "svkit's supervise is not built"

A=$T/a
mkservice "$A" '
for s in HUP ALRM INT QUIT USR1 USR2 WINCH ABRT CONT; do trap "echo $s >> sigs" $s; done
trap "echo TERM >> sigs; exit 0" TERM
echo $$ > runpid
while :; do sleep 1 & wait $!; done'
start_sup svkit "$A" || bail "svkit supervise did not start on $A"
asup=$sup_pid
wait_for 10000 is_field "$A" up true; ok $? "service a is up"
runpid() { cat "$A/runpid" 2>/dev/null; }
# runpid_new OLD: the run script has written a pid other than OLD (not the
# empty file of a run that is just writing it)
runpid_new() { rp=$(runpid); [ -n "$rp" ] && [ "$rp" != "$1" ]; }
wait_for 5000 test -s "$A/runpid"
track "$(runpid)"

# signals: the service logs each one it gets
for l in h:HUP a:ALRM i:INT q:QUIT 1:USR1 2:USR2 y:WINCH b:ABRT; do
  "$BIN/svc" -"${l%%:*}" "$A"; r=$?
  wait_for 5000 grep -qx "${l#*:}" "$A/sigs"; ok $(($? + r)) "svc -${l%%:*} sends ${l#*:}"
done
is "$(field "$A" pid)" "$(runpid)" "the service survived its signals"

# pause / continue
p=$(runpid)
"$BIN/svc" -p "$A"
wait_for 5000 sh -c "ps -o stat= -p $p | grep -q T"; ok $? "svc -p stops the process"
wait_for 5000 is_field "$A" paused true; ok $? "svstat: paused"
"$BIN/svc" -c "$A"
wait_for 5000 sh -c "ps -o stat= -p $p | grep -qv T"; ok $? "svc -c continues it"
wait_for 5000 grep -qx CONT "$A/sigs"; ok $? "... with CONT"

# TERM, KILL: the service dies and is restarted
"$BIN/svc" -t "$A"
wait_for 5000 grep -qx TERM "$A/sigs"; ok $? "svc -t sends TERM"
wait_for 5000 runpid_new "$p"; ok $? "and the service is restarted"
track "$(runpid)"; p=$(runpid)
"$BIN/svc" -k "$A"
wait_for 5000 runpid_new "$p"; ok $? "svc -k kills it, it is restarted"
track "$(runpid)"; p=$(runpid)

# restart
"$BIN/svc" -r -wr -T 5000 "$A"; is $? 0 "svc -r -wr: restarted"
# -wr returns on the new pid in xstatus, maybe before the new run writes runpid
wait_for 5000 runpid_new "$p"; ok $? "with a new process"
is "$(field "$A" wantedup)" true "-r leaves want up"
track "$(runpid)"

# down / up
: > "$A/sigs"
"$BIN/svc" -d "$A"
wait_for 5000 is_field "$A" up false; ok $? "svc -d: down"
grep -qx TERM "$A/sigs"; ok $? "via TERM"
is "$(field "$A" wantedup)" false "want down"
"$BIN/svc" -u "$A"
wait_for 5000 is_field "$A" up true; ok $? "svc -u: up"
track "$(runpid)"

# once: not restarted when it dies
"$BIN/svc" -o "$A"; wait_for 5000 is_field "$A" once true; ok $? "svc -o: once"
"$BIN/svc" -k -wD -T 5000 "$A"; is $? 0 "killed, it goes down"
"$BIN/svc" -wu -T 1500 "$A" 2>/dev/null; is $? 99 "and is not restarted"
"$BIN/svc" -o -wu -T 5000 "$A"; is $? 0 "svc -o on a down service starts it once"
track "$(runpid)"
"$BIN/svc" -d -wD -T 5000 "$A"; is $? 0 "down again"
"$BIN/svc" -O "$A"
"$BIN/svc" -wu -T 1500 "$A" 2>/dev/null; is $? 99 "svc -O does not start a down service"

# several DIRs per call, and one without supervise
B=$T/b
mkservice "$B" 'exec sleep 100000'
start_sup svkit "$B" || bail "svkit supervise did not start on $B"
wait_for 10000 is_field "$B" up true; track_service "$B"
"$BIN/svc" -u "$A" "$T/nosuch" "$B" 2>"$T/err"; is $? 111 "a DIR without supervise: exit 111"
is "$(cat "$T/err")" "svc: warning: $T/nosuch: supervise not running" "warning names it"
"$BIN/svc" -wu -T 5000 "$A" "$B"; is $? 0 "the other DIRs got the command"
track "$(runpid)"
"$BIN/svc" -d "$A" "$B"
wait_for 5000 sh -c "$BIN/svstat -o up $A $B | tr '\n' ' ' | grep -qx 'false false '"; ok $? "svc -d a b: both down"

# permission denied
if is_root && have setpriv; then
  setpriv --reuid=65534 --regid=65534 --clear-groups "$BIN/svc" -u "$A" 2>"$T/err"; is $? 111 "permission denied: exit 111"
  grep -q "^svc: warning: unable to open $A/supervise/control: " "$T/err"; ok $? "warning names the file"
else
  skip "needs root and setpriv to test EACCES"; skip "idem"
fi

# exit
"$BIN/svc" -x "$A" "$B"
wait_for 10000 dead "$asup"; ok $? "svc -x: supervise exits (service down)"
wait_for 10000 dead "$sup_pid"; ok $? "svc -x on two DIRs"
"$BIN/svc" -u "$A" 2>/dev/null; is $? 111 "svc on a DIR whose supervise exited: 111"
"$BIN/svc" -Z "$A" 2>/dev/null; is $? 100 "unknown option: 100"
"$BIN/svc" -u 2>/dev/null; is $? 100 "no DIR: 100"
done_testing
