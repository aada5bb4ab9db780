#!/bin/sh
# runit's sv (status, up, down, restart, with -w) against svkit's supervise,
# and svkit's svc/svstat/svok against runit's runsv.
. "$(dirname "$0")/lib.sh"
. "$TESTS/svc-lib.sh"
[ -x /usr/bin/sv ] && [ -x /usr/bin/runsv ] || skip_all "runit is not installed"

# ---- sv, svkit's supervise ------------------------------------------------------
if [ -x "$BIN/supervise" ]; then
  A=$T/k/a; D=$T/k/nd
  mkservice "$A" 'exec sleep 100000'
  mkservice "$A/log" 'exec sleep 100000'
  mkservice "$D" 'exec sleep 100000'; touch "$D/down"
  start_sup svkit "$A" || bail "svkit supervise on $A"
  ksup=$sup_pid
  start_sup svkit "$A/log" || bail "svkit supervise on $A/log"
  start_sup svkit "$D" || bail "svkit supervise on $D"
  wait_for 10000 is_field "$A" up true; track_service "$A"
  wait_for 10000 is_field "$A/log" up true; track_service "$A/log"
  sv status "$A" | grep -Eqx "run: $A: \(pid [0-9]+\) [0-9]+s; run: log: \(pid [0-9]+\) [0-9]+s"; ok $? "sv status: service and log/ up"
  sv status "$D" | grep -Eqx "down: $D: [0-9]+s"; ok $? "sv status: normally down service, down"
  sv -w 5 down "$A" >/dev/null; is $? 0 "sv -w 5 down"
  # sv reads status; svstat reads xstatus, which is renamed just after it
  wait_for 5000 is_field "$A" up false; ok $? "it is down"
  sv status "$A" | grep -Eq "^down: $A: [0-9]+s, normally up;"; ok $? "sv status: down, normally up"
  sv -w 5 up "$A" >/dev/null; is $? 0 "sv -w 5 up"
  wait_for 5000 is_field "$A" up true; ok $? "it is up"
  track_service "$A"
  # sv decides "restarted" by comparing whole seconds with its own start:
  # let the last change age one second, as it would with runsv.
  wait_for 5000 sh -c "[ \$($BIN/svstat -o updownfor $A) -ge 1 ]"
  p=$(field "$A" pid)
  sv -w 5 restart "$A" >/dev/null; is $? 0 "sv -w 5 restart"
  restarted() { q=$(field "$A" pid); [ "$q" != "$p" ] && [ "$q" != -1 ] && is_field "$A" up true; }
  wait_for 5000 restarted; ok $? "restarted with a new pid"
  track_service "$A"
  sv up "$D" >/dev/null; ok $? "sv up (no wait)"
  wait_for 5000 is_field "$D" up true; ok $? "it comes up"
  track_service "$D"
  sv status "$D" | grep -Eqx "run: $D: \(pid [0-9]+\) [0-9]+s, normally down"; ok $? "sv status: normally down"
  sv down "$D" >/dev/null
  wait_for 5000 is_field "$D" up false; ok $? "sv down (no wait)"
  sv -w 5 down "$A" >/dev/null && sv -w 5 exit "$A" >/dev/null; ok $? "sv -w 5 exit (once down, as x means in daemontools)"
  wait_for 10000 dead "$ksup"; ok $? "svkit supervise exited"
else
  for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15; do skip "svkit's supervise is not built"; done
fi

# ---- svkit's clients, runsv ----------------------------------------------------
R=$T/r/s
mkservice "$R" 'exec sleep 100000'
start_sup runit "$R" || bail "runsv on $R"
rsup=$sup_pid
wait_for 10000 is_field "$R" up true; track_service "$R"
"$BIN/svok" "$R"; is $? 0 "svok: runsv runs"
"$BIN/svstat" "$R" | secs | grep -qx "$R: up (pid [0-9]*) N seconds"; ok $? "svstat on runsv"
is "$("$BIN/svstat" -o source,up,wantedup,normallyup "$R")" "runit true true true" "svstat -o on runsv"
"$BIN/svc" -d -wD -T 10000 "$R"; is $? 0 "svc -d -wD on runsv"
sv status "$R" | grep -Eqx "down: $R: [0-9]+s, normally up"; ok $? "sv agrees: down"
is "$("$BIN/svstat" "$R" | secs)" "$R: down N seconds, normally up" "svstat: down"
"$BIN/svc" -u -wu -T 10000 "$R"; is $? 0 "svc -u -wu on runsv"
track_service "$R"
p=$(field "$R" pid)
"$BIN/svc" -t -wr -T 10000 "$R"; is $? 0 "svc -t -wr on runsv"
[ "$(field "$R" pid)" != "$p" ]; ok $? "new pid"
track_service "$R"
"$BIN/svc" -p "$R"
wait_for 5000 sh -c "sv status $R | grep -q paused"; ok $? "svc -p on runsv: sv says paused"
is "$(field "$R" paused)" true "svstat -o paused"
"$BIN/svc" -c "$R"
wait_for 5000 is_field "$R" paused false; ok $? "svc -c on runsv"
"$BIN/svc" -dx "$R"
wait_for 10000 dead "$rsup"; ok $? "svc -dx: runsv exits"
"$BIN/svok" "$R"; is $? 100 "svok: 100 once it exited"
done_testing
