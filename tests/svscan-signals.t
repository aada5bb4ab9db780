#!/bin/sh
# svscan: SIGHUP re-reports junk and rescans; a log/ taken away is drained
# and its service goes back to svscan's stdout; -t 0 with SIGALRM.
. "$(dirname "$0")/lib.sh"
. "$TESTS/svscan-lib.sh"
[ -x "$BIN/svscan" ] && [ -x "$BIN/supervise" ] || skip_all "bin/svscan or bin/supervise not built"

mkdir "$T/sv"
mkservice "$T/sv/b" "i=0; while :; do i=\$((i+1)); echo \"b \$i\" || exit 1; sleep 0.01; done"
mkservice "$T/sv/b/log" "exec cat >> $T/b.log"
touch "$T/sv/junk"
start_svscan -t 0 "$T/sv"
wait_for 5000 svc_up "$T/sv/b"; ok $? "b up"
wait_for 5000 file_has "$T/b.log" '^b 5$'; ok $? "b logs through the pipe"
wait_for 3000 file_has "$T/err" 'ignoring junk'; ok $? "junk warned"
kill -HUP "$SVSCAN"
wait_for 3000 sh -c "[ \$(grep -c 'ignoring junk' '$T/err') = 2 ]"; ok $? "SIGHUP reports it again"
kill -ALRM "$SVSCAN"; kill -ALRM "$SVSCAN"
newservice c 'exec sleep 1000'
wait_for 3000 svc_up "$T/sv/c"; ok $? "picked up after ALRM scans"
is "$(grep -c 'ignoring junk' "$T/err")" 2 "SIGALRM does not repeat the warning"

bpid=$(pidfile_pid "$T/sv/b")
lsup=$(supervise_pid b/log)
mv "$T/sv/b/log" "$T/b-log-gone"
wait_for 5000 dead "$lsup"; ok $? "log/ taken away: the logger's supervise exits"
newpid() { p=$(pidfile_pid "$T/sv/b"); [ -n "$p" ] && [ "$p" != "$bpid" ]; }
wait_for 5000 newpid; ok $? "b restarted without the pipe"
wait_for 5000 file_has "$T/out" '^b 3$'; ok $? "its output now goes to svscan's stdout"
n=$(tail -n 1 "$T/b.log" | sed 's/^b //')
seq 1 "$n" | sed 's/^/b /' | cmp -s - "$T/b.log"; ok $? "the old logger drained: b.log holds 1..$n, nothing lost"
kill -TERM "$SVSCAN"
wait "$SVSCAN"; is "$?" 0 "svscan exits 0"
done_testing
