#!/bin/sh
# svc -w u|U|d|D|r|R and -T against svkit's supervise: readiness through
# notification-fd, the finish state, timeouts (99), no busy poll, and a
# supervise that dies while svc waits.
. "$(dirname "$0")/lib.sh"
. "$TESTS/svc-lib.sh"
[ -x "$BIN/supervise" ] || skip_all "svkit's supervise is not built"

N=$T/notify
mkservice "$N" "exec sh -c 'sleep 0.3; echo >&3; exec sleep 100000'"
echo 3 > "$N/notification-fd"
start_sup svkit "$N" || bail "supervise did not start on $N"

"$BIN/svc" -wU -T 10000 "$N"; is $? 0 "-wU without a command waits until up and ready"
is "$(field "$N" up,ready)" "true true" "it is up and ready"
track_service "$N"
s0=$(field "$N" starts)

"$BIN/svc" -r -wR -T 10000 "$N"; is $? 0 "-r -wR: restarted and ready"
is "$(field "$N" ready)" true "ready when svc returns"
[ "$(field "$N" starts)" -gt "$s0" ]; ok $? "start count increased"
track_service "$N"
p=$(field "$N" pid)
"$BIN/svc" -t -wr -T 10000 "$N"; is $? 0 "-t -wr: restarted"
[ "$(field "$N" pid)" != "$p" ]; ok $? "new pid"
track_service "$N"
"$BIN/svc" -d -wd -T 10000 "$N"; is $? 0 "-d -wd"
is "$(field "$N" up)" false "down"
"$BIN/svc" -u -wu -T 10000 "$N"; is $? 0 "-u -wu"
is "$(field "$N" up)" true "up"
track_service "$N"

# d versus D: finish holds the service in state finish until released
F=$T/fin
mkservice "$F" 'exec sleep 100000'
printf '#!/bin/sh\nwhile [ ! -e release ]; do sleep 0.02; done\n' > "$F/finish"; chmod 755 "$F/finish"
echo 0 > "$F/timeout-finish"
start_sup svkit "$F" || bail "supervise did not start on $F"
wait_for 10000 is_field "$F" up true; track_service "$F"
"$BIN/svc" -d -wd -T 10000 "$F"; is $? 0 "-d -wd returns while finish runs"
is "$(field "$F" state)" finish "state finish"
"$BIN/svc" -wD -T 300 "$F" 2>"$T/err"; is $? 99 "-wD: still finishing, -T 300 times out with 99"
grep -q "^svc: warning: $F: timed out" "$T/err"; ok $? "timeout warning names DIR"
touch "$F/release"
"$BIN/svc" -wD -T 10000 "$F"; is $? 0 "-wD once finish is done"
is "$(field "$F" state)" down "state down"

# several DIRs
"$BIN/svc" -u -wU -T 10000 "$N" "$F"; is $? 0 "-u -wU on two DIRs"
is "$("$BIN/svstat" -o ready "$N" "$F" | tr '\n' ' ')" "true true " "both ready (no notification-fd: ready when up)"
track_service "$F"

# a service that never becomes ready
W=$T/never
mkservice "$W" 'exec sleep 100000'
echo 3 > "$W/notification-fd"
start_sup svkit "$W" || bail "supervise did not start on $W"
wsup=$sup_pid
wait_for 10000 is_field "$W" up true; track_service "$W"
"$BIN/svc" -wU -T 500 "$W" 2>/dev/null; is $? 99 "-wU -T 500 on a service that never notifies: 99"

spawn "$BIN/svc" -wU -T 30000 "$W" 2>"$T/err"
svcpid=$spawn_pid
# CPU and wake-ups over a one-second window that starts once svc sleeps
# (not counting its start-up, which a sanitized build makes costly)
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
wakeups() { awk '/^voluntary_ctxt_switches/ { print $2 }' "/proc/$1/status"; }
asleep() { [ "$(cut -d' ' -f3 "/proc/$1/stat")" = S ]; }
wait_for 5000 asleep "$svcpid"
cpu0=$(ticks "$svcpid"); cs0=$(wakeups "$svcpid")
sleep 1   # a measurement window, not a guess: svc must stay asleep in it
cpu=$(( $(ticks "$svcpid") - cpu0 )); cs=$(( $(wakeups "$svcpid") - cs0 ))
[ "$cpu" -le 2 ]; ok $? "waiting svc used no CPU ($cpu ticks in 1 s)"
[ "$cs" -le 10 ]; ok $? "and hardly woke up ($cs context switches)"
kill -KILL "$wsup"
wait_for 10000 dead "$svcpid"; ok $? "supervise killed: svc stops waiting"
wait "$svcpid"; is $? 111 "with exit 111"
grep -q "^svc: warning: $W: supervise exited while waiting" "$T/err"; ok $? "and a warning naming DIR"

# A supervisor may release its descriptors in any order: here control and
# lock close half a second before ok does.  svc -w must notice the death
# through ok itself (its reader closes it without writing), not only when
# control or lock close.
X=$T/fakesup; mkdir -p "$X/supervise"
perl -MFcntl=:DEFAULT,:flock -MPOSIX=mkfifo -e '
  my ($d, $go) = @ARGV; chdir "$d/supervise" or die;
  mkfifo($_, 0600) or die for qw(control ok);
  sysopen(my $l, "lock", O_WRONLY | O_CREAT) or die; flock($l, LOCK_EX) or die;
  sysopen(my $cr, "control", O_RDONLY | O_NONBLOCK) or die;
  sysopen(my $cw, "control", O_WRONLY) or die;
  sysopen(my $ok, "ok", O_RDONLY | O_NONBLOCK) or die;
  # daemontools layout: TAI64N stamp, pid (little-endian), paused, want u
  open(my $s, ">", "status.new") or die;
  print $s pack("NNN", 0x40000000, time, 0) . pack("V", $$) . "\0u"; close $s;
  rename("status.new", "status") or die;
  select(undef, undef, undef, 0.01) until -e $go;
  close $cw; close $cr; close $l;
  select(undef, undef, undef, 0.5);
  close $ok;
  select(undef, undef, undef, 10);' "$X" "$T/fakesup.go" &
fake=$!; track "$fake"
wait_for 5000 "$BIN/svok" "$X"; ok $? "a fake supervisor runs on $X"
spawn "$BIN/svc" -d -wd -T 20000 "$X" 2>"$T/err"
svcpid=$spawn_pid
wait_for 5000 sh -c 'readlink /proc/$1/fd/* | grep -q inotify' sh "$svcpid"
touch "$T/fakesup.go"
wait_for 10000 dead "$svcpid"; ok $? "control and lock closed before ok: svc still stops waiting"
wait "$svcpid"; is $? 111 "with exit 111, not the -T timeout's 99"
grep -q "^svc: warning: $X: supervise exited while waiting" "$T/err"; ok $? "and the warning"
kill "$fake" 2>/dev/null

"$BIN/svc" -wu -T 5000 "$T/nosuch" 2>"$T/err"; is $? 111 "-w on a DIR without supervise: 111 at once"
is "$(cat "$T/err")" "svc: warning: $T/nosuch: supervise not running" "warning names it"
"$BIN/svc" -wz "$N" 2>/dev/null; is $? 100 "-w with a bad state: 100"
"$BIN/svc" -wu -T x "$N" 2>/dev/null; is $? 100 "-T not a number: 100"
done_testing
