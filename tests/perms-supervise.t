#!/bin/sh
# Issue 8 item 10, supervise's part: supervise/ is 0700 and its FIFOs 0600
# whatever the umask; symlinks planted in supervise/ are not followed.
. "$(dirname "$0")/lib.sh"
. "$TESTS/supervise-lib.sh"

mode() { stat -c %a "$1" 2>/dev/null; }
kind() { stat -c %F "$1" 2>/dev/null; }
stop() { ctl "$1" dx; wait_for 5000 dead "$svpid"; }

for um in 000 077 022; do
  D=$T/fresh$um
  mkservice "$D" 'exec sleep 1000'
  ( umask $um; sv_start "$D"; echo "$svpid" > "$D.pid" )
  svpid=$(cat "$D.pid"); track "$svpid"
  wait_for 5000 test -p "$D/supervise/ok"
  is "$(mode "$D/supervise")" 700 "umask $um: supervise/ is 0700"
  is "$(mode "$D/supervise/control") $(mode "$D/supervise/ok")" "600 600" "umask $um: control and ok are FIFOs 0600"
  w=0
  for f in status xstatus stat pid lock; do
    [ $(( 0$(mode "$D/supervise/$f") & 02 )) -eq 0 ] || w=1
  done
  ok $w "umask $um: no file in supervise/ is world-writable"
  stop "$D"
done

# a supervise/ that exists already with another mode
D=$T/premade
mkservice "$D" 'exec sleep 1000'
mkdir -m 755 "$D/supervise"
sv_start "$D"
wait_for 5000 test -p "$D/supervise/ok"
is "$(mode "$D/supervise")" 700 "an existing supervise/ 0755 is made 0700"
stop "$D"

# symlinks planted in supervise/ before supervise starts
D=$T/planted
mkservice "$D" 'exec sleep 1000'
mkdir -m 700 "$D/supervise"
echo victim > "$T/victim"
for f in status xstatus stat pid; do ln -s "$T/victim" "$D/supervise/$f"; done
mkfifo "$T/evilfifo"
ln -s "$T/evilfifo" "$D/supervise/control"
ln -s "$T/evilfifo" "$D/supervise/ok"
echo victim > "$T/victim-lock"
ln -s "$T/victim-lock" "$D/supervise/lock"
"$BIN/supervise" "$D" 2>"$D.err" & svpid=$!; track "$svpid"
wait_for 5000 sh -c "test -f '$D/supervise/xstatus' && ! test -L '$D/supervise/xstatus'"
is "$(cat "$T/victim")" victim "status, xstatus, stat, pid symlinks: the target is not written"
r=0; for f in status xstatus stat pid; do [ "$(kind "$D/supervise/$f")" = "regular file" ] || r=1; done
ok $r "status, xstatus, stat, pid: replaced by regular files"
r=0; for f in control ok; do [ -L "$D/supervise/$f" ] && r=1; done
ok $r "control and ok: a planted symlink is not used"
[ ! -L "$D/supervise/lock" ]; ok $? "lock: a planted symlink is not used"
is "$(cat "$T/victim-lock")" victim "lock symlink: its target is not truncated"
alive "$svpid" && { ctl "$D" dx; wait_for 5000 dead "$svpid"; }
done_testing
