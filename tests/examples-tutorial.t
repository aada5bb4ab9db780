#!/bin/sh
# The README's five-minute tutorial, run as written (with HOME in $T and a
# free port): every command in it must work and do what the text says.
. "$(dirname "$0")/lib.sh"
. "$TESTS/examples-lib.sh"
need svscan supervise svc svstat multilog tai64nlocal
have node || skip_all "node is not installed (the tutorial runs node server.js)"
H=$T/home; mkdir -p "$H"
P=$(free_port)
# block FROM TO: the indented command lines of the README between two marks.
block() {
  sed -n "/^Five-minute tutorial/,/^Coming from/p" "$REPO/README" |
    sed -n "/$1/,/$2/p" | sed -n 's/^    //p'
}
tut() { (cd "$REPO" && env HOME="$H" PORT="$P" PATH="$BIN:$PATH" sh -c "$1"); }

setup=$(block '^The program to supervise' '^\*\*3\.')
[ -n "$setup" ]; ok $? "found the set-up steps (program, run, log/run)"
tut "$setup" >"$T/setup.out" 2>&1; ok $? "steps 1-2 run without error"
is "$(head -n 1 "$T/setup.out")" '#!/bin/sh' "the run script starts with its #! line (cat shows it)"
[ -x "$H/service/myapp/run" ] && [ -x "$H/service/myapp/log/run" ]; ok $? "they made run and log/run"

start=$(block '^\*\*3\.' '^It starts')
is "$(echo "$start" | sed -n 1p)" 'nohup svscan ~/service > ~/.svscan.log 2>&1 &' "step 3 starts svscan in the background"
# the README's lines, in a shell that waits for svscan and exits with its code
spawn env HOME="$H" PORT="$P" PATH="$BIN:$PATH" sh -c "$start"'
wait $!'
shell_pid=$spawn_pid; SCAN=$H/service
wait_for 10000 test -s "$H/.svscan.pid"; ok $? "step 3 keeps svscan's pid in ~/.svscan.pid"
svscan_pid=$(cat "$H/.svscan.pid"); track "$svscan_pid"
is "$(cut -d' ' -f2 "/proc/$svscan_pid/stat" 2>/dev/null)" "(svscan)" "and that pid is svscan's"
up() { svstat_up "$H/service/myapp"; }
wait_for 10000 up; ok $? "myapp comes up"
wait_for 10000 says_hello "$P"; ok $? "and answers HTTP"

look=$(block '^\*\*4\.' '^\*\*5\.' | sed -n 's/^\$ //p')
# svscan starts the logger's supervise along with myapp's: myapp up does not
# mean that the logger's status is written yet
wait_for 10000 svstat_up "$H/service/myapp/log"
out=$(tut "$look")
case $out in *"/service/myapp: up (pid "*"/service/myapp/log: up (pid "*) r=0 ;; *) r=1 ;; esac
ok $r "step 4: svstat shows both up"; [ $r -eq 0 ] || diag "$out"

old=$(svpid "$H/service/myapp")
tut "$(block '^\*\*5\.' '^Kill it' | sed -n '1p')"; ok $? "step 5: svc -t"
newpid() { p=$(svpid "$H/service/myapp"); [ -n "$p" ] && [ "$p" != "$old" ]; }
wait_for 10000 newpid; ok $? "a new pid after svc -t"
tut "$(block '^\*\*5\.' '^Kill it' | sed -n '2p')"
isdown() { "$BIN/svstat" "$H/service/myapp" | grep -q ': down '; }
wait_for 10000 isdown; ok $? "svc -d: down"
no_hello() { ! says_hello "$P"; }
wait_for 5000 no_hello; ok $? "and no longer answering"
tut "$(block '^\*\*5\.' '^Kill it' | sed -n '3p')"
wait_for 10000 up; ok $? "svc -u: up again"
old=$(svpid "$H/service/myapp")
kill -KILL "$old"
wait_for 5000 newpid; ok $? "kill -9: supervise starts it again"
wait_for 10000 says_hello "$P"; ok $? "and it answers again"

read_log=$(block '^\*\*6\.' '^To stop' | sed -n '1p')
out=$(tut "$read_log")
echo "$out" | grep -q '^[0-9-]* [0-9:.]* hello-web .*listening on port '"$P"
ok $? "step 6: the log in local time"
stop=$(block '^To stop everything' '^svscan brings')
tut "$stop"; ok $? "the README's stop command: $stop"
wait_for 20000 exited "$svscan_pid"; ok $? "svscan exits"
wait "$shell_pid"; is "$?" 0 "with exit code 0"
wait_for 5000 none_under "$SCAN"
left=$(under_dir "$SCAN")
is "$(echo $left)" "" "no process left in the scan directory"
for p in $left; do track "$p"; done
done_testing
