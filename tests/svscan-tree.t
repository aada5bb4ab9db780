#!/bin/sh
# Issue 15 under svscan: one generation after svc -t, none after svc -d, for
# a run that does not exec and leaves a background child, a child ignoring
# TERM and a setsid escapee (default settings); a service taken out of the
# scan directory leaves nothing; a web server behind a non-exec wrapper
# binds its port again after every svc -t; the same pattern as nobody, and
# under svscan as PID 1 of a pid namespace.
. "$(dirname "$0")/lib.sh"
. "$TESTS/supervise-lib.sh"
. "$TESTS/tree-lib.sh"
[ -x "$BIN/svscan" ] && [ -x "$BIN/supervise" ] || skip_all "bin/svscan or bin/supervise not built"
have setsid || skip_all "setsid (util-linux) not installed"

# supervise_of DIR: the pid of the supervise in DIR's xstatus
supervise_of() { xs_u32 "$1/supervise/xstatus" 56; }

mkdir "$T/sv"
tree_service "$T/sv/gen" "$PATTERN"
tree_service "$T/sv/out" "$PATTERN"
echo 300 > "$T/sv/out/timeout-kill"
spawn "$BIN/svscan" "$T/sv" >"$T/svscan.out" 2>&1
SVSCAN=$spawn_pid

# ---- the issue's "Done when", default settings ---------------------------------
generation_case "$T/sv/gen" "svscan"

# ---- taken out of the scan directory -------------------------------------------
O=$T/sv/out
wait_for 10000 is_up "$O"
p1=$(svc_pid "$O")
wait_for 10000 gen_is "$O" "$p1" 4; gen_track "$O" "$p1"
sp=$(supervise_of "$O"); track "$sp"
mv "$O" "$T/out.gone"
wait_for 20000 dead "$sp"; ok $? "removed from the scan directory: its supervise exits"
is "$(marked "$(mark_of "$T/out.gone")")" 0 "removed: no process of the service left"

# ---- a web server behind a non-exec wrapper rebinds after every svc -t ------
if have python3; then
  H=$T/sv.web
  tree_service "$H" 'python3 ./server.py'
  cat > "$H/server.py" <<'EOF'
import os, socket, sys
port = int(open('port').read())
s = socket.socket()   # no SO_REUSEADDR: a port still held is EADDRINUSE
try:
    s.bind(('127.0.0.1', port))
except OSError as e:
    open('binds', 'a').write('fail %s\n' % e.strerror)
    sys.exit(1)
s.listen(16)
open('binds', 'a').write('bound %d\n' % os.getpid())
while True:
    c = s.accept()[0]
    c.sendall(b'hello\n')
    c.recv(16)        # the client closes first: no TIME_WAIT on our side
    c.close()
EOF
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' > "$H/port"
  port=$(cat "$H/port")
  hello() { python3 -c 'import socket, sys
c = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=3)
sys.exit(c.makefile().readline() != "hello\n")' "$port"; }
  bound_is() { [ "$(grep -c '^bound' "$H/binds" 2>/dev/null)" = "$1" ] || grep -q '^fail' "$H/binds" 2>/dev/null; }
  mv "$H" "$T/sv/web"; H=$T/sv/web
  wait_for 10000 bound_is 1
  wait_for 5000 hello; ok $? "web: the server answers"
  for i in 2 3 4 5 6; do
    "$BIN/svc" -t "$H"
    wait_for 15000 bound_is "$i"
    wait_for 5000 hello || break
  done
  is "$(grep -c '^bound' "$H/binds")" 6 "web: bound its port after each of 5 svc -t"
  is "$(grep '^fail' "$H/binds" | head -n 1)" "" "web: never EADDRINUSE"
  hello; ok $? "web: the last server answers"
  "$BIN/svc" -d -wD -T 10000 "$H"
  is "$(marked "$(mark_of "$H")")" 0 "web: svc -d leaves nothing"
else
  skip "python3 not installed: no web server test"
fi
track_marked "$(mark_of "$T/sv/gen")"

kill -TERM "$SVSCAN"
wait_for 20000 dead "$SVSCAN"; ok $? "svscan exits on TERM"

# ---- as nobody -------------------------------------------------------------------
if is_root && have setpriv && id nobody >/dev/null 2>&1 &&
   setpriv --reuid="$(id -u nobody)" --regid="$(id -g nobody)" --clear-groups \
     sh -c 'test -x "$1/svscan" && test -x "$1/supervise"' sh "$BIN"; then
  mkdir "$T/usv"
  tree_service "$T/usv/gen" "$PATTERN"
  chown -R "$(id -u nobody):$(id -g nobody)" "$T/usv"
  spawn setpriv --reuid="$(id -u nobody)" --regid="$(id -g nobody)" --clear-groups \
    "$BIN/svscan" "$T/usv" >"$T/usvscan.out" 2>&1
  USVSCAN=$spawn_pid
  generation_case "$T/usv/gen" "svscan as nobody"
  kill -TERM "$USVSCAN"
  wait_for 20000 dead "$USVSCAN"; ok $? "svscan as nobody exits on TERM"
else
  skip "not root, or nobody cannot run $BIN: the svscan test above ran as $(id -un)"
fi

# ---- svscan as PID 1 of a pid namespace -------------------------------------------
if is_root && have unshare && unshare -p -f --mount-proc true 2>/dev/null; then
  mkdir "$T/ns"
  tree_service "$T/ns/gen" "$PATTERN"
  spawn unshare -p -f --mount-proc "$BIN/svscan" "$T/ns" >"$T/ns.out" 2>&1
  U=$spawn_pid
  getpid1() { NSSCAN=$(ps -o pid= --ppid "$U" | tr -d ' '); [ -n "$NSSCAN" ]; }
  wait_for 5000 getpid1; track "$NSSCAN"
  # pids in the namespace mean nothing here: count by the marker only
  TREE_NS=1
  generation_case "$T/ns/gen" "svscan as PID 1"
  kill -TERM "$NSSCAN"
  wait_for 20000 dead "$U"; ok $? "the namespace ends on TERM"
else
  skip "needs root and a working unshare -p -f --mount-proc"
fi

done_testing
