#!/bin/sh
# Fault 10: permissions.  supervise/ is 0700 and its FIFOs 0600 whatever the
# umask; a log directory and its files get the modes doc/formats.md gives;
# nothing follows a symlink planted in supervise/ or in a log directory.
. "$(dirname "$0")/lib.sh"
. "$TESTS/supervise-lib.sh"
. "$TESTS/faults-lib.sh"

mode() { stat -c %a "$1"; }
ftype() { stat -c %F "$1"; }
# victims: files a planted symlink points to; they must never change
victim() { printf 'secret %s\n' "$1" > "$T/victim.$1"; chmod 600 "$T/victim.$1"; }
intact() { [ "$(cat "$T/victim.$1")" = "secret $1" ] && [ "$(mode "$T/victim.$1")" = 600 ]; }
planted=0 followed=0

for um in 000 022 077; do
  mkservice "$T/u$um" "exec sleep 100000"
  ( umask $um; exec "$BIN/supervise" "$T/u$um" 2>>"$T/u$um.err" ) & track $!
  wait_for 5000 test -p "$T/u$um/supervise/ok"
  wait_for 5000 is_up "$T/u$um"
  is "$(mode "$T/u$um/supervise")" 700 "umask $um: supervise/ is 0700"
  is "$(mode "$T/u$um/supervise/control") $(mode "$T/u$um/supervise/ok")" "600 600" "umask $um: control and ok are 0600"
  is "$(mode "$T/u$um/supervise/lock")" 600 "umask $um: lock is 0600"
  m=$(mode "$T/u$um/supervise/status")
  ok $([ $((0$m & 022)) -eq 0 ]; echo $?) "umask $um: status is not group/world writable ($m)"
done

# symlinks planted in supervise/ before supervise starts
mkservice "$T/p" "exec sleep 100000"
mkdir -m 755 "$T/p/supervise"
for f in status.new xstatus.new stat.new pid.new status lock control ok; do
  victim "$f"; ln -s "$T/victim.$f" "$T/p/supervise/$f"; planted=$((planted+1))
done
"$BIN/supervise" "$T/p" 2>"$T/p.err" & track $!
wait_for 5000 is_up "$T/p"; ok $? "supervise runs the service despite the planted symlinks"
ctl "$T/p" d
wait_for 5000 is_down "$T/p"; ok $? "and obeys control"
for f in status.new xstatus.new stat.new pid.new status lock control ok; do
  intact "$f"; ok $? "supervise/$f -> victim: the victim is untouched" || followed=$((followed+1))
done
is "$(mode "$T/p/supervise")" 700 "an existing supervise/ is made 0700"
is "$(ftype "$T/p/supervise/control")" fifo "control is a FIFO again"
if nobody_ok; then
  as_nobody ln -s "$T/victim.x" "$T/p/supervise/status.new" 2>/dev/null
  ok $((! $?)) "another user cannot plant anything in supervise/"
else
  skip "not root"
fi

# log directories: a directory another user can write to (0777) where that
# user planted symlinks; multilog runs as root, with a processor
mkdir -m 777 "$T/log"
for f in current state lock processed newstate previous; do
  victim "log.$f"; ln -s "$T/victim.log.$f" "$T/log/$f"; planted=$((planted+1))
done
seq 1 3000 | "$BIN/multilog" s4096 n100 '!cat' "$T/log" 2>"$T/ml.err"
is "$?" 0 "multilog ran over the planted log directory" || sed 's/^/# /' "$T/ml.err"
for f in current state lock processed newstate previous; do
  intact "log.$f"; ok $? "log/$f -> victim: the victim is untouched" || followed=$((followed+1))
done
cat "$T/log"/@*.s "$T/log/current" 2>/dev/null | sort -un | wc -l > "$T/n"
is "$(tr -d ' ' < "$T/n")" 3000 "the lines went into the log directory" 

# a log directory multilog creates
( umask 000; seq 1 10 | exec "$BIN/multilog" s4096 "$T/newlog" )
is "$(mode "$T/newlog")" 700 "a new log directory is 0700 whatever the umask"
is "$(mode "$T/newlog/current") $(mode "$T/newlog/lock")" "744 600" "current (cleanly finished) 0744, lock 0600"
fault_report permissions "$planted" 0 0 "$((planted - followed))"
done_testing
