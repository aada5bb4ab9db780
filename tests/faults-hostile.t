#!/bin/sh
# Fault 6: hostile service directories under svscan.  run missing, not
# executable, a directory, a dangling symlink; notification-fd and
# timeout-kill garbage or huge; an unknown down-signal; names with a space,
# a newline, 255 bytes; a scan directory full of junk entries.  A clear
# warning each, nothing crashes, nothing busy-loops.
. "$(dirname "$0")/lib.sh"
. "$TESTS/svscan-lib.sh"
. "$TESTS/faults-lib.sh"

JUNK=$(pick 1000 10000)
mkdir -p "$T/sv"
cd "$T/sv" || bail "cd"
mkdir norun
mkdir noexec; printf '#!/bin/sh\nexec sleep 1000\n' > noexec/run; chmod 644 noexec/run
mkdir -p rundir/run
mkdir dangling; ln -s /nonexistent/svkit/run dangling/run
good='exec sleep 100000'
for s in notifgarb notifhuge tkgarb tkhuge dsig; do mkservice "$T/new.$s" "$good"; done
echo abc > "$T/new.notifgarb/notification-fd"
echo 99999999999999999999999 > "$T/new.notifhuge/notification-fd"
echo 'zz top' > "$T/new.tkgarb/timeout-kill"
echo 99999999999999999999999 > "$T/new.tkhuge/timeout-kill"
echo SIGFOO > "$T/new.dsig/down-signal"
for s in notifgarb notifhuge tkgarb tkhuge dsig; do mv "$T/new.$s" "$s"; done
long255=$(printf '%0255d' 0 | tr 0 L)
NL='nl
x'
mkservice "$T/new.sp" "$good"; mv "$T/new.sp" "a b"
mkservice "$T/new.nl" "$good"; mv "$T/new.nl" "$NL"
mkservice "$T/new.long" "$good"; mv "$T/new.long" "$long255"
# junk: regular files, dangling symlinks, FIFOs, dot-names, binary names
perl -e '
  for my $i (1 .. $ARGV[0]) {
    my $k = $i % 5;
    if ($k == 0) { open(my $f, ">", "junk$i") or die; print $f "x" x ($i % 7); close $f }
    elsif ($k == 1) { symlink("/nonexistent/$i", "dangle$i") or die }
    elsif ($k == 2) { system("true") if 0; require POSIX; POSIX::mkfifo("fifo$i", 0600) or die }
    elsif ($k == 3) { mkdir(".hidden$i") or die }
    else { open(my $f, ">", "bin\x01\x7f\xff$i") or die; close $f }
  }' "$JUNK"
cd "$T" || bail "cd"
is "$(ls -A "$T/sv" | wc -l)" "$((JUNK + 13))" "scan directory holds $JUNK junk entries and 13 services"

ts=$(now_ms)   # norun's supervise retries once a second from here on
start_svscan "$T/sv"
for s in notifgarb notifhuge tkgarb tkhuge dsig "a b" "$long255"; do
  wait_for 10000 svc_up "$T/sv/$s"; ok $? "service '$(printf %s "$s" | cut -c1-20)' runs"
done
wait_for 10000 svc_up "$T/sv/$NL"; ok $? "service with a newline in its name runs"
w() { wait_for 10000 grep -q -- "$1" "$T/err"; ok $? "warning: $1" || tail -5 "$T/err" | sed 's/^/# /'; }
w "norun/run: No such file"
w "noexec/run: Permission denied"
w "rundir/run: is a directory"
w "dangling/run: dangling symlink"
w "invalid notification-fd in notifgarb"
w "invalid notification-fd in notifhuge"
"$BIN/svc" -d "$T/sv/tkgarb" "$T/sv/tkhuge" "$T/sv/dsig"
w "invalid timeout-kill in tkgarb"
w "invalid timeout-kill in tkhuge"
w "invalid down-signal in dsig"
for s in tkgarb tkhuge dsig; do
  wait_for 10000 sh -c "[ -z \"\$(cat '$T/sv/$s/supervise/pid')\" ]"; ok $? "$s went down with the default"
done
w "ignoring junk5: not a directory"
w "ignoring dangle1: broken symbolic link"
is "$(grep -c "ignoring junk5:" "$T/err")" 1 "one warning per junk entry, not one per scan"
grep -q hidden "$T/err"; ok $((! $?)) "dot-names skipped silently"

# nothing crashes, nothing busy-loops: every supervise keeps its pid, and
# svscan plus all supervises use little CPU over 3 s, with a rescan in it
sups=$(ps -o pid= --ppid "$SVSCAN" | tr '\n' ' ')
cpu() { t=$(cputicks "$SVSCAN"); for p in $sups; do t=$((t + $(cputicks "$p"))); done; echo $t; }
c0=$(cpu)
kill -ALRM "$SVSCAN"
wait_for 3000 false
c1=$(cpu)
alive "$SVSCAN"; ok $? "svscan survives"
is "$(ps -o pid= --ppid "$SVSCAN" | tr '\n' ' ')" "$sups" "no supervise died or was restarted"
ok $([ $((c1 - c0)) -lt 100 ]; echo $?) "CPU over 3 s with $JUNK junk entries: $((c1 - c0)) ticks"
cnt=$(grep -c "norun/run: No such file" "$T/err")
once_a_second "$cnt" "$ts"   # the steps above take longer on a loaded machine
ok $? "the retry of a missing run is throttled ($cnt warnings in $el s)"
fault_report hostile-dirs $((13 + JUNK)) 0 0 "$([ $((c1 - c0)) -lt 100 ] && echo $((13 + JUNK)) || echo 0)"
done_testing
