#!/bin/sh
# supervise: the supervise/ directory, its modes, status bytes field by field
# (layout in doc/formats.md), the ok FIFO, the lock, usage errors.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/supervise-lib.sh"

have perl || skip_all "perl needed to open FIFOs non-blocking"
# okopen FIFO: non-blocking open for writing succeeds iff a reader holds it
okopen() { perl -MFcntl -e 'sysopen(my $f, $ARGV[0], O_WRONLY|O_NONBLOCK) or exit 1' "$1"; }

"$BIN/supervise" >/dev/null 2>&1
is "$?" 100 "no DIR: exit 100"
"$BIN/supervise" "$T/nonexistent" 2>/dev/null
is "$?" 111 "DIR that cannot be entered: exit 111"

S=$T/svc
mkservice "$S" 'echo $$ > pid.run; exec sleep 1000'
umask 000
sv_start "$S"
umask 022
wait_for 5000 is_up "$S"
ok $? "service comes up"
is "$(stat -c %a "$S/supervise")" 700 "supervise/ is 0700 under umask 000"
is "$(stat -c %a "$S/supervise/control")" 600 "control is 0600"
is "$(stat -c %a "$S/supervise/ok")" 600 "ok is 0600"
is "$(stat -c %a "$S/supervise/lock")" 600 "lock is 0600"
is "$(stat -c %F "$S/supervise/control")" "fifo" "control is a FIFO"
is "$(stat -c %F "$S/supervise/ok")" "fifo" "ok is a FIFO"
wait_for 5000 test -s "$S/pid.run"
runpid=$(cat "$S/pid.run")
# supervise opens ok for reading only after its first status write
wait_for 5000 okopen "$S/supervise/ok"
ok $? "ok FIFO can be opened for writing while supervise runs"

# ---- status: 20 bytes, runit layout -------------------------------------
st=$S/supervise/status
is "$(stat -c %s "$st")" 20 "status is 20 bytes"
is "$(xs_u32 "$st" 12)" "$runpid" "status[12..15]: pid, little-endian"
is "$(xs_u8 "$st" 16)" 0 "status[16]: not paused"
is "$(od -An -c -j 17 -N1 "$st" | tr -d ' ')" u "status[17]: want u"
is "$(xs_u8 "$st" 18)" 0 "status[18]: no TERM sent"
is "$(xs_u8 "$st" 19)" 1 "status[19]: 1 = run"
now=$(date +%s)
tai=$(od -An -tx1 -N8 "$st" | tr -d ' \n')
secs=$(( 0x$tai - 0x400000000000000a ))
[ "$secs" -le "$now" ] && [ "$secs" -ge $((now - 30)) ]
ok $? "status[0..11]: TAI64N label = 2^62 + 10 + unix time ($secs vs $now)"
nsec=$(od -An -tx1 -j 8 -N4 "$st" | tr -d ' \n')
[ $((0x$nsec)) -lt 1000000000 ]
ok $? "status[8..11]: nanoseconds < 10^9"

# ---- xstatus: 96 bytes, version 2 -----------------------------------------
xs_snap "$S"
x=$T/xs.snap
is "$(stat -c %s "$x")" 96 "xstatus is 96 bytes"
is "$(od -An -c -N4 "$x" | tr -d ' ')" svkx "xstatus[0..3]: magic svkx"
is "$(xs_u8 "$x" 4)" 2 "xstatus[4]: version 2"
is "$(xs_u8 "$x" 5)" 1 "xstatus[5]: state run"
is "$(od -An -c -j 6 -N1 "$x" | tr -d ' ')" u "xstatus[6]: want u"
is "$(xs_u8 "$x" 7)" 0 "xstatus[7]: no flags"
is "$(od -An -tx1 -j 8 -N12 "$x" | tr -d ' \n')" "$(od -An -tx1 -N12 "$st" | tr -d ' \n')" "xstatus[8..19]: same stamp as status"
is "$(xs_u32 "$x" 32)" "$runpid" "xstatus[32..35]: pid"
is "$(xs_s32 "$x" 36)" 0 "xstatus[36..39]: exit code 0 (none yet)"
is "$(xs_u32 "$x" 40)" 0 "xstatus[40..43]: exit signal 0"
is "$(xs_u32 "$x" 44)" 1 "xstatus[44..47]: 1 start"
pst=$(awk '{ sub(/.*\) /, ""); print $20 }' "/proc/$runpid/stat")
is "$(od -An -tu8 --endian=little -j 48 -N8 "$x" | tr -d ' ')" "$pst" "xstatus[48..55]: start time of pid from /proc"
is "$(xs_u32 "$x" 56)" "$svpid" "xstatus[56..59]: supervise's pid"
is "$(od -An -tx1 -j 60 -N4 "$x" | tr -d ' \n')" 00000000 "xstatus[60..63]: zero"
is "$(od -An -tu8 --endian=little -j 64 -N8 "$x" | tr -d ' ') $(od -An -tu8 --endian=little -j 72 -N8 "$x" | tr -d ' ')" "$(stat -c '%d %i' "$S")" "xstatus[64..79]: device and inode of the service directory"
is "$(od -An -tx1 -j 80 -N16 "$x" | tr -d ' \n')" "$(tr -d '\n-' < /proc/sys/kernel/random/boot_id)" "xstatus[80..95]: boot id"

# ---- stat and pid text files ---------------------------------------------
is "$(cat "$S/supervise/stat")" run "stat: run"
is "$(cat "$S/supervise/pid")" "$runpid" "pid: the service pid"
for f in status xstatus stat pid; do
  [ ! -e "$S/supervise/$f.new" ]
  ok $? "no $f.new left behind"
done

# ---- the environment of run -------------------------------------------------
E=$T/env
mkservice "$E" 'pwd > cwd; exec sleep 1000'
# fds 3+ of this test are closed first: only supervise's own could leak
( trap '' USR1 HUP; exec perl -MPOSIX -e 'POSIX::close($_) for 3..1023; exec @ARGV or exit 111' "$BIN/supervise" "$E" 2>>"$E.err" ) &
esv=$!; track "$esv"
wait_for 5000 test -s "$E/cwd"
wait_for 5000 is_up "$E"
ep=$(svc_pid "$E")
wait_for 5000 sh -c '[ "$(cat /proc/$1/comm)" = sleep ]' sh "$ep"   # run has exec'd
is "$(ls "/proc/$ep/fd" | sort -n | tr '\n' ' ')" "0 1 2 " "run gets fds 0 1 2 only (no supervise fd leaks)"
is "$(cat "$E/cwd")" "$E" "run's cwd is the service dir"
is "$(ps -o sid= -p "$ep" | tr -d ' ')" "$ep" "run leads its own session"
is "$(awk '/^SigBlk/ {print $2}' "/proc/$ep/status")" 0000000000000000 "run's signal mask is empty"
# Signals 32 and 33 are the C library's own (glibc refuses sigaction on them,
# and installs its handlers over SIG_IGN when it needs them): a SIG_IGN on them
# inherited from whatever started the test cannot be reset and does not matter.
sigign=$(awk '/^SigIgn/ {print $2}' "/proc/$ep/status")
is "$(printf '%016x' $((0x$sigign & ~0x180000000)))" 0000000000000000 "no ignored signals (inherited SIG_IGN reset, SIGPIPE too)" ||
  { grep -E '^(Name|Pid|PPid|Sig)' "/proc/$ep/status"; cat "$E/supervise/stat"; } | sed 's/^/# diag: /' >&2
ctl "$E" dx
wait_for 5000 dead "$esv"; ok $? "supervise exits"

# ---- an idle supervise never wakes up ------------------------------------------
csw() { awk '/^(non)?voluntary_ctxt_switches/ { n += $2 } END { print n }' "/proc/$1/status"; }
c0=$(csw "$svpid")
sleep 1   # the observation window
is "$(csw "$svpid")" "$c0" "idle supervise: no context switch in 1 s (no periodic timer)"

# ---- a second supervise is refused ---------------------------------------
"$BIN/supervise" "$S" 2>"$T/second.err"
is "$?" 111 "second supervise on the same dir: exit 111"
grep -q "supervise: fatal: unable to lock $S/supervise/lock: another supervise is running on it" "$T/second.err"
ok $? "second supervise: message names the lock" || cat "$T/second.err" | sed 's/^/# /'
alive "$svpid"
ok $? "the first supervise is still running"
if have s6-svok; then
  s6-svok "$S"; is "$?" 0 "s6-svok sees the POSIX record lock"
else skip "s6-svok not installed"; fi
if have flock; then
  flock -n "$S/supervise/lock" true; is "$?" 1 "flock(1) sees the BSD lock"
else skip "flock(1) not installed"; fi

# ---- down and exit: status shows down, ok closes --------------------------
ctl "$S" dx
wait_for 5000 dead "$svpid"
ok $? "dx: supervise exits"
wait "$svpid"; is "$?" 0 "exit code 0 after x"
dead "$runpid"; ok $? "service is gone"
is "$(xs_u8 "$st" 19)" 0 "status says down"
is "$(xs_u32 "$st" 12)" 0 "status pid 0"
is "$(od -An -c -j 17 -N1 "$st" | tr -d ' ')" d "status want d"
is "$(cat "$S/supervise/stat")" "down, want exit" "stat: down, want exit"
is "$(stat -c %s "$S/supervise/pid")" 0 "pid file empty when down"
okopen "$S/supervise/ok"
ok $((! $?)) "ok FIFO cannot be opened once supervise is gone"
ls "$S/supervise" | sort | tr '\n' ' ' | grep -q "control lock ok pid stat status xstatus"
ok $? "supervise/ holds its files after exit"

# ---- a regular file where a FIFO belongs is replaced (it would spin) -------
R=$T/regular
mkservice "$R" 'exec sleep 1000'
mkdir -m 755 "$R/supervise"; : > "$R/supervise/control"
sv_start "$R"
wait_for 5000 is_up "$R"; ok $? "stray regular control file: service still comes up"
test -p "$R/supervise/control"; ok $? "control replaced by a FIFO"
grep -q "warning: replacing $R/supervise/control" "$R.err"; ok $? "with a warning"
is "$(stat -c %a "$R/supervise")" 700 "an existing supervise/ 0755 is made 0700"
is "$(stat -c %a "$R/supervise/status")" 644 "status files are 0644"
t0=$(cputicks "$svpid"); ctl "$R" h; ctl "$R" h
[ $(( $(cputicks "$svpid") - t0 )) -le 5 ]; ok $? "no busy loop"
ctl "$R" dx; wait_for 5000 dead "$svpid"; ok $? "supervise exits"

# ---- supervise/ as a symlink to a directory is followed --------------------
L=$T/linked
mkservice "$L" 'exec sleep 1000'
mkdir "$T/real-supervise"
ln -s "$T/real-supervise" "$L/supervise"
sv_start "$L"
wait_for 5000 is_up "$L"
ok $? "supervise/ symlink: service comes up"
test -p "$T/real-supervise/control"
ok $? "supervise/ symlink: files created in the target"
ctl "$L" dx
wait_for 5000 dead "$svpid"
ok $? "supervise exits"

done_testing
