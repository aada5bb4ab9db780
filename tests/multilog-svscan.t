#!/bin/sh
# multilog under svscan: the logger is killed with SIGKILL again and again
# during a flood; svscan holds the pipe, supervise restarts multilog, and no
# line is missing.  (ML_KILLS=20 for the full run; 5 by default, as each
# restart is throttled to one a second by supervise.)
. "$(dirname "$0")/lib.sh"
[ -x "$BIN/svscan" ] && [ -x "$BIN/supervise" ] || skip_all "svscan or supervise not built"
. "$TESTS/svscan-lib.sh"
K=${ML_KILLS:-5}
N=100000
mkdir -p "$T/sv"
# 100 awk runs of 1000 lines (4 KiB writes ending mid-line), then stay up
mkservice "$T/new.f" "i=0; while [ \$i -lt 100 ]; do awk -v s=\$((i * 1000)) 'BEGIN { for (j = 1; j <= 1000; j++) print \"line \" s + j }'; i=\$((i + 1)); done; exec sleep 100000"
mkservice "$T/new.f/log" "exec '$BIN/multilog' t n1000 ./main"
mv "$T/new.f" "$T/sv/f"
L=$T/sv/f/log
start_svscan "$T/sv"
wait_for 10000 svc_up "$L"; ok $? "logger up"

k=0
while [ $k -lt "$K" ]; do
  wait_for 10000 svc_up "$L"
  m=$(pidfile_pid "$L")
  wait_for 2000 test -s "$L/main/current"
  kill -KILL "$m" 2>/dev/null
  newm() { p=$(pidfile_pid "$L"); [ -n "$p" ] && [ "$p" != "$m" ] && alive "$p"; }
  wait_for 10000 newm || diag "kill $((k + 1)): no new multilog yet"
  k=$((k + 1))
done
wait_for 30000 sh -c "cat '$L'/main/@* '$L'/main/current 2>/dev/null | grep -q ' line $N\$'"
ok $? "the last line arrived after $K kills"
cat "$L"/main/@* "$L"/main/current > "$T/all"
is "$(grep -cvE '^@[0-9a-f]{24} line [0-9]+$' "$T/all")" 0 "no torn or garbled line"
missing=$(awk -v n=$N '{ seen[$3] = 1 } END { m = 0; for (i = 1; i <= n; i++) if (!(i in seen)) m++; print m }' "$T/all")
dups=$(( $(wc -l < "$T/all") - (N - missing) ))
diag "$dups duplicated lines after $K kills"
is "$missing" 0 "no line missing"
kill -TERM "$SVSCAN"; wait_for 10000 dead "$SVSCAN"
done_testing
