#!/bin/sh
# The listen file's mistakes: a bad line, an address in use, a
# notification-fd that collides with the sockets.  Each: a warning naming
# the file and the line, the service stays down (want up), the status files
# stay intact, and supervise retries until the cause is gone.
. "$(dirname "$0")/lib.sh"
. "$TESTS/supervise-lib.sh"
. "$TESTS/listen-lib.sh"
have python3 || skip_all "python3 is not installed"

P=$(free_port)
A=tcp:127.0.0.1:$P
status_ok() { [ "$(wc -c < "$1/supervise/status")" = 20 ] && [ -s "$1/supervise/xstatus" ]; }

# 1. bad lines, one per run of supervise
n=0
for bad in "tcp:127.0.0.1" "tcp:localhost:$P" "tcp:127.0.0.1:0" "tcp:127.0.0.1:99999" \
           "tcp6:::1:$P" "udp:127.0.0.1:$P" "unix:" "$A 0600" "$A frobnicate" "$A name=a:b"; do
  n=$((n + 1))
  d=$T/bad$n
  mkservice "$d" "exec python3 '$LS/server.py'"
  printf '# a comment\n\n%s\n' "$bad" > "$d/listen"
  sv_start "$d"
  wait_for 10000 file_has "$d.err" "listen: line 3: "
  ok $? "bad line '$bad': a warning naming $d/listen: line 3 ($(head -c 300 "$d.err" | sed -n 's/.*line 3: \(.*\) (run not started.*/\1/p'))"
  "$BIN/svc" -x "$d"; wait_for 10000 dead "$svpid"
done
# the file itself: a directory, a FIFO (must not hang supervise), too large,
# a NUL byte, a symlink to /dev/zero
for kind in dir fifo big nul zero; do
  d=$T/file-$kind
  mkservice "$d" "exec python3 '$LS/server.py'"
  case $kind in
    dir) mkdir "$d/listen"; want="not a regular file" ;;
    fifo) mkfifo "$d/listen"; want="not a regular file" ;;
    big) awk 'BEGIN { for (i = 0; i < 300; i++) print "# a comment line" }' > "$d/listen"
         echo "$A" >> "$d/listen"; want="file too large (at most 4096 bytes)" ;;
    nul) printf '%s\0 name=x\n' "$A" > "$d/listen"; want="file holds a NUL byte" ;;
    zero) ln -s /dev/zero "$d/listen"; want="not a regular file" ;;
  esac
  sv_start "$d"
  wait_for 10000 file_has "$d.err" "unable to use $d/listen: $want"
  ok $? "listen is a $kind: '$want', the service stays down"
  is_down "$d"; ok $? "$kind: down"
  "$BIN/svc" -x "$d"; wait_for 10000 dead "$svpid"; ok $? "$kind: supervise still obeys svc -x"
done
# the last one stays to be fixed
d=$T/fix
mkservice "$d" "exec python3 '$LS/server.py'"
printf '%s\nbogus\n' "$A" > "$d/listen"
sv_start "$d"
wait_for 10000 file_has "$d.err" "$d/listen: line 2: unknown address type"
ok $? "'bogus' on line 2: unknown address type, naming file and line"
file_has "$d.err" "run not started; retrying"; ok $? "the warning says run is not started and will be retried"
is_down "$d" && [ "$(want "$d")" = u ]; ok $? "the service is down, want up"
status_ok "$d"; ok $? "status is 20 bytes and xstatus is there"
refused "$A"; ok $? "no socket of the file is left open (all or none)"
printf '%s\n' "$A" > "$d/listen"
"$BIN/svc" -u "$d"
wait_for 30000 answers "$A"; ok $? "fixed, svc -u: the service comes up and answers"
"$BIN/svc" -dx "$d"; wait_for 20000 dead "$svpid"

# 2. an address in use (a listener this test owns): stays down, retries,
#    comes up once the address is free
python3 -c '
import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(5)
open(sys.argv[2], "w").close()
time.sleep(600)' "$P" "$T/holder.ready" &
holder=$!; track "$holder"
wait_for 20000 test -e "$T/holder.ready"; ok $? "another process listens on $A"
d=$T/inuse
mkservice "$d" "exec python3 '$LS/server.py'"
echo "$A" > "$d/listen"
sv_start "$d"
wait_for 10000 file_has "$d.err" "$d/listen: line 1: unable to bind $A: Address already in use"
ok $? "address in use: the warning names file, line, address and reason"
is_down "$d" && [ "$(want "$d")" = u ] && status_ok "$d"; ok $? "down, want up, status files intact"
is "$(starts "$d")" 0 "run was never started"
kill "$holder"; wait_for 10000 dead "$holder"
# permanent-looking errors are retried every 10 s: allow for that
wait_for 30000 answers "$A"; ok $? "the address freed, a retry brings the service up"
is "$(grep -c 'Address already in use' "$d.err")" 1 "the same failure was reported once, not at every retry"
"$BIN/svc" -dx "$d"; wait_for 20000 dead "$svpid"

# 3. notification-fd among the sockets: refused with a warning; moved: works
d=$T/notif
mkdir -p "$d"
printf '#!/bin/sh\necho >&5\nexec python3 %s\n' "'$LS/server.py'" > "$d/run"
chmod 755 "$d/run"
printf '%s\nunix:a.sock\nunix:b.sock\n' "$A" > "$d/listen"
echo 4 > "$d/notification-fd"
sv_start "$d"
wait_for 10000 file_has "$d.err" "$d/notification-fd: that fd is one of the listen sockets"
ok $? "notification-fd 4 with 3 sockets (fds 3-5): a warning"
is_down "$d"; ok $? "and the service stays down"
echo 6 > "$d/notification-fd"
printf '#!/bin/sh\necho >&6\nexec python3 %s\n' "'$LS/server.py'" > "$d/run"
"$BIN/svc" -u "$d"
wait_for 30000 has_flag "$d" $F_READY; ok $? "notification-fd 6: the service starts and is ready"
wait_for 20000 answers "$A"; ok $? "and answers on fd 3"
"$BIN/svc" -dx "$d"; wait_for 20000 dead "$svpid"
done_testing
