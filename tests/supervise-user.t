#!/bin/sh
# supervise: runs as an ordinary user in a directory that user owns.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/supervise-lib.sh"

is_root || skip_all "needs root to switch to an ordinary user"
have setpriv || skip_all "setpriv not installed"
uid=$(id -u nobody 2>/dev/null) || skip_all "no user nobody"
gid=$(id -g nobody)
bin_for_nobody   # a clone in a private directory: a copy of bin/ that nobody can run
setpriv --reuid="$uid" --regid="$gid" --clear-groups test -x "$BIN/supervise" ||
  skip_all "$BIN/supervise is not reachable by nobody"

S=$T/user
mkservice "$S" 'id -u > uid; echo $$ > runpid; exec sleep 1000'
chown -R "$uid:$gid" "$S"
setpriv --reuid="$uid" --regid="$gid" --clear-groups "$BIN/supervise" "$S" 2>>"$S.err" &
svpid=$!; track "$svpid"
wait_for 5000 test -s "$S/runpid"; ok $? "service started by an unprivileged supervise"
track "$(cat "$S/runpid")"
is "$(cat "$S/uid")" "$uid" "run runs as that user"
is "$(stat -c %u "$S/supervise")" "$uid" "supervise/ owned by the user"
is "$(stat -c %u "$S/supervise/xstatus")" "$uid" "xstatus owned by the user"
is "$(stat -c %a "$S/supervise")" 700 "supervise/ 0700"
ctl "$S" d
wait_for 5000 is_down "$S"; ok $? "control works"
ctl "$S" x
wait_for 5000 dead "$svpid"; ok $? "supervise exits"
[ ! -s "$S.err" ]; ok $? "no warnings" || sed 's/^/# /' "$S.err"

done_testing
