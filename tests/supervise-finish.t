#!/bin/sh
# supervise: ./finish CODE SIGNAL, state finish meanwhile, exit 125 = give
# up, timeout-finish.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/supervise-lib.sh"

mkfinish() { printf '#!/bin/sh\n%s\n' "$2" > "$1/finish"; chmod 755 "$1/finish"; }

# ---- arguments: exit code ---------------------------------------------------
S=$T/code
mkservice "$S" 'echo $$ > runpid; [ -e stop ] && exec sleep 1000; exit 3'
mkfinish "$S" 'echo "$@" >> args; echo $$ > finpid; [ -e hold ] && exec sleep 1000; exit 0'
touch "$S/hold"
sv_start "$S"
wait_for 5000 is_state "$S" 2
ok $? "state 2 (finish) while finish runs"
wait_for 5000 test -s "$S/finpid"
is "$(svc_pid "$S")" "$(cat "$S/finpid")" "pid field holds finish's pid in finish state"
is "$(cat "$S/supervise/stat")" finish "stat: finish"
is "$(xs_u8 "$S/supervise/status" 19)" 2 "status[19] = 2"
is "$(head -n1 "$S/args")" "3 0" "finish gets CODE=3 SIGNAL=0"
is "$(exitcode "$S")" 3 "xstatus exit code 3"
touch "$S/stop"; rm -f "$S/hold"
kill "$(cat "$S/finpid")"
wait_for 5000 is_up "$S"
ok $? "restarted after finish"
# ---- arguments: killed by a signal -------------------------------------------
kill -USR1 "$(svc_pid "$S")"
wait_for 5000 sh -c '[ "$(wc -l < "$1/args")" -ge 2 ]' sh "$S"
is "$(sed -n 2p "$S/args")" "-1 10" "finish gets CODE=-1 SIGNAL=10 after SIGUSR1"
# finish can write args before supervise has replaced xstatus: wait for it
wait_for 5000 sh -c '[ "$(od -An -tu4 --endian=little -j 40 -N4 "$1/supervise/xstatus" | tr -d " ")" = 10 ]' sh "$S"
ok $? "xstatus exit signal 10"
ctl "$S" dx
wait_for 5000 dead "$svpid"; ok $? "supervise exits"

# ---- 125: permanent failure --------------------------------------------------
G=$T/giveup
mkservice "$G" 'echo x >> starts; [ -e stop ] && exec sleep 1000; exit 7'
mkfinish "$G" 'exit 125'
sv_start "$G"
wait_for 5000 sh -c '[ "$(od -An -c -j 6 -N1 "$1/supervise/xstatus" | tr -d " ")" = d ] && [ "$(od -An -tu1 -j 5 -N1 "$1/supervise/xstatus" | tr -d " ")" = 0 ]' sh "$G"
ok $? "finish exit 125: want down, state down"
has_flag "$G" $F_GAVEUP; ok $? "GAVEUP flag set"
sleep 1.3   # past the throttle: it must not start again
is "$(count_lines "$G/starts")" 1 "not restarted"
touch "$G/stop"
ctl "$G" u
wait_for 5000 sh -c '[ "$(wc -l < "$1/starts")" -ge 2 ]' sh "$G"
ok $? "u starts it again"
wait_for 5000 sh -c '[ $(( $(od -An -tu1 -j 7 -N1 "$1/supervise/xstatus") & 64 )) = 0 ]' sh "$G"; ok $? "u clears GAVEUP"
ctl "$G" dx
wait_for 5000 dead "$svpid"; ok $? "supervise exits"

# ---- timeout-finish -----------------------------------------------------------
F=$T/slowfinish
mkservice "$F" 'echo x >> starts; [ -e stop ] && exec sleep 1000; exit 0'
mkfinish "$F" 'echo $$ > finpid; exec sleep 1000'
echo 300 > "$F/timeout-finish"
sv_start "$F"
wait_for 5000 test -s "$F/finpid"
fp=$(cat "$F/finpid")
touch "$F/stop"
wait_for 5000 dead "$fp"
ok $? "finish killed after timeout-finish"
wait_for 5000 is_up "$F"; ok $? "service started again after the killed finish"
grep -q "timeout-finish" "$F.err"; ok $? "warning names timeout-finish"
ctl "$F" dx
wait_for 5000 dead "$svpid"; ok $? "supervise exits"

# ---- timeout-finish for a finish adopted after a SIGKILLed supervise -----------
A=$T/adoptfinish
mkservice "$A" 'echo x >> starts; [ -e stop ] && exec sleep 1000; exit 0'
mkfinish "$A" 'echo $$ > finpid; exec sleep 1000'
echo 3000 > "$A/timeout-finish"   # from adoption: leaves time to see it alive first
sv_start "$A"
wait_for 5000 test -s "$A/finpid"
fp=$(cat "$A/finpid"); track "$fp"
# finish can write finpid before supervise has recorded it in xstatus
finish_recorded() { is_state "$1" 2 && [ "$(svc_pid "$1")" = "$2" ]; }
wait_for 5000 finish_recorded "$A" "$fp"
ok $? "xstatus records the running finish"
kill -KILL "$svpid"; wait_for 5000 dead "$svpid"; ok $? "supervise SIGKILLed while finish runs"
touch "$A/stop"
sv_start "$A"
wait_for 5000 sh -c '[ "$(od -An -tu4 --endian=little -j 56 -N4 "$1/supervise/xstatus" | tr -d " ")" = "$2" ]' sh "$A" "$svpid"
is "$(svc_pid "$A")" "$fp" "the next supervise adopts the finish"
alive "$fp"; ok $? "which still runs"
wait_for 5000 dead "$fp"; ok $? "the adopted finish is killed after timeout-finish"
grep -q "timeout-finish expired" "$A.err"; ok $? "with the warning"
wait_for 5000 is_up "$A"; ok $? "then run starts again"
ctl "$A" dx
wait_for 5000 dead "$svpid"; ok $? "supervise exits"

# ---- non-executable finish is not run -------------------------------------------
N=$T/noexec
mkservice "$N" 'echo x >> starts; [ -e stop ] && exec sleep 1000; exit 0'
mkfinish "$N" 'echo ran > ran'
chmod 644 "$N/finish"
touch "$N/stop"
sv_start "$N"
wait_for 5000 is_up "$N"
wait_for 5000 test -s "$N/starts"   # killed before it counts itself, starts never reaches 2
kill "$(svc_pid "$N")"
wait_for 5000 sh -c '[ "$(wc -l < "$1/starts")" -ge 2 ]' sh "$N"
ok $? "restarted without finish"
[ ! -e "$N/ran" ]; ok $? "non-executable finish not run"
ctl "$N" dx
wait_for 5000 dead "$svpid"; ok $? "supervise exits"

done_testing
