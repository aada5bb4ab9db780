#!/bin/sh
# Fault 2: svscan killed with SIGKILL and started again over the same
# directory.  The old supervises keep running and keep their locks, so the
# new svscan's supervises exit 111 and are retried at most once a second;
# no service is started twice, a supervise that dies later is replaced (and
# adopts its service), and the logger keeps receiving its producer's output
# through the pipe the old processes still hold.
. "$(dirname "$0")/lib.sh"
. "$TESTS/svscan-lib.sh"
. "$TESTS/faults-lib.sh"

ROUNDS=$(pick 1 5)
mkdir -p "$T/sv"
TAG="svkit-fault-svscan-$$"
cp "$(command -v sleep)" "$T/$TAG"
mkservice "$T/new.a" "echo \$\$ >> '$T/starts.a'
i=0; while :; do i=\$((i+1)); echo \"line \$i\"; $T/$TAG 0.02; done"
mkservice "$T/new.a/log" "exec '$BIN/multilog' ./main"
mkservice "$T/new.b" "echo \$\$ >> '$T/starts.b'; exec $T/$TAG 100000"
mv "$T/new.a" "$T/sv/a"; mv "$T/new.b" "$T/sv/b"
start_svscan "$T/sv"
wait_for 10000 svc_up "$T/sv/a"; ok $? "a up"
wait_for 10000 svc_up "$T/sv/b"; ok $? "b up"
wait_for 10000 test -s "$T/sv/a/log/main/current"; ok $? "the logger receives a's output"

grows() { n=$(wc -l < "$T/sv/a/log/main/current"); wait_for 5000 sh -c "[ \$(wc -l < '$T/sv/a/log/main/current') -gt $n ]"; }
lost=0 dup=0 rec=0 r=0
while [ $r -lt "$ROUNDS" ]; do
  r=$((r+1))
  # multilog can write current before its supervise has written supervise/pid
  for s in a b a/log; do wait_for 10000 svc_up "$T/sv/$s"; done
  A=$(pidfile_pid "$T/sv/a"); B=$(pidfile_pid "$T/sv/b"); L=$(pidfile_pid "$T/sv/a/log")
  kill -KILL "$SVSCAN"
  wait_for 5000 dead "$SVSCAN"; ok $? "round $r: svscan is dead"
  old=$SVSCAN
  spawn "$BIN/svscan" "$T/sv" >"$T/out" 2>"$T/err.$r"; SVSCAN=$spawn_pid
  c0=$(cputicks "$SVSCAN")
  # give the new svscan 3 seconds of lock-held retries
  wait_for 3000 false
  c1=$(cputicks "$SVSCAN")
  ok $([ $((c1 - c0)) -lt 50 ]; echo $?) "round $r: new svscan does not busy-loop ($((c1 - c0)) ticks in 3 s)"
  alive "$SVSCAN"; ok $? "round $r: new svscan runs"
  is "$(pidfile_pid "$T/sv/a") $(pidfile_pid "$T/sv/b") $(pidfile_pid "$T/sv/a/log")" "$A $B $L" "round $r: the same service processes run"
  is "$(wc -l < "$T/starts.a") $(wc -l < "$T/starts.b")" "1 1" "round $r: no service was started twice"
  [ "$(wc -l < "$T/starts.a")" = 1 ] && [ "$(wc -l < "$T/starts.b")" = 1 ] || dup=$((dup+1))
  is "$(instances "$TAG 100000")" 1 "round $r: one instance of b"
  grows; ok $? "round $r: the logger still receives a's output"
  file_has "$T/err.$r" "lock"; ok $? "round $r: svscan reports the held lock"
  # the old supervises die one by one: the new svscan replaces each, and
  # the replacement adopts the running service
  for s in b a/log a; do
    P=$(pidfile_pid "$T/sv/$s"); S=$(svpid_of "$T/sv/$s")
    kill -KILL "$S"
    replaced() { n=$(svpid_of "$T/sv/$s"); [ -n "$n" ] && [ "$n" != "$S" ] && alive "$n"; }
    wait_for 10000 replaced; ok $? "round $r: $s: the new svscan supervises it again"
    is "$(pidfile_pid "$T/sv/$s")" "$P" "round $r: $s: the running process was adopted"
  done
  grows; ok $? "round $r: the logger still receives a's output after the handover"
  # a restart of the producer: the old pipe reaches EOF once its last
  # writer is gone, multilog exits, and its new instance reads the pipe of
  # the new svscan, which the restarted producer writes to
  "$BIN/svc" -t "$T/sv/a"
  wait_for 10000 sh -c "p=\$(cat '$T/sv/a/supervise/pid'); [ -n \"\$p\" ] && [ \"\$p\" != $A ]"
  ok $? "round $r: a restarted"
  if grows; then rec=$((rec+1)); ok 0 "round $r: output of the restarted producer reaches the logger"
  else lost=$((lost+1)); ok 1 "round $r: output of the restarted producer reaches the logger"; fi
  sed -i '$d' "$T/starts.a"   # that start was asked for
done
fault_report svscan-kill9 "$ROUNDS" "$lost" "$dup" "$rec"
done_testing
