#!/bin/sh
# svscan: pickup through inotify (no signal, periodic scan off), rename keeps
# the service, removal stops it, junk warns once, late log/ gets connected.
. "$(dirname "$0")/lib.sh"
. "$TESTS/svscan-lib.sh"
[ -x "$BIN/svscan" ] && [ -x "$BIN/supervise" ] || skip_all "bin/svscan or bin/supervise not built"

mkdir "$T/sv"
mkservice "$T/sv/a" 'i=0; while :; do i=$((i+1)); echo "a $i"; sleep 0.05; done'
# a decoy supervise first in PATH: svscan must run the one beside itself
mkdir "$T/decoy"
printf '#!/bin/sh\ntouch %s/decoy-ran\nexit 1\n' "$T" > "$T/decoy/supervise"
chmod +x "$T/decoy/supervise"
opath=$PATH; PATH="$T/decoy:$PATH"; export PATH
start_svscan -t 0 "$T/sv"
PATH=$opath; export PATH
wait_for 5000 svc_up "$T/sv/a"; ok $? "service present at start is started"
[ ! -e "$T/decoy-ran" ]; ok $? "the supervise beside svscan is run, not the one in PATH"

newservice b 'exec sleep 1000'
wait_for 3000 svc_up "$T/sv/b"; ok $? "new service picked up without any signal (-t 0)"
bpid=$(pidfile_pid "$T/sv/b")
bsup=$(supervise_pid b)
[ -n "$bsup" ]; ok $? "supervise b is a child of svscan"

mv "$T/sv/b" "$T/sv/b2"
newservice c 'exec sleep 1000'   # c's pickup proves the rename was scanned
wait_for 3000 svc_up "$T/sv/c"; ok $? "another new service picked up"
is "$(pidfile_pid "$T/sv/b2")" "$bpid" "rename keeps the service pid"
alive "$bsup"; ok $? "rename keeps the supervise"

cpid=$(pidfile_pid "$T/sv/c")
csup=$(supervise_pid c)
mv "$T/sv/c" "$T/gone-c"
wait_for 5000 dead "$cpid"; ok $? "removed service is stopped"
wait_for 5000 dead "$csup"; ok $? "its supervise is gone"

touch "$T/sv/plainfile"
ln -s "$T/later/svc" "$T/sv/broken"
newservice d 'exec sleep 1000'
wait_for 3000 svc_up "$T/sv/d"; ok $? "scan with junk present still starts services"
kill -ALRM "$SVSCAN"; kill -ALRM "$SVSCAN"
touch "$T/sv/plainfile"; touch "$T/sv/plainfile"   # more inotify scans (IN_ATTRIB)
newservice e 'exec sleep 1000'
wait_for 3000 svc_up "$T/sv/e"; ok $? "service after forced rescans picked up"
kill -ALRM "$SVSCAN"
newservice f 'exec sleep 1000'
wait_for 3000 svc_up "$T/sv/f"; ok $? "and after one more"
is "$(count_in "$T/err" plainfile)" 1 "plain file warned about exactly once"
is "$(count_in "$T/err" broken)" 1 "broken symlink warned about exactly once"
is "$(pidfile_pid "$T/sv/b2")" "$bpid" "junk broke nothing"

mkdir -p "$T/later"
mkservice "$T/later/svc.tmp" 'exec sleep 1000'
mv "$T/later/svc.tmp" "$T/later/svc"
wait_for 3000 svc_up "$T/sv/broken"; ok $? "broken symlink picked up when its target appears (watch on the target's parent)"

# a log/ added to a running service: lines reach the logger
apid=$(pidfile_pid "$T/sv/a")
mkservice "$T/newlog" 'exec cat > ../../alog'
mv "$T/newlog" "$T/sv/a/log"
wait_for 5000 file_has "$T/sv/alog" '^a [0-9]'; ok $? "a later log/ gets connected: lines reach the logger"
file_has "$T/out" '^a 1$'; ok $? "before that, output went to svscan's stdout"
n1=$(wc -l < "$T/sv/alog")
wait_for 3000 sh -c "[ \$(wc -l < '$T/sv/alog') -gt $((n1 + 5)) ]"; ok $? "and keep flowing"
alive "$SVSCAN"; ok $? "svscan still running"
kill -TERM "$SVSCAN"
wait "$SVSCAN"; is "$?" 0 "svscan exits 0 on TERM"
done_testing
