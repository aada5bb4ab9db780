#!/bin/sh
# A symlink to "." or to an ancestor in the scan directory (issue 13, item
# 12): refused with a warning, no supervise on the scan directory (or above
# it); removing the link leaves svscan's own inotify watch in place, so a
# service added afterwards is still noticed at once (-t 0: no periodic scan
# to fall back on).
. "$(dirname "$0")/lib.sh"
. "$TESTS/svscan-lib.sh"
[ -x "$BIN/svscan" ] && [ -x "$BIN/supervise" ] || skip_all "bin/svscan or bin/supervise not built"

mkdir "$T/sv"
mkservice "$T/sv/a" 'exec sleep 100000'
ln -s . "$T/sv/dot"
ln -s .. "$T/sv/up"
ln -s "$T/sv" "$T/sv/self"
start_svscan -t 0 "$T/sv"
wait_for 10000 svc_up "$T/sv/a"; ok $? "a runs"
w() { wait_for 5000 grep -qx -- "$1" "$T/err"; ok $? "warning: $1" || sed 's/^/# /' "$T/err"; }
w "svscan: warning: ignoring dot: it leads to the scan directory itself"
w "svscan: warning: ignoring up: it leads to an ancestor of the scan directory"
w "svscan: warning: ignoring self: it leads to the scan directory itself"
# a second name for a's directory is still one service, not refused
ln -s a "$T/sv/a-alias"
kill -ALRM "$SVSCAN"
newservice b 'exec sleep 100000'
wait_for 10000 svc_up "$T/sv/b"; ok $? "b, added after a rescan, runs"
is "$(ps -o args= --ppid "$SVSCAN" | sort | tr '\n' ' ')" "supervise a supervise b " "svscan runs supervise on a and b only"
[ ! -e "$T/sv/supervise" ] && [ ! -e "$T/supervise" ]; ok $? "no supervise/ in the scan directory or its parent"
is "$(grep -c 'ignoring dot:' "$T/err")" 1 "one warning for dot, not one per scan"

# the links go: the scan directory's own watch must survive
rm "$T/sv/dot" "$T/sv/up" "$T/sv/self" "$T/sv/a-alias"
newservice c 'exec sleep 100000'
wait_for 10000 svc_up "$T/sv/c"; ok $? "after the links are removed, a new service is noticed (inotify still works)"
rm -rf "$T/sv/b"
wait_for 10000 sh -c "! ps -o args= --ppid $SVSCAN | grep -qx 'supervise b'"; ok $? "and a removed one too"
alive "$SVSCAN"; ok $? "svscan runs"
kill -TERM "$SVSCAN"
wait "$SVSCAN"; is "$?" 0 "svscan exits 0"
done_testing
