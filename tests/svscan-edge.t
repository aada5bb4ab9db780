#!/bin/sh
# svscan edge cases: a service that comes back while its logger drains; a
# log/ replaced by another directory; two names for one directory; a
# service directory deleted outright.
. "$(dirname "$0")/lib.sh"
. "$TESTS/svscan-lib.sh"
[ -x "$BIN/svscan" ] && [ -x "$BIN/supervise" ] || skip_all "bin/svscan or bin/supervise not built"

mkdir "$T/sv"
mkservice "$T/sv/p" "i=0; while :; do i=\$((i+1)); echo \"p \$i\" || exit 1; echo \$i > $T/count.new; mv $T/count.new $T/count; sleep 0.01; done"
mkservice "$T/sv/p/log" "while [ -e $T/hold ]; do sleep 0.02; done
exec cat >> $T/p.log"
mkservice "$T/sv/q" 'exec sleep 1000'
ln -s q "$T/sv/q-alias"
start_svscan -t 0 "$T/sv"
wait_for 5000 svc_up "$T/sv/p"; ok $? "p up"
wait_for 5000 svc_up "$T/sv/q"; ok $? "q up"
wait_for 5000 file_has "$T/p.log" '^p 3$'; ok $? "p logs"
nq() { ps -o args= --ppid "$SVSCAN" | grep -c '^supervise q'; }
is "$(nq)" 1 "a directory and a symlink to it: one supervise"

# p leaves while its logger is not reading, and comes back
touch "$T/hold"
lsup=$(supervise_pid p/log)
lpid=$(pidfile_pid "$T/sv/p/log")
kill -TERM "$lpid"
wait_for 5000 dead "$lpid"
c0=$(cat "$T/count")
wait_for 5000 sh -c "[ \$(cat '$T/count') -ge $((c0 + 10)) ]"; ok $? "lines wait in the pipe"
mv "$T/sv/p" "$T/p.away"
nomain() { [ -z "$(supervise_pid p)" ]; }
wait_for 5000 nomain; ok $? "p's supervise exits"
alive "$lsup"; ok $? "its logger's supervise waits for the drain"
mv "$T/p.away" "$T/sv/p"
rm -f "$T/hold"
both() { [ -n "$(supervise_pid p)" ] && [ -n "$(supervise_pid p/log)" ] && [ "$(supervise_pid p/log)" != "$lsup" ]; }
wait_for 8000 both; ok $? "after the drain, p and a new logger run again"
n0=$(wc -l < "$T/p.log")
wait_for 5000 sh -c "[ \$(wc -l < '$T/p.log') -gt $((n0 + 5)) ]"; ok $? "and p logs again"

# log/ replaced by another directory: new logger, same producer
ppid=$(pidfile_pid "$T/sv/p")
lsup=$(supervise_pid p/log)
mkservice "$T/newlog" "exec cat >> $T/p2.log"
mv "$T/sv/p/log" "$T/oldlog"
mv "$T/newlog" "$T/sv/p/log"
wait_for 5000 file_has "$T/p2.log" '^p '; ok $? "log/ replaced: lines reach the new logger"
dead "$lsup"; ok $? "the old logger's supervise is gone"

# deleted outright
qpid=$(pidfile_pid "$T/sv/q")
# q's supervise, whichever name (q or q-alias) svscan read first: the
# supervise pid recorded in xstatus
qsup=$(od -An -tu4 --endian=little -j 56 -N4 "$T/sv/q/supervise/xstatus" | tr -d ' ')
[ -n "$qsup" ] && [ "$qsup" != 0 ] && alive "$qsup"; ok $? "q's supervise runs (pid $qsup)"
rm -rf "$T/sv/q-alias" "$T/sv/q"
wait_for 5000 dead "$qpid"; ok $? "deleted service stopped"
wait_for 5000 dead "$qsup"; ok $? "its supervise gone"
kill -TERM "$SVSCAN"
wait "$SVSCAN"; is "$?" 0 "svscan exits 0"
done_testing
