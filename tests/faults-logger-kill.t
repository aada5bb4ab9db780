#!/bin/sh
# Fault 3: multilog killed with SIGKILL again and again during a flood of
# numbered lines under svscan: no line missing; duplicates are counted.
. "$(dirname "$0")/lib.sh"
. "$TESTS/svscan-lib.sh"
. "$TESTS/faults-lib.sh"

N=$(pick 20000 200000)
K=$(pick 5 20)
mkdir -p "$T/sv"
mkservice "$T/new.f" "seq 1 $N; exec sleep 100000"
mkservice "$T/new.f/log" "exec '$BIN/multilog' t s1000000 n1000 ./main"
mv "$T/new.f" "$T/sv/f"
L=$T/sv/f/log
start_svscan "$T/sv"
logged() { cat "$L"/main/@* "$L"/main/current 2>/dev/null | wc -l; }
wait_for 10000 svc_up "$L"; ok $? "logger up"

k=0 killed=0
while [ $k -lt "$K" ]; do
  k=$((k+1))
  target=$((k * N / (K + 1)))
  # kill once the log has reached the k-th mark (or at once if it races ahead)
  wait_for 30000 sh -c "[ \$(cat '$L'/main/@* '$L'/main/current 2>/dev/null | wc -l) -ge $target ]"
  M=$(pidfile_pid "$L")
  [ -n "$M" ] || { wait_for 5000 svc_up "$L"; M=$(pidfile_pid "$L"); }
  kill -KILL "$M" && killed=$((killed+1))
  newm() { p=$(pidfile_pid "$L"); [ -n "$p" ] && [ "$p" != "$M" ] && alive "$p"; }
  wait_for 10000 newm || diag "kill $k: no new multilog yet"
done
is "$killed" "$K" "multilog was killed $K times"
wait_for 60000 sh -c "[ \$(cat '$L'/main/@* '$L'/main/current 2>/dev/null | wc -l) -ge $N ]"
ok $? "the log reached $N lines"
# the last line may still be on its way: wait for N itself
wait_for 10000 sh -c "cat '$L'/main/@* '$L'/main/current 2>/dev/null | grep -q \" $N\\$\""
cat "$L"/main/@* "$L"/main/current 2>/dev/null | awk '{ print $2 }' > "$T/seen"
total=$(wc -l < "$T/seen")
distinct=$(sort -un "$T/seen" | wc -l)
inrange=$(sort -un "$T/seen" | awk -v n="$N" '$1 >= 1 && $1 <= n' | wc -l)
lost=$((N - inrange))
dup=$((total - distinct))
is "$lost" 0 "no line missing ($inrange of $N present)"
is "$distinct" "$inrange" "no line that was not sent"
diag "$dup duplicated lines after $K kills"
# no torn lines: every line is a TAI64N label and a number
bad=$(cat "$L"/main/@* "$L"/main/current | grep -cvE '^@[0-9a-f]{24} [0-9]+$')
is "$bad" 0 "no torn or garbled line"
fault_report logger-kill9 "$K" "$lost" "$dup" "$([ $lost = 0 ] && echo $K || echo 0)"
done_testing
