#!/bin/sh
# supervise: the optional files of a service dir: down, notification-fd,
# down-signal, timeout-kill, and what happens with bad values in them.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/supervise-lib.sh"

# ---- down ---------------------------------------------------------------------
D=$T/down
mkservice "$D" 'echo x >> starts; exec sleep 1000'
touch "$D/down"
sv_start "$D"
wait_for 5000 test -p "$D/supervise/ok"
is "$(state "$D")" 0 "down file: state down"
is "$(want "$D")" d "down file: want down"
has_flag "$D" $F_NORMDOWN; ok $? "NORMDOWN flag set"
is "$(count_lines "$D/starts")" 0 "run not started"
ctl "$D" u
wait_for 5000 is_up "$D"; ok $? "u starts it"
has_flag "$D" $F_NORMDOWN; ok $? "NORMDOWN still set while up"
ctl "$D" dx
wait_for 5000 dead "$svpid"; ok $? "supervise exits"

# ---- notification-fd ------------------------------------------------------------
R=$T/ready
mkservice "$R" '[ -e gate ] || exec sleep 1000 ; while [ -e gate ]; do sleep 0.02; done; echo > /dev/fd/5; exec sleep 1000'
echo 5 > "$R/notification-fd"
touch "$R/gate"
sv_start "$R"
wait_for 5000 is_up "$R"; ok $? "up"
! has_flag "$R" $F_READY; ok $? "not ready before the newline"
rm "$R/gate"
wait_for 5000 has_flag "$R" $F_READY; ok $? "READY flag after a newline on fd 5"
rs=$(od -An -tx1 -j 20 -N8 "$R/supervise/xstatus" | tr -d ' \n')
[ $(( 0x$rs - 0x400000000000000a )) -ge $(( $(date +%s) - 30 )) ]; ok $? "xstatus[20..31]: ready stamp is recent"
p=$(svc_pid "$R")
ls -l "/proc/$p/fd" | grep -c pipe > "$T/n" ; [ ! -e "/proc/$p/fd/5" ] || [ "$(readlink "/proc/$p/fd/5" | cut -c1-4)" = pipe ]
ok $? "fd 5 of the service is the notification pipe"
touch "$R/gate"
kill "$p"
wait_for 5000 sh -c '[ "$(od -An -tu4 --endian=little -j 44 -N4 "$1/supervise/xstatus" | tr -d " ")" = 2 ]' sh "$R"
wait_for 5000 is_up "$R"; ok $? "restarted"
! has_flag "$R" $F_READY; ok $? "readiness reset on restart"
rm "$R/gate"
wait_for 5000 has_flag "$R" $F_READY; ok $? "ready again"
ctl "$R" dx
wait_for 5000 dead "$svpid"; ok $? "supervise exits"

# ---- down-signal ---------------------------------------------------------------------
S=$T/downsig
mkservice "$S" 'trap "echo HUP >> got; exit 0" HUP; trap "echo TERM >> got; exit 0" TERM; echo $$ > runpid; while :; do sleep 0.1 & wait $!; done'
echo HUP > "$S/down-signal"
sv_start "$S"
wait_for 5000 test -s "$S/runpid"
ctl "$S" d
wait_for 5000 is_down "$S"; ok $? "d: service down"
is "$(head -n1 "$S/got")" HUP "d sends the down-signal (HUP)"
echo SIGUSR2 > "$S/down-signal"
mkservice "$S" 'trap "echo USR2 >> got; exit 0" USR2; echo $$ > runpid; while :; do sleep 0.1 & wait $!; done'
rm -f "$S/got" "$S/runpid"
ctl "$S" u
wait_for 5000 test -s "$S/runpid"
ctl "$S" r
wait_for 5000 test -s "$S/got"
is "$(cat "$S/got")" USR2 "r sends the down-signal (SIGUSR2 spelled with SIG)"
wait_for 5000 is_up "$S"; ok $? "r: restarted, want unchanged"
echo 'bogus!' > "$S/down-signal"
mkservice "$S" 'trap "echo TERM >> got; exit 0" TERM; echo $$ > runpid; while :; do sleep 0.1 & wait $!; done'
# The old script traps USR2 only, so TERM kills it; the new one writes runpid
# only after its TERM trap is set, so wait for that file, not for "up".
# current_run N: start N (or later) is up and has written its runpid
current_run() {
  [ "$(starts "$S")" -ge "$1" ] && is_up "$S" && [ -s "$S/runpid" ] && [ "$(cat "$S/runpid")" = "$(svc_pid "$S")" ]
}
wait_for 5000 current_run 3
oldpid=$(cat "$S/runpid")
rm -f "$S/runpid"
kill "$oldpid"
wait_for 5000 current_run 4
rm -f "$S/got"
ctl "$S" d
wait_for 5000 is_down "$S"; ok $? "bad down-signal: service still goes down"
is "$(cat "$S/got" 2>/dev/null)" TERM "bad down-signal: TERM used"
grep -q "warning: .*down-signal" "$S.err"; ok $? "bad down-signal: warning names the file"
alive "$svpid"; ok $? "supervise survives"
ctl "$S" x
wait_for 5000 dead "$svpid"; ok $? "supervise exits"

# ---- timeout-kill ---------------------------------------------------------------------
K=$T/stubborn
mkservice "$K" 'trap "echo TERM >> got" TERM; echo $$ > runpid; while :; do sleep 0.1 & wait $!; done'
echo 2000 > "$K/timeout-kill"   # time enough for the shell to run its TERM trap
sv_start "$K"
wait_for 5000 test -s "$K/runpid"
track "$(cat "$K/runpid")"
ctl "$K" d
wait_for 5000 is_down "$K"; ok $? "service ignoring TERM is down after timeout-kill"
file_has "$K/got" TERM; ok $? "it got TERM first"
is "$(exitsig "$K")" 9 "then KILL"
track "$(cat "$K/runpid")"   # it ignores TERM: the cleanup must KILL it
for bad in 'abc' '99999999999999999999' '-5'; do
  echo "$bad" > "$K/timeout-kill"
  : > "$K.err"
  rm -f "$K/runpid"
  ctl "$K" u
  wait_for 5000 test -s "$K/runpid"
  track "$(cat "$K/runpid")"
  ctl "$K" d
  wait_for 5000 file_has "$K.err" "timeout-kill"
  ok $? "timeout-kill '$bad': warning names the file"
  is_up "$K"; ok $? "timeout-kill '$bad': no KILL (default: none)"
  ctl "$K" k
  wait_for 5000 is_down "$K"
done
alive "$svpid"; ok $? "supervise survives bad timeout-kill values"
ctl "$K" x
wait_for 5000 dead "$svpid"; ok $? "supervise exits"

# ---- bad notification-fd: warning, service still runs ----------------------------------
B=$T/badnotif
mkservice "$B" 'exec sleep 1000'
echo 'five' > "$B/notification-fd"
sv_start "$B"
wait_for 5000 is_up "$B"; ok $? "garbage notification-fd: service still started"
grep -q "notification-fd" "$B.err"; ok $? "warning names notification-fd"
ctl "$B" dx
wait_for 5000 dead "$svpid"; ok $? "supervise exits"

done_testing
