#!/bin/sh
# supervise: a start that fails for a reason that will not go away by itself
# (EACCES, EISDIR, ENOENT...) gets one warning, then retries after 1 s and
# every 10 s after that, silently; svc -u retries at once (issue 13 item
# 13).  Temporary errors (EMFILE, EAGAIN) keep the 1 s retry: faults-limits.t.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/supervise-lib.sh"

hz=$(getconf CLK_TCK 2>/dev/null || echo 100)
at() { while [ "$(now_ms)" -lt $((t0 + $1)) ]; do sleep 0.05; done; }   # wait until t0 + MS
nwarn() { c=$(grep -c "$2" "$1.err" 2>/dev/null); echo "${c:-0}"; }

# N: notification-fd a symlink to itself (ELOOP, as root too)
N=$T/n; mkservice "$N" 'echo up > started; exec sleep 1000'; ln -s notification-fd "$N/notification-fd"
# X: run not executable (EACCES)
X=$T/x; mkservice "$X" 'echo up > started; exec sleep 1000'; chmod 644 "$X/run"
# U: as nobody, notification-fd unreadable (EACCES): the reported case
U=
if is_root && have setpriv && id nobody >/dev/null 2>&1; then
  U=$T/u; mkdir -p "$U"; chmod 755 "$T"
  mkservice "$U" 'echo up > started; exec sleep 1000'; echo 3 > "$U/notification-fd"
  chmod 000 "$U/notification-fd"; chown -R nobody "$U"
  setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups test -x "$BIN/supervise" || U=
fi

# sv_start returns once xstatus is written, just after the first attempt:
# times below count from there, t0 for X, then N and U
sv_start "$X"; svx=$svpid; t0=$(now_ms)
sv_start "$N"; svn=$svpid
if [ -n "$U" ]; then
  setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups "$BIN/supervise" "$U" 2>>"$U.err" &
  svu=$!; track "$svu"
fi
wait_for 5000 grep -q "notification-fd" "$N.err"; ok $? "looping notification-fd: a warning" || sed 's/^/# /' "$N.err"
wait_for 5000 grep -q "unable to spawn $X/run: Permission denied" "$X.err"; ok $? "non-executable run: a warning" || sed 's/^/# /' "$X.err"
grep -q "every 10 seconds" "$X.err"; ok $? "the warning gives the retry interval" || sed 's/^/# /' "$X.err"

at 2500
chmod 755 "$X/run"           # fixed after the 1 s retry, before the next one
c0=$(cputicks "$svn")
at 6000
is "$(state "$X")$(test -f "$X/started" && echo ' started')" 0 "fixed run: not retried once a second (still down 3.5 s later)"
wait_for $((20000 - ($(now_ms) - t0))) test -f "$X/started"
ok $? "fixed run: started by the 10 s retry ($(( $(now_ms) - t0 )) ms after supervise started)"
is "$(nwarn "$X" "unable to spawn")" 1 "non-executable run: one warning in all"

at 13000                     # N and U have retried at 1 s and 11 s by now
c1=$(cputicks "$svn")
alive "$svn"; ok $? "looping notification-fd: supervise still runs"
[ $((c1 - c0)) -le $((hz / 10)) ]; ok $? "no busy loop ($((c1 - c0)) ticks of CPU)"
is "$(nwarn "$N" "notification-fd")" 1 "looping notification-fd: one warning in 12 s"
grep -q "not starting" "$N.err"; ok $((! $?)) "no 'not starting' line per retry"
is "$(state "$N") $(want "$N")" "0 u" "status: down, want up"
rm "$N/notification-fd"
ctl "$N" u
wait_for 2000 test -f "$N/started"; ok $? "fixed, svc -u: started at once"

if [ -n "$U" ]; then
  is "$(nwarn "$U" "notification-fd")" 1 "as nobody, unreadable notification-fd: one warning in 12 s" || sed 's/^/# /' "$U.err"
  grep -q "Permission denied" "$U.err"; ok $? "the reason is given"
  chmod 644 "$U/notification-fd"; ctl "$U" u
  wait_for 2000 test -f "$U/started"; ok $? "fixed, svc -u: started at once"
  ctl "$U" dx; wait_for 5000 dead "$svu"
else
  skip "needs root, setpriv and a user nobody"; skip same; skip same
fi

# the reason changes: warned again
chmod 644 "$X/run"; ctl "$X" k        # run exits; the restart fails with EACCES
wait_for 5000 sh -c '[ "$(grep -c "unable to spawn" "$1")" = 2 ]' sh "$X.err"; ok $? "a new failure after a success: warned again"
rm "$X/run"; ctl "$X" u
wait_for 5000 grep -q "No such file" "$X.err"; ok $? "another reason: warned again"

for p in $svn $svx; do svpid=$p; S=$N; [ $p = $svx ] && S=$X; ctl "$S" dx; wait_for 5000 dead "$p"; done
dead "$svn" && dead "$svx"; ok $? "both supervise exit"
done_testing
