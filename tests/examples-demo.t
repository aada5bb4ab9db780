#!/bin/sh
# make demo's driver (service-examples/demo.sh): runs every example, shows
# each step, exits 0, leaves no process behind, well under a minute.
. "$(dirname "$0")/lib.sh"
. "$TESTS/examples-lib.sh"
need svscan supervise svc svstat svok multilog tai64n tai64nlocal envdir setuidgid softlimit
have python3 || have node || skip_all "neither node nor python3 is installed"

P=$(free_port)
start=$(date +%s)
# Its own scratch dir lives under our $T, so that leftovers are easy to find.
spawn env TMPDIR="$T" DEMO_PORT="$P" sh "$EX/demo.sh" "$BIN" >"$T/demo.out" 2>&1
d_pid=$spawn_pid
wait_for 60000 exited "$d_pid"; ok $? "demo finishes within 60 s"
wait "$d_pid"; r=$?
is "$r" 0 "demo exits 0"
elapsed=$(( $(date +%s) - start ))
[ "$elapsed" -le 40 ]; ok $? "demo took ${elapsed} s (well under a minute)"
[ $r -eq 0 ] || sed 's/^/# /' "$T/demo.out"

for want in "Services coming up" "hello-web answers HTTP on port $P" "svc -t hello-web" \
    "no request fails" "tai64nlocal shows local time" "given up on after 5 deaths" "Stopping"; do
  grep -q "== .*$want" "$T/demo.out"; ok $? "caption: $want"
done
grep -qx 'Hello World' "$T/demo.out"; ok $? "the web example answered Hello World"
grep -q '^old pid [0-9]*, new pid [0-9]*; it answers again: Hello World' "$T/demo.out"
ok $? "svc -t gave a new pid"
grep -q '^[0-9]\{4\}-[0-9][0-9]-[0-9][0-9] [0-9:.]* GET /' "$T/demo.out"; ok $? "log lines shown in local time"
grep -q '^[0-9]* requests during 3 restarts, 0 failed$' "$T/demo.out"; ok $? "3 restarts under a request loop: no request failed"
grep -q 'giving up' "$T/demo.out"; ok $? "crashy was given up on"
grep -q 'crashy: down .*normally up' "$T/demo.out"; ok $? "and svstat shows it down"
grep -q 'no process left behind' "$T/demo.out"; ok $? "the demo checked for leftovers"
is "$(echo $(under_dir "$T"))" "" "really no process left in the demo's directory"
left=$(ls -d "$T"/svkit-demo.* 2>/dev/null)
is "$left" "" "the scratch directory was removed"
grep -v "^ *#" "$EX/demo.sh" | grep -Eq "(^|[[:space:]\"'=])/service"
ok $((! $?)) "demo.sh names no absolute /service path"

# Interrupted half-way (TERM; Ctrl-C is the same trap): it still cleans up.
P=$(free_port)
mkdir "$T/int"
spawn env TMPDIR="$T/int" DEMO_PORT="$P" sh "$EX/demo.sh" "$BIN" >"$T/demo3.out" 2>&1
d_pid=$spawn_pid
wait_for 30000 grep -q 'answers HTTP' "$T/demo3.out"; ok $? "interrupted run: got half-way"
kill -TERM "$d_pid"
wait_for 30000 exited "$d_pid"; ok $? "interrupted run: the demo exits after TERM"
wait "$d_pid"; r=$?
[ "$r" -ne 0 ]; ok $? "interrupted run: with a failure code ($r)"
is "$(echo $(under_dir "$T/int"))" "" "interrupted run: no process left behind"
is "$(ls "$T/int")" "" "interrupted run: scratch directory removed"

# Without root: as nobody when we are root, else we already were not root.
if is_root && nobody_runs_bin; then
  mkdir "$T/nobody" && chown nobody "$T/nobody"
  if [ "$BIN" = "$T/nbin" ]; then   # a private clone: the examples too
    cp -R "$EX" "$T/ex" && chmod -R a+rX "$T/ex" && EX=$T/ex
  fi
  P=$(free_port)
  spawn setpriv --reuid="$(id -u nobody)" --regid="$(id -g nobody)" --clear-groups \
    env HOME="$T/nobody" TMPDIR="$T/nobody" DEMO_PORT="$P" sh "$EX/demo.sh" "$BIN" >"$T/demo2.out" 2>&1
  d_pid=$spawn_pid
  wait_for 60000 exited "$d_pid"; ok $? "as nobody: the demo finishes within 60 s"
  wait "$d_pid"; r=$?
  is "$r" 0 "as nobody: the demo exits 0"
  [ $r -eq 0 ] || sed 's/^/# /' "$T/demo2.out"
  grep -q 'no process left behind' "$T/demo2.out"; ok $? "as nobody: nothing left behind"
  is "$(echo $(under_dir "$T/nobody"))" "" "as nobody: really no process left"
elif is_root; then
  skip "no setpriv, no account nobody, or nobody cannot reach $BIN: the non-root run is not tested"
fi
done_testing
