#!/bin/sh
# fghack: stays until every descendant has closed the pipe, then exits with
# the program's exit code.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/chain-lib.sh"

mkfifo "$T/release"
# The program backgrounds a "daemon" (which closes fds 3-9, as daemons
# closing low descriptors do) and exits 3 at once; the daemon stays until
# released through the fifo.
spawn "$BIN/fghack" sh -c "
  sh -c 'exec 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&- </dev/null; echo \$\$ > "\$0/daemon.pid"; read x < "\$0/release"; echo done > "\$0/daemon.done"' '$T' &
  exit 3"
fg=$spawn_pid
wait_for 5000 test -s "$T/daemon.pid"; ok $? "the daemon started"
track "$(cat "$T/daemon.pid")"
# the program has exited (a zombie fghack has not reaped yet) ...
zchild() { ps -o stat= --ppid "$fg" | grep -q Z; }
wait_for 5000 zchild; ok $? "the program exited"
# ... but fghack stays in the foreground while the daemon holds the pipe
alive "$fg"; ok $? "fghack still runs while a descendant holds the pipe"
test ! -e "$T/daemon.done"; ok $? "(the daemon has not finished)"
timeout 10 sh -c "echo > '$T/release'"
wait_for 5000 dead "$fg"; ok $? "fghack exits once the daemon is gone"
wait "$fg"; is $? 3 "fghack exits with the program's exit code"
test -e "$T/daemon.done"; ok $? "the daemon ran to its end first"

run "$BIN/fghack" sh -c 'echo out; exit 5'
is "$out" "out" "the program's stdout is passed through"
is "$rc" 5 "exit code of the program is passed on"
same_as_dt "exit code" fghack sh -c 'echo out; exit 5'
# the program gets many copies of the pipe, so one survives closing fds 3..9
run "$BIN/fghack" sh -c 'ls -l /proc/$$/fd | grep -c pipe:'
test "$out" -ge 20; ok $? "the program holds many copies of the pipe ($out)"
run "$BIN/fghack" sh -c 'kill -9 $$'
is "$rc" 111 "program killed by a signal: 111"
same_as_dt "program killed by a signal" fghack sh -c 'kill -9 $$'
run "$BIN/fghack"; is "$rc" 100 "no program: usage, 100"
same_as_dt "no program" fghack
run "$BIN/fghack" "$T/no-such-program"
is "$rc" 111 "failed exec: 111"
like "no-such-program" "$err" "failed exec: message names the program"
same_as_dt "failed exec" fghack "$T/no-such-program"
done_testing
