#!/bin/sh
# pgrphack: the program runs in its own session and process group.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/chain-lib.sh"

# prints "1 1" if the shell leads its process group and its session
probe='ps -o pid=,pgid=,sid= -p $$ | awk "{ print (\$1 == \$2), (\$1 == \$3) }"'
run "$BIN/pgrphack" sh -c "$probe"
is "$out" "1 1" "the program leads a new process group and session"
is "$rc" 0 "exit 0"
same_as_dt "new session" pgrphack sh -c "$probe"
# already a session leader (as a run script started by supervise)
run setsid -w sh -c 'exec "$0" sh -c "$1"' "$BIN/pgrphack" "$probe"
is "$out" "1 1" "already a session leader: still runs the program"
is "$rc" 0 "already a session leader: exit 0"
same_as_dt "already a session leader" pgrphack setsid -w sh -c 'exec "$0" sh -c "$1"' @P "$probe"
run "$BIN/pgrphack" sh -c 'exit 12'; is "$rc" 12 "exit code of the program is passed on"
run "$BIN/pgrphack"; is "$rc" 100 "no program: usage, 100"
same_as_dt "no program" pgrphack
run "$BIN/pgrphack" "$T/no-such-program"
is "$rc" 111 "failed exec: 111"
like "no-such-program" "$err" "failed exec: message names the program"
same_as_dt "failed exec" pgrphack "$T/no-such-program"
done_testing
