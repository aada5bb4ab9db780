#!/bin/sh
# svscan: the pipe between a service and its logger is held by svscan, so
# a logger that dies, or does not read for a while, loses no line, and the
# producer never gets SIGPIPE; on removal the logger goes last and drains.
. "$(dirname "$0")/lib.sh"
. "$TESTS/svscan-lib.sh"
[ -x "$BIN/svscan" ] && [ -x "$BIN/supervise" ] || skip_all "bin/svscan or bin/supervise not built"

mkdir "$T/sv"
# numbered lines, every 10 ms; the count written is the last line sent
# (absolute paths: the service directory is moved out of DIR below)
# While $T/pause exists it writes nothing (and says so with $T/paused):
# killing a plain `cat` logger while a line is on its way to it loses that
# line inside cat, whatever svscan does, so the kills below happen with
# the pipe quiet. (svkit's multilog does not have that problem.)
mkservice "$T/sv/p" "i=0; while :; do
  if [ -e $T/pause ]; then touch $T/paused; sleep 0.01; continue; fi
  i=\$((i+1)); echo \"line \$i\" || exit 1; echo \$i > $T/count.new; mv $T/count.new $T/count; sleep 0.01; done"
# the logger appends; while $T/hold exists a fresh logger does not read
mkservice "$T/sv/p/log" "while [ -e $T/hold ]; do sleep 0.02; done
exec cat >> $T/log.out"
start_svscan -t 0 "$T/sv"
wait_for 5000 svc_up "$T/sv/p"; ok $? "producer up"
wait_for 5000 svc_up "$T/sv/p/log"; ok $? "logger up"
ppid0=$(pidfile_pid "$T/sv/p")
# quiesce: producer paused, logger has everything it sent
quiesce() {
  rm -f "$T/paused"; touch "$T/pause"
  wait_for 5000 test -e "$T/paused" || return 1
  c=$(cat "$T/count")
  wait_for 5000 grep -qx "line $c" "$T/log.out"
}
wait_for 5000 sh -c "[ \$(wc -l < '$T/log.out') -ge 20 ]"; ok $? "lines reach the logger"

# kill the logger and keep the next one from reading for a while
quiesce; ok $? "producer paused, logger caught up"
touch "$T/hold"
lpid=$(pidfile_pid "$T/sv/p/log")
kill -TERM "$lpid"
wait_for 5000 dead "$lpid"; ok $? "logger process killed"
rm -f "$T/pause"
c0=$(cat "$T/count")
wait_for 5000 sh -c "[ \$(cat '$T/count') -ge $((c0 + 30)) ]"; ok $? "producer keeps writing while nobody reads (no SIGPIPE)"
rm -f "$T/hold"
c1=$(cat "$T/count")
wait_for 5000 sh -c "grep -qx 'line $c1' '$T/log.out'"; ok $? "restarted logger gets what was written meanwhile"
is "$(pidfile_pid "$T/sv/p")" "$ppid0" "producer was never restarted"

# removal while the pipe holds unread lines: producer down first, then the
# logger reads to EOF on its own; it must not be killed before that
quiesce; ok $? "producer paused, logger caught up"
touch "$T/hold"
lpid=$(pidfile_pid "$T/sv/p/log")
kill -TERM "$lpid"
wait_for 5000 dead "$lpid"; ok $? "logger process killed again"
rm -f "$T/pause"
c0=$(cat "$T/count")
wait_for 5000 sh -c "[ \$(cat '$T/count') -ge $((c0 + 20)) ]"; ok $? "lines pile up in the pipe"
lsup=$(supervise_pid p/log)
mv "$T/sv/p" "$T/gone-p"
wait_for 5000 dead "$ppid0"; ok $? "removed producer stopped"
nosup() { [ -z "$(supervise_pid p)" ]; }
wait_for 5000 nosup; ok $? "its supervise gone"
alive "$lsup"; ok $? "logger's supervise still there while the logger has not read the pipe"
rm -f "$T/hold"
wait_for 5000 dead "$lsup"; ok $? "logger's supervise exits once the logger hit EOF"
wait_for 2000 sh -c "[ -z \"\$(ps -o pid= --ppid $SVSCAN)\" ]"; ok $? "no supervise left"
last=$(cat "$T/count")
n=$(tail -n 1 "$T/log.out" | sed 's/^line //')
[ "$n" -ge "$last" ] 2>/dev/null && [ "$n" -le $((last + 1)) ]; ok $? "logger drained the pipe: last line logged ($n) is the last sent ($last)"
# lines 1..n, each exactly once, in order
seq 1 "$n" | sed 's/^/line /' > "$T/expect"
cmp -s "$T/expect" "$T/log.out"; ok $? "no line lost or repeated ($n lines)" ||
  diff "$T/expect" "$T/log.out" | head -5 | sed 's/^/# /'
kill -TERM "$SVSCAN"
wait "$SVSCAN"; is "$?" 0 "svscan exits 0"
done_testing
