#!/bin/sh
# The listen file with unix sockets: a relative path is relative to the
# service directory, the mode is 0660 or the second field, a stale socket
# file is replaced, a live one or another file is an address in use, the
# file is removed when supervise closes it; restarts under a request loop
# lose nothing.
. "$(dirname "$0")/lib.sh"
. "$TESTS/supervise-lib.sh"
. "$TESTS/listen-lib.sh"
have python3 || skip_all "python3 is not installed"

mode_of() { stat -c %a "$1" 2>/dev/null; }
is_sock() { [ -S "$1" ]; }

mkservice "$T/s" "exec python3 '$LS/server.py'"
printf 'unix:web.sock\nunix:%s 0600 name=admin\n' "$T/admin.sock" > "$T/s/listen"
# a stale socket file (nobody listens) where web.sock goes
python3 -c 'import socket,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])' "$T/s/web.sock"
sv_start "$T/s"
wait_for 20000 answers "unix:$T/s/web.sock"; ok $? "the server answers on the relative unix:web.sock (a stale socket file was replaced)"
wait_for 20000 answers "unix:$T/admin.sock"; ok $? "and on the absolute path, fd 4"
is "$(mode_of "$T/s/web.sock")" 660 "default mode 0660"
is "$(mode_of "$T/admin.sock")" 600 "mode from the second field: 0600"

load_start "unix:$T/s/web.sock"
wait_for 20000 more_answered 5; ok $? "the request loop gets answers"
r=0
for i in 1 2 3; do
  old=$(svc_pid "$T/s"); n=$(answered)
  "$BIN/svc" -t "$T/s" || r=1
  newpid() { p=$(svc_pid "$T/s"); [ "$p" != "$old" ] && [ "$p" != 0 ] && is_up "$T/s"; }
  wait_for 20000 newpid || r=1
  wait_for 20000 more_answered $((n + 5)) || r=1
done
ok $r "3 restarts, each followed by answers"
load_stop
is "$fail_n" 0 "not one request over the unix socket failed (answered $ok_n)"

# a second service on the same live socket: address in use, stays down
mkservice "$T/b" "exec python3 '$LS/server.py'"
echo "unix:$T/s/web.sock" > "$T/b/listen"
b=$svpid
sv_start "$T/b"; bpid=$svpid; svpid=$b
wait_for 10000 file_has "$T/b.err" "listen"
file_has "$T/b.err" "$T/b/listen: line 1: unable to bind unix:$T/s/web.sock: Address already in use"
ok $? "a live socket is not stolen: 'address in use' naming file and line"
is_down "$T/b"; ok $? "that service stays down"
answers "unix:$T/s/web.sock"; ok $? "the first service still answers"

# a regular file in the way is not removed
mkservice "$T/c" "exec python3 '$LS/server.py'"
echo data > "$T/c/file"
echo "unix:file" > "$T/c/listen"
sv_start "$T/c"; cpid=$svpid; svpid=$b
wait_for 10000 file_has "$T/c.err" "File exists"; ok $? "a regular file in the way: a warning (File exists)"
is "$(cat "$T/c/file")" data "and the file is left alone"

"$BIN/svc" -dx "$T/s" "$T/b" "$T/c"
wait_for 20000 dead "$svpid"; ok $? "supervise exits on svc -dx"
wait_for 20000 dead "$bpid"; wait_for 20000 dead "$cpid"
is_sock "$T/s/web.sock"; is $? 1 "web.sock is removed at exit"
is_sock "$T/admin.sock"; is $? 1 "admin.sock is removed at exit"
done_testing
