#!/bin/sh
# service-examples/hello-web under svscan: HTTP answers (node and python3),
# multilog log with TAI64N stamps, svc -t restart with a new pid,
# tai64nlocal, clean stop.
. "$(dirname "$0")/lib.sh"
. "$TESTS/examples-lib.sh"
need svscan supervise svc svstat multilog envdir tai64nlocal
have python3 || skip_all "python3 is not installed"

P1=$(free_port)
P2=$(free_port)
while [ "$P2" = "$P1" ]; do P2=$((P1 + 1)); done
ex_copy hello-web
ex_copy hello-web hello-py
echo "$P1" > "$SCAN/hello-web/env/PORT"
echo "$P2" > "$SCAN/hello-py/env/PORT"
echo "tcp:0.0.0.0:$P1" > "$SCAN/hello-web/listen"
echo "tcp:0.0.0.0:$P2" > "$SCAN/hello-py/listen"
echo python3 > "$SCAN/hello-py/env/RUNTIME"
ex_svscan

cd "$SCAN" || bail "no scan dir"
wait_for 10000 svstat_up hello-web; ok $? "hello-web is up (svstat)"
wait_for 10000 svstat_up hello-py;  ok $? "hello-py (RUNTIME=python3) is up"

wait_for 10000 says_hello "$P1"; ok $? "hello-web answers Hello World on port $P1"
wait_for 10000 says_hello "$P2"; ok $? "the python3 variant answers Hello World on port $P2"

if have node; then
  wait_for 5000 grep -q "listening on fd 3 (tcp_0.0.0.0_$P1)" hello-web/log/main/current
  grep -q "hello-web (node .*) listening on fd 3 (tcp_0.0.0.0_$P1)" hello-web/log/main/current
  ok $? "with node installed and RUNTIME empty, node serves, on fd 3 from the listen file"
else
  skip "node is not installed; hello-web falls back to python3"
fi
wait_for 5000 grep -q "listening on fd 3 (tcp_0.0.0.0_$P2)" hello-py/log/main/current
grep -q "hello-web (python3 .*) listening on fd 3 (tcp_0.0.0.0_$P2)" hello-py/log/main/current
ok $? "RUNTIME=python3 makes python3 serve, on fd 3 from the listen file"

# multilog t: every line starts with a TAI64N label.
wait_for 5000 grep -q 'GET /' hello-web/log/main/current
ok $? "the request is logged to log/main/current"
bad=$(grep -cv '^@[0-9a-f]\{24\} ' hello-web/log/main/current)
is "$bad" 0 "every log line carries a TAI64N label"

first=$("$BIN/tai64nlocal" < hello-web/log/main/current | head -n 1)
case $first in
  [0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]\ [0-9][0-9]:[0-9][0-9]:[0-9][0-9].*hello-web*) r=0 ;;
  *) r=1; diag "tai64nlocal gave: $first" ;;
esac
ok $r "tai64nlocal shows the log in local time"

# svc -t: TERM; supervise restarts it with a new pid.
old=$(svpid hello-web)
"$BIN/svc" -t hello-web; ok $? "svc -t hello-web"
newpid() { p=$(svpid hello-web); [ -n "$p" ] && [ "$p" != "$old" ]; }
wait_for 10000 newpid; ok $? "hello-web comes back with a new pid (was $old, now $(svpid hello-web))"
wait_for 10000 says_hello "$P1"; ok $? "and answers again"
wait_for 5000 grep -q 'SIGTERM, exiting' hello-web/log/main/current
ok $? "the old process logged its SIGTERM through the same logger"

cd / || exit 1
stop_svscan "hello-web"
no_hello() { ! says_hello "$P1"; }
wait_for 5000 no_hello
ok $? "nothing answers on port $P1 after svscan stopped"
done_testing
