#!/bin/sh
# supervise under umask 0777 (issue 13 item 13): every file of supervise/
# gets its mode explicitly, so the owner's svstat, svok and svc still work.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/supervise-lib.sh"

mode() { stat -c %a "$1" 2>/dev/null; }
modes() { for f in "" /control /ok /lock /status /xstatus /stat /pid; do printf '%s ' "$(mode "$1/supervise$f")"; done; }
want_modes="700 600 600 600 644 644 644 644 "

S=$T/root
mkservice "$S" 'exec sleep 1000'
( umask 0777; exec "$BIN/supervise" "$S" 2>>"$S.err" ) & svpid=$!; track "$svpid"
wait_for 5000 sv_ready "$S"
wait_for 5000 is_up "$S"
is "$(modes "$S")" "$want_modes" "umask 0777: supervise/ 0700, control ok lock 0600, status xstatus stat pid 0644"
ctl "$S" t   # a rewrite of every status file
wait_for 5000 sh -c '[ "$(od -An -tu4 --endian=little -j 40 -N4 "$1/supervise/xstatus" | tr -d " ")" = 15 ]' sh "$S"
is "$(modes "$S")" "$want_modes" "the same after the status files were rewritten"
ctl "$S" dx; wait_for 5000 dead "$svpid"; ok $? "supervise exits"

if is_root && have setpriv && id nobody >/dev/null 2>&1; then
  NB="setpriv --reuid=nobody --regid=$(id -g nobody) --clear-groups"
  U=$T/user; mkdir -p "$U"
  mkservice "$U/s" 'exec sleep 1000'; chown -R nobody "$U"
  ( umask 0777; exec $NB "$BIN/supervise" "$U/s" 2>>"$U.err" ) & svpid=$!; track "$svpid"
  wait_for 5000 sv_ready "$U/s"
  wait_for 5000 is_up "$U/s"
  is "$(modes "$U/s")" "$want_modes" "as nobody, umask 0777: the same modes"
  out=$($NB "$BIN/svstat" "$U/s" 2>&1)
  echo "$out" | grep -q ": up (pid [0-9]*)"; ok $? "the owner's svstat works: $out"
  $NB "$BIN/svok" "$U/s"; ok $? "the owner's svok works"
  $NB "$BIN/svc" -dx "$U/s"; ok $? "the owner's svc works"
  wait_for 5000 dead "$svpid"; ok $? "supervise exits"
else
  skip "needs root, setpriv and a user nobody"; skip same; skip same; skip same; skip same
fi
done_testing
