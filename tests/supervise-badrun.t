#!/bin/sh
# supervise: a missing, non-executable, directory or dangling-symlink run gets
# one warning naming the file, then a retry after 1 s and every 10 s after
# that (issue 13 item 13): no crash, no busy loop, no warning per retry.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/supervise-lib.sh"

hz=$(getconf CLK_TCK 2>/dev/null || echo 100)

check() { # check NAME REASON-REGEX [quick]: supervise already started on $S
  wait_for 5000 grep -q "supervise: warning: unable to spawn $S/run" "$S.err"
  ok $? "$1: warning names $S/run" || sed 's/^/# /' "$S.err"
  grep -q "$2" "$S.err"; ok $? "$1: reason given ($2)" || sed 's/^/# /' "$S.err"
  if [ -n "${3:-}" ]; then
    ctl "$S" h; alive "$svpid"; ok $? "$1: supervise still running"
    return
  fi
  t0=$(cputicks "$svpid")
  sleep 2.2   # the measurement window, over the 1 s retry
  t1=$(cputicks "$svpid")
  alive "$svpid"; ok $? "$1: supervise still running"
  [ $((t1 - t0)) -le $((hz / 10)) ]; ok $? "$1: no busy loop ($((t1 - t0)) ticks of CPU in 2.2 s)"
  is "$(grep -c "unable to spawn" "$S.err")" 1 "$1: one warning, not one per retry"
  is "$(state "$S")" 0 "$1: status says down"
  is "$(want "$S")" u "$1: want up"
}

S=$T/missing; mkdir "$S"
sv_start "$S"
check "missing run" "No such file"
printf '#!/bin/sh\necho started > started\nexec sleep 1000\n' > "$S/run.new"; chmod 755 "$S/run.new"; mv "$S/run.new" "$S/run"
wait_for 12000 test -f "$S/started"; ok $? "missing run: started by the 10 s retry once it appears"
ctl "$S" dx; wait_for 5000 dead "$svpid"; ok $? "supervise exits"

S=$T/noexec; mkdir "$S"; printf '#!/bin/sh\nexec sleep 1000\n' > "$S/run"; chmod 644 "$S/run"
sv_start "$S"
check "non-executable run" "ermission denied" quick
ctl "$S" x; wait_for 5000 dead "$svpid"; ok $? "x while down and retrying: supervise exits"

S=$T/isdir; mkdir -p "$S/run"
sv_start "$S"
check "directory run" "is a directory"
rmdir "$S/run"; mkservice "$S" 'echo started > started; exec sleep 1000'
ctl "$S" u
wait_for 2000 test -f "$S/started"; ok $? "directory run replaced, svc -u: started at once"
ctl "$S" dx; wait_for 5000 dead "$svpid"; ok $? "supervise exits"

S=$T/dangling; mkdir "$S"; ln -s "$T/nowhere" "$S/run"
sv_start "$S"
check "dangling symlink run" "dangling symlink" quick
ctl "$S" x; wait_for 5000 dead "$svpid"; ok $? "supervise exits"

S=$T/badinterp; mkdir "$S"; printf '#!/nonexistent/interpreter\n' > "$S/run"; chmod 755 "$S/run"
sv_start "$S"
wait_for 5000 grep -q "unable to spawn $S/run: interpreter not found" "$S.err"
ok $? "bad #! line: warning says the interpreter is missing"
ctl "$S" x; wait_for 5000 dead "$svpid"; ok $? "supervise exits"

done_testing
