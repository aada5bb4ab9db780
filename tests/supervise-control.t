#!/bin/sh
# supervise: the effect of every control byte, several bytes per write, and
# unknown bytes ignored.  Signals are observed by a run script that traps them.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/supervise-lib.sh"

S=$T/trap
# The script records each trapped signal, then keeps running.
mkservice "$S" 'for s in HUP ALRM INT TERM QUIT USR1 USR2 WINCH ABRT CONT; do trap "echo $s >> got" $s; done
echo $$ > runpid
while :; do sleep 0.05 & wait $!; done'
sv_start "$S"
wait_for 5000 test -s "$S/runpid"
rp=$(cat "$S/runpid"); track "$rp"
# run can write runpid before supervise has recorded its pid in xstatus
pid_is() { [ "$(svc_pid "$1")" = "$2" ]; }
wait_for 5000 pid_is "$S" "$rp"; ok $? "xstatus pid is the run script"

# byte -> signal name as trapped by sh
for pair in h:HUP a:ALRM i:INT t:TERM q:QUIT 1:USR1 2:USR2 y:WINCH w:WINCH b:ABRT; do
  byte=${pair%%:*} sig=${pair#*:}
  : > "$S/got"
  ctl "$S" "$byte"
  wait_for 5000 file_has "$S/got" "^$sig\$"
  ok $? "control byte $byte sends SIG$sig"
done
is "$(svc_pid "$S")" "$rp" "the service survived the trapped signals"
! has_flag "$S" $F_TERMSENT; ok $? "t is a plain signal: no TERMSENT flag"

# p / c
ctl "$S" p
wait_for 5000 has_flag "$S" $F_PAUSED; ok $? "p: PAUSED flag"
pst() { awk '{ sub(/.*\) /, ""); print $1 }' "/proc/$1/stat"; }
wait_for 5000 sh -c '[ "$(awk "{ sub(/.*\\) /, \"\"); print \$1 }" /proc/$1/stat)" = T ]' sh "$rp"
ok $? "p: service stopped (state T)"
is "$(xs_u8 "$S/supervise/status" 16)" 1 "status[16] paused = 1"
grep -q paused "$S/supervise/stat"; ok $? "stat says paused"
: > "$S/got"
ctl "$S" c
wait_for 5000 sh -c '[ "$(awk "{ sub(/.*\\) /, \"\"); print \$1 }" /proc/$1/stat)" != T ]' sh "$rp"
ok $? "c: service continues"
wait_for 5000 sh -c '[ $(( $(od -An -tu1 -j 7 -N1 "$1/supervise/xstatus") & 1 )) = 0 ]' sh "$S"; ok $? "c: PAUSED cleared"
wait_for 5000 file_has "$S/got" "^CONT\$"; ok $? "c sends SIGCONT"

# unknown bytes ignored, several bytes per write
: > "$S/got"
ctl "$S" "Z?!h1"
wait_for 5000 sh -c 'grep -q "^HUP$" "$1" && grep -q "^USR1$" "$1"' sh "$S/got"
ok $? "several bytes in one write, unknown ones ignored"
is "$(svc_pid "$S")" "$rp" "service unaffected by unknown bytes"

# k
ctl "$S" k
wait_for 5000 sh -c '[ "$(od -An -tu4 --endian=little -j 40 -N4 "$1/supervise/xstatus" | tr -d " ")" = 9 ]' sh "$S"
ok $? "k: service killed by SIGKILL (exit signal 9)"
wait_for 5000 is_up "$S"; ok $? "and restarted (want up)"
wait_for 5000 sh -c '[ -s "$1/runpid" ] && [ "$(cat "$1/runpid")" != "$2" ]' sh "$S" "$rp"
rp=$(cat "$S/runpid"); track "$rp"

# d: TERM then CONT, TERMSENT while it is still alive
ctl "$S" p
wait_for 5000 has_flag "$S" $F_PAUSED
: > "$S/got"
ctl "$S" d
wait_for 5000 file_has "$S/got" "^TERM\$"; ok $? "d sends TERM (delivered thanks to CONT although paused)"
wait_for 5000 file_has "$S/got" "^CONT\$"; ok $? "d sends CONT"
wait_for 5000 has_flag "$S" $F_TERMSENT; ok $? "TERMSENT flag while it survives TERM"
is "$(xs_u8 "$S/supervise/status" 18)" 1 "status[18] TERM sent = 1"
is "$(want "$S")" d "want d"
grep -q "want down" "$S/supervise/stat"; ok $? "stat: want down"
ctl "$S" k
wait_for 5000 is_down "$S"; ok $? "k: down"
sleep 1.2  # past the throttle: want down, no restart
is_down "$S"; ok $? "stays down"

# u
ctl "$S" u
wait_for 5000 is_up "$S"; ok $? "u: up"
is "$(want "$S")" u "want u"

# r: down-signal, restarted, want unchanged
wait_for 5000 sh -c '[ -s "$1/runpid" ] && [ "$(cat "$1/runpid")" != "$2" ]' sh "$S" "$rp"
rp=$(cat "$S/runpid"); track "$rp"
mkservice "$S" 'echo $$ > runpid; exec sleep 1000'
: > "$S/got"
n0=$(starts "$S")
ctl "$S" r
wait_for 5000 file_has "$S/got" "^TERM\$"; ok $? "r sends TERM"
ctl "$S" k     # the old script ignores TERM
wait_for 5000 sh -c '[ "$(od -An -tu4 --endian=little -j 44 -N4 "$1/supervise/xstatus" | tr -d " ")" -gt "$2" ]' sh "$S" "$n0"
ok $? "r: restarted"
wait_for 5000 is_up "$S"
is "$(want "$S")" u "r: want still u"
p2=$(svc_pid "$S")
ctl "$S" r
wait_for 5000 sh -c '[ "$(od -An -tu4 --endian=little -j 32 -N4 "$1/supervise/xstatus" | tr -d " ")" != "$2" ] && [ "$(od -An -tu1 -j 5 -N1 "$1/supervise/xstatus" | tr -d " ")" = 1 ]' sh "$S" "$p2"
ok $? "r on a TERM-obeying service: new pid"
is "$(exitsig "$S")" 15 "it exited on SIGTERM"

# x: exits only once the service is down
ctl "$S" x
wait_for 5000 has_flag "$S" $F_EXIT; ok $? "x: EXIT flag"
alive "$svpid"; ok $? "x: supervise stays while the service runs"
grep -q "want exit" "$S/supervise/stat"; ok $? "stat: want exit"
p3=$(svc_pid "$S")
kill -TERM "$p3"
wait_for 5000 dead "$svpid"; ok $? "x: supervise exits when the service goes down"
is_down "$S"; ok $? "not restarted"
dead "$p3"; ok $? "service gone"

done_testing
