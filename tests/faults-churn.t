#!/bin/sh
# Services with loggers added and removed again and again under svscan: no
# descriptor, memory or process left behind (a leak here grows forever on a
# busy machine).  Part of fault 5 (no fd or memory growth) for svscan.
. "$(dirname "$0")/lib.sh"
. "$TESTS/svscan-lib.sh"
. "$TESTS/faults-lib.sh"

BATCHES=$(pick 3 20)
K=10
TAG="svkit-fault-churn-$$"
cp "$(command -v sleep)" "$T/$TAG"
mkdir -p "$T/sv"
start_svscan "$T/sv"
wait_for 5000 test -d "/proc/$SVSCAN/fd"
nkids() { ps -o pid= --ppid "$SVSCAN" | wc -l | tr -d ' '; }
batch() {
  i=0
  while [ $i -lt $K ]; do
    i=$((i+1))
    mkservice "$T/new.c$i" "echo hello \$\$; exec '$T/$TAG' 100000"
    mkservice "$T/new.c$i/log" "exec '$BIN/multilog' ./main"
    mv "$T/new.c$i" "$T/sv/c$i"
  done
  wait_for 10000 sh -c "[ \$(ps -o pid= --ppid $SVSCAN | wc -l) -eq $((2 * K)) ]" || return 1
  i=0
  while [ $i -lt $K ]; do i=$((i+1)); wait_for 10000 test -s "$T/sv/c$i/log/main/current" || return 1; done
  i=0
  while [ $i -lt $K ]; do i=$((i+1)); mv "$T/sv/c$i" "$T/gone.c$i"; done
  wait_for 15000 sh -c "[ \$(ps -o pid= --ppid $SVSCAN | wc -l) -eq 0 ]" || return 1
  rm -rf "$T"/gone.c*
}
batch; ok $? "first batch of $K services with loggers came and went"
fd0=$(nfds "$SVSCAN"); rss0=$(rss_kb "$SVSCAN")
b=1 fails=0
while [ $b -lt "$BATCHES" ]; do b=$((b+1)); batch || fails=$((fails+1)); done
is "$fails" 0 "$((BATCHES - 1)) more batches came and went"
is "$(nkids)" 0 "no supervise left"
fd1=$(nfds "$SVSCAN"); rss1=$(rss_kb "$SVSCAN")
is "$fd1" "$fd0" "svscan descriptors stable ($fd0 -> $fd1)"
case $BIN in
  */build/san/*) skip "svscan memory: ASan's quarantine keeps freed memory by design (VmRSS $rss0 -> $rss1 kB)" ;;
  *) ok $([ $((rss1 - rss0)) -le 64 ]; echo $?) "svscan memory stable (VmRSS $rss0 -> $rss1 kB)" ;;
esac
is "$(instances "$TAG")" 0 "no service process left"
fault_report service-churn "$((BATCHES * K))" 0 0 "$([ $fails = 0 ] && [ "$fd1" = "$fd0" ] && echo $((BATCHES * K)) || echo 0)"
done_testing
