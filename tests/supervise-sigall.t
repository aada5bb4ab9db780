#!/bin/sh
# supervise survives every catchable signal it has no use for (issue 13
# item 8): each leaves it running and the service untouched, and run and
# finish still start with default dispositions and an empty mask.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/supervise-lib.sh"

S=$T/s
# run and finish note the blocked and ignored signals of their own shell,
# with builtins only (dash blocks every signal around a vfork of its own)
sigs='while read -r k v; do case $k in SigBlk:|SigIgn:) printf "%s\t%s\n" "$k" "$v";; esac; done < /proc/$$/status'
mkservice "$S" "$sigs > sigs.\$\$; echo \$\$ >> starts; exec sleep 1000"
printf '#!/bin/sh\n%s > finsigs\n' "$sigs" > "$S/finish"; chmod 755 "$S/finish"
# started with some signals ignored, as nohup or a careless parent would
( trap '' USR1 USR2 ALRM PIPE TTOU; exec "$BIN/supervise" "$S" 2>>"$S.err" ) & svpid=$!; track "$svpid"
wait_for 5000 sv_ready "$S"
wait_for 5000 test -s "$S/starts"
P=$(svc_pid "$S"); track "$P"
n0=$(starts "$S")

# round trip through supervise's loop: once on, then off again
roundtrip() {
  ctl "$S" O && wait_for 3000 has_flag "$S" $F_ONCE &&
  ctl "$S" u && wait_for 3000 sh -c '[ $(( $(od -An -tu1 -j7 -N1 "$1/supervise/xstatus") & 8 )) -eq 0 ]' sh "$S"
}
pstate() { cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null; }
# every signal but KILL and STOP (uncatchable), HUP INT TERM CHLD
# (supervise's own) and 32, 33 (glibc's): QUIT ILL TRAP ABRT BUS FPE USR1
# SEGV USR2 PIPE ALRM STKFLT CONT TSTP TTIN TTOU URG XCPU XFSZ VTALRM PROF
# WINCH IO PWR SYS, and the real-time ones
for n in 3 4 5 6 7 8 10 11 12 13 14 16 18 20 21 22 23 24 25 26 27 28 29 30 31 34 35 40 50 63 64; do
  sig=$(kill -l $n); [ "$sig" = 16 ] && sig=STKFLT
  kill -$n "$svpid"
  roundtrip; r=$?
  alive "$svpid" && [ "$(pstate "$svpid")" != T ] && [ $r = 0 ]
  ok $? "SIG$sig: supervise still runs and answers"
  [ "$(svc_pid "$S")" = "$P" ] && alive "$P" && [ "$(starts "$S")" = "$n0" ] && [ "$(state "$S")" = 1 ]
  ok $? "SIG$sig: the service is untouched"
  # a failure must not spoil the next signal's check
  [ "$(pstate "$svpid")" = T ] && kill -CONT "$svpid"
  if dead "$svpid"; then
    sv_start "$S"; P=$(svc_pid "$S"); track "$P"; n0=$(starts "$S")
  fi
done

zero='SigBlk:	0000000000000000
SigIgn:	0000000000000000'
is "$(cat "$S/sigs.$P")" "$zero" "run: nothing blocked, nothing ignored"
ctl "$S" t
wait_for 5000 test -s "$S/finsigs"
is "$(cat "$S/finsigs")" "$zero" "finish: nothing blocked, nothing ignored"
wait_for 5000 sh -c '[ "$(wc -l < "$1/starts")" -ge 2 ]' sh "$S"
P2=$(tail -1 "$S/starts"); track "$P2"
wait_for 5000 test -s "$S/sigs.$P2"
is "$(cat "$S/sigs.$P2")" "$zero" "run restarted after the signals: nothing blocked, nothing ignored"
ctl "$S" dx
wait_for 5000 dead "$svpid"; ok $? "supervise exits on x"
done_testing
