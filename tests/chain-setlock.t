#!/bin/sh
# setlock: exclusive flock, blocking or not, -x, the descriptor inherited.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/chain-lib.sh"

L=$T/lockfile
mkfifo "$T/go"

run "$BIN/setlock" "$L" true
is "$rc" 0 "setlock creates the lock file and runs the program"
is "$(stat -c %a "$L")" 600 "lock file mode 0600"
rm -f "$L"
run "$BIN/setlock" "$L" sh -c 'ls -l /proc/$$/fd/ | grep -c "lockfile"'
is "$out" 1 "the program inherits a descriptor on the lock file"
run "$BIN/setlock" "$L" sh -c 'cat /proc/locks' ; inode=$(stat -c %i "$L")
like ":$inode " "$out" "the lock is held while the program runs"
run "$BIN/setlock" "$L" sh -c 'exit 6'; is "$rc" 6 "exit code of the program is passed on"

# a holder, released through the fifo
spawn "$BIN/setlock" "$L" sh -c "echo held > '$T/held'; read x < '$T/go'"
holder=$spawn_pid
wait_for 5000 test -s "$T/held"; ok $? "holder took the lock"

run "$BIN/setlock" -n "$L" true
is "$rc" 111 "-n on a locked file: 111"
like "$L" "$err" "-n: message names the lock file"
same_as_dt "-n on a locked file" setlock -n "$L" true
run "$BIN/setlock" -nx "$L" true
is "$rc" 0 "-n -x on a locked file: exit 0"
is "$err" "" "-x: quietly"
same_as_dt "-nx on a locked file" setlock -nx "$L" true
run "$BIN/setlock" -nxX "$L" true; is "$rc" 111 "-X after -x restores the error"

# blocking by default: the waiter queues in the kernel until the holder goes
spawn "$BIN/setlock" "$L" sh -c "echo got > '$T/waiter'"
waiter=$spawn_pid
waiting() { grep -q -- "-> FLOCK .*:$inode " /proc/locks; }
wait_for 5000 waiting; ok $? "without -n, setlock waits for the lock"
test ! -e "$T/waiter"; ok $? "the waiting program has not run yet"
timeout 10 sh -c "echo > '$T/go'"
wait_for 5000 test -s "$T/waiter"; ok $? "it runs once the holder releases the lock"
wait_for 5000 dead "$holder"; ok $? "holder gone"

# the lock belongs to the descriptor: a background child keeps it
run "$BIN/setlock" "$L" sh -c "sleep 30 & echo \$! > '$T/bgpid'"
track "$(cat "$T/bgpid")"
run "$BIN/setlock" -n "$L" true
is "$rc" 111 "a background child still holds the lock after setlock's program exits"
kill "$(cat "$T/bgpid")"
wait_for 5000 "$BIN/setlock" -n "$L" true; ok $? "lock free once the last holder is gone"

# errors
run "$BIN/setlock" "$T/missing/dir/lock" true
is "$rc" 111 "lock file in a missing directory: 111"
like "$T/missing/dir/lock" "$err" "the message names the lock file"
same_as_dt "missing directory" setlock "$T/missing/dir/lock" true
run "$BIN/setlock" -x "$T/missing/dir/lock" true
is "$rc" 0 "-x: cannot open, exit 0"
is "$err" "" "-x: quietly"
run "$BIN/setlock"; is "$rc" 100 "no arguments: usage, 100"
run "$BIN/setlock" "$L"; is "$rc" 100 "no program: usage, 100"
same_as_dt "no program" setlock "$L"
run "$BIN/setlock" -q "$L" true; is "$rc" 100 "unknown option: usage, 100"
run "$BIN/setlock" "$L" "$T/no-such-program"
is "$rc" 111 "failed exec: 111"
like "no-such-program" "$err" "failed exec: message names the program"
same_as_dt "failed exec" setlock "$L" "$T/no-such-program"
done_testing
