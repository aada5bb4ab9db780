#!/bin/sh
# make demo: copy the example services into a scratch scan directory, run
# svscan over it, show what happens, then stop everything this script started.
#
#   sh service-examples/demo.sh [BINDIR]
#
# BINDIR defaults to ../bin.  DEMO_PORT picks the web port (default 5000, or a
# random free one when 5000 is taken).  KEEP=1 keeps the scratch directory.
# Needs no root and no network; never touches /service.

set -u
here=$(cd "$(dirname "$0")" && pwd)
BIN=$(cd "${1:-$here/../bin}" 2>/dev/null && pwd) || {
  echo "demo: fatal: no bin directory; run make first" >&2; exit 1; }
failed=0
svscan_pid=
work=
load_pid=

if [ -t 1 ]; then bold=$(printf '\033[1m') norm=$(printf '\033[0m'); else bold= norm=; fi
say()  { printf '\n%s== %s%s\n' "$bold" "$*" "$norm"; }
cmd()  { printf '$ %s\n' "$*"; }
fail() { printf 'demo: FAILED: %s\n' "$*" >&2; failed=1; }

# until MS CMD...: run CMD every 50 ms until it succeeds or MS milliseconds pass.
until_ok() {
  u_ms=$1; shift
  while :; do
    "$@" >/dev/null 2>&1 && return 0
    [ "$u_ms" -le 0 ] && return 1
    sleep 0.05; u_ms=$((u_ms - 50))
  done
}

for p in svscan supervise svc svstat svok multilog tai64n tai64nlocal envdir setuidgid softlimit; do
  [ -x "$BIN/$p" ] || { echo "demo: fatal: $BIN/$p is missing (not built yet?)" >&2; exit 1; }
done

# ---- a free port -----------------------------------------------------------
port_busy() {
  command -v ss >/dev/null 2>&1 && [ -n "$(ss -Htln "sport = :$1" 2>/dev/null)" ]
}
PORT=${DEMO_PORT:-5000}
if [ -z "${DEMO_PORT:-}" ] && port_busy "$PORT"; then
  PORT=$(awk -v s="$$" 'BEGIN { srand(s); print 20000 + int(rand() * 30000) }')
fi

# ---- fetch URL with whatever is installed ----------------------------------
fetch() {
  if command -v curl >/dev/null 2>&1; then
    curl -fsS --max-time 3 "http://127.0.0.1:$1/"
  elif command -v python3 >/dev/null 2>&1; then
    python3 -c 'import sys, urllib.request as u
sys.stdout.write(u.urlopen("http://127.0.0.1:%s/" % sys.argv[1], timeout=3).read().decode())' "$1"
  elif command -v perl >/dev/null 2>&1; then
    perl -MIO::Socket::INET -e '$s = IO::Socket::INET->new("127.0.0.1:$ARGV[0]") or exit 1;
      print $s "GET / HTTP/1.0\r\n\r\n"; $b = join "", <$s>; $b =~ s/^.*?\r\n\r\n//s; print $b' "$1"
  else
    bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1" && printf "GET / HTTP/1.0\r\n\r\n" >&3 &&
      sed "1,/^\r*$/d" <&3' bash "$1"
  fi
}
hello() { [ "$(fetch "$PORT" 2>/dev/null)" = "Hello World" ]; }

# ---- cleanup: stop svscan (it stops its services), then check --------------
leftovers() {
  # processes whose working directory is inside our scratch tree: services
  # and supervisors we started, and nothing else.
  find /proc/[0-9]*/cwd -maxdepth 0 \( -lname "$work" -o -lname "$work/*" \) 2>/dev/null |
    sed 's,^/proc/\([0-9]*\)/cwd$,\1,' | grep -vx "$$"
}
stop_all() {
  cd / || :                             # our own cwd must not count as a leftover
  if [ -n "$load_pid" ]; then kill "$load_pid" 2>/dev/null; wait "$load_pid" 2>/dev/null; load_pid=; fi
  if [ -n "$svscan_pid" ]; then
    kill -TERM "$svscan_pid" 2>/dev/null
    i=0
    while [ "$(ps -o stat= -p "$svscan_pid" 2>/dev/null | cut -c1)" != "" ] &&
          [ "$(ps -o stat= -p "$svscan_pid" 2>/dev/null | cut -c1)" != Z ] && [ $i -lt 400 ]; do
      sleep 0.05; i=$((i + 1))
    done
    if kill -0 "$svscan_pid" 2>/dev/null && [ $i -ge 400 ]; then
      fail "svscan (pid $svscan_pid) did not exit within 20 s of SIGTERM; killing it"
      kill -KILL "$svscan_pid" 2>/dev/null
    fi
    wait "$svscan_pid" 2>/dev/null; rc=$?
    [ $rc -eq 0 ] || fail "svscan exited $rc after SIGTERM (expected 0)"
    svscan_pid=
  fi
  if [ -n "$work" ]; then
    left=$(leftovers)
    if [ -n "$left" ]; then
      fail "processes left behind: $(echo $left); killing them"
      for p in $left; do ps -o pid=,args= -p "$p" >&2; kill -KILL "$p" 2>/dev/null; done
    fi
    if [ $failed -ne 0 ] && [ -s "$work/svscan.log" ]; then
      echo "demo: svscan's own output:" >&2; cat "$work/svscan.log" >&2
    fi
    [ -n "${KEEP:-}" ] || rm -rf "$work"
    work=
  fi
}
trap 'stop_all' EXIT
trap 'exit 130' INT TERM HUP PIPE

# ---- set up ------------------------------------------------------------------
work=$(mktemp -d "${TMPDIR:-/tmp}/svkit-demo.XXXXXX") || exit 1
chmod 755 "$work"                       # envdir-user's app runs as nobody under root
scan=$work/service
mkdir "$scan" && chmod 755 "$scan"
for d in "$here"/*/; do
  [ -f "$d/run" ] || continue           # boot/, container/, user-tree/ are not services
  cp -R "$d" "$scan/"
done
rm -rf "$scan"/*/supervise "$scan"/*/log/supervise "$scan"/*/log/main "$scan"/crashy/deaths
echo "$PORT" > "$scan/hello-web/env/PORT"
echo "tcp:0.0.0.0:$PORT" > "$scan/hello-web/listen"

say "Starting svscan over a scratch copy of service-examples/"
cmd "cp -R service-examples/*/ $scan/"
cmd "svscan $scan &"
PATH="$BIN:$PATH" "$BIN/svscan" "$scan" >"$work/svscan.log" 2>&1 &
svscan_pid=$!
echo "svscan is pid $svscan_pid; services: $(cd "$scan" && echo *)"
cd "$scan" || exit 1

# ---- services come up ------------------------------------------------------
svpid() { "$BIN/svstat" "$1" 2>/dev/null | sed -n 's/.*: up (pid \([0-9]*\)).*/\1/p'; }
is_up() { [ -n "$(svpid "$1")" ]; }
until_ok 10000 is_up hello-web       || fail "hello-web did not come up within 10 s"
until_ok 10000 is_up envdir-user     || fail "envdir-user did not come up within 10 s"
until_ok 15000 grep -q starting readiness-user/log/main/current ||
  fail "readiness-user did not start within 15 s"
say "Services coming up: supervise runs each ./run and restarts it when it exits"
cmd "svstat *"
"$BIN/svstat" *
echo "(crashy keeps dying: see below)"

say "readiness-user waited with 'svc -wU ../readiness' until readiness said it was ready"
cmd "tai64nlocal < readiness/log/main/current; tai64nlocal < readiness-user/log/main/current"
"$BIN/tai64nlocal" < readiness/log/main/current
"$BIN/tai64nlocal" < readiness-user/log/main/current

say "envdir-user: envdir ./env + setuidgid (when root) + softlimit -o 256"
until_ok 5000 grep -q 'open files' envdir-user/log/main/current || fail "envdir-user logged nothing"
cmd "tai64nlocal < envdir-user/log/main/current"
"$BIN/tai64nlocal" < envdir-user/log/main/current

# ---- the web example answers -------------------------------------------------
say "hello-web answers HTTP on port $PORT"
until_ok 10000 hello || fail "hello-web does not answer on port $PORT"
cmd "curl http://127.0.0.1:$PORT/"
fetch "$PORT"

# ---- svc -t: a restart with a new pid ----------------------------------------
say "svc -t hello-web: send TERM; supervise starts it again with a new pid"
old=$(svpid hello-web)
cmd "svstat hello-web"; "$BIN/svstat" hello-web
cmd "svc -t hello-web"; "$BIN/svc" -t hello-web || fail "svc -t failed"
new_pid() { p=$(svpid hello-web); [ -n "$p" ] && [ "$p" != "$old" ]; }
until_ok 10000 new_pid || fail "hello-web did not come back with a new pid"
cmd "svstat hello-web"; "$BIN/svstat" hello-web
until_ok 10000 hello || fail "hello-web does not answer after the restart"
echo "old pid $old, new pid $(svpid hello-web); it answers again: $(fetch "$PORT")"

# ---- restarts under a request loop: the listen file -------------------------
say "hello-web/listen: supervise holds port $PORT; 3 restarts under a request loop, no request fails"
cmd "cat hello-web/listen"; grep -v '^#' hello-web/listen
# one request after another until $work/load.stop exists: "." answered, "x" failed
( while [ -d "$work" ] && [ ! -e "$work/load.stop" ]; do
    if [ "$(fetch "$PORT" 2>/dev/null)" = "Hello World" ]; then printf .; else printf x; fi
  done > "$work/load.out" ) &
load_pid=$!
answered() { tr -cd . < "$work/load.out" | wc -c; }
more_answered() { [ "$(answered)" -gt "$1" ]; }
until_ok 10000 more_answered 3 || fail "the request loop gets no answer"
for i in 1 2 3; do
  old=$(svpid hello-web); n=$(answered)
  cmd "svc -t hello-web"; "$BIN/svc" -t hello-web || fail "svc -t failed"
  until_ok 10000 new_pid || fail "hello-web did not come back with a new pid"
  until_ok 10000 more_answered $((n + 3)) || fail "no answer after restart $i"
done
touch "$work/load.stop"; wait "$load_pid"; load_pid=
lost=$(tr -cd x < "$work/load.out" | wc -c)
echo "$(answered) requests during 3 restarts, $lost failed"
[ "$lost" -eq 0 ] || fail "$lost requests failed across the restarts"

# ---- logs in local time ------------------------------------------------------
say "hello-web's log: multilog stamps each line (TAI64N); tai64nlocal shows local time"
cmd "tail -n 1 hello-web/log/main/current"
tail -n 1 hello-web/log/main/current
cmd "tai64nlocal < hello-web/log/main/current"
"$BIN/tai64nlocal" < hello-web/log/main/current

# ---- crashy: throttled, then given up on ---------------------------------------
say "crashy: restarted at most once a second, given up on after 5 deaths (finish exits 125)"
until_ok 30000 grep -q 'giving up' crashy/log/main/current || fail "crashy was not given up on within 30 s"
gave_up_down() { "$BIN/svstat" crashy | grep -q ': down '; }
until_ok 5000 gave_up_down || fail "crashy is not down after giving up"
cmd "tai64nlocal < crashy/log/main/current"
"$BIN/tai64nlocal" < crashy/log/main/current
cmd "svstat crashy"
"$BIN/svstat" crashy

# ---- stop ----------------------------------------------------------------------
say "Stopping: SIGTERM to svscan brings every service down, then the loggers"
cmd "kill -TERM $svscan_pid"
cd / || exit 1
stop_all
if [ $failed -eq 0 ]; then
  echo "svscan exited 0; no process left behind.  Demo done."
  exit 0
fi
echo "demo: some steps failed (see above)" >&2
exit 1
