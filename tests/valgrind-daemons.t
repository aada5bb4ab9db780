#!/bin/sh
# supervise, svscan and multilog under valgrind (memcheck, full leak check)
# through a short scenario: svscan starts a service and its logger, the
# service logs, is restarted, gets control bytes (pause, continue, down, up,
# HUP, once), then svscan gets TERM and shuts everything down.  Every
# valgrind log must report no error and no definite or possible leak.
# The three daemons are built here dynamically (valgrind cannot check
# malloc in the static bin/ binaries) from the same sources, at -O0: at
# -O1 and above the compiler may test a field of a struct stat before the
# result of the fstatat() that fills it (harmless, the && still decides
# right), which memcheck reports as a use of uninitialised memory.
. "$(dirname "$0")/lib.sh"

have valgrind || skip_all "valgrind is not installed"
ROOT=$(cd "$TESTS/.." && pwd)
CC=${CC:-cc}
have "$CC" || skip_all "no C compiler ($CC)"
[ -x "$BIN/svc" ] || skip_all "no $BIN/svc"

VB=$T/vgbin   # the binaries
VW=$T/vg      # svscan here, and a supervise wrapper next to it
mkdir -p "$VB" "$VW" "$T/logs"
build_ok=0
for p in supervise svscan multilog; do
  "$CC" -std=c99 -D_GNU_SOURCE -I"$ROOT/src/lib" -O0 -g -o "$VB/$p" \
    "$ROOT"/src/$p/*.c "$ROOT"/src/lib/*.c -lskarnet 2>"$T/build.err" || { build_ok=1; sed 's/^/# /' "$T/build.err"; }
done
ok $build_ok "supervise, svscan, multilog build dynamically" || done_testing

VGOPTS="--error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite,possible --child-silent-after-fork=yes --track-fds=no -q"
# svscan runs VW/supervise (next to its own binary): a wrapper into valgrind
cp "$VB/svscan" "$VW/svscan"
cat > "$VW/supervise" <<EOS
#!/bin/sh
exec valgrind $VGOPTS --log-file=$T/logs/supervise.%p "$VB/supervise" "\$@"
EOS
chmod 755 "$VW/supervise"

mkdir -p "$T/sv"
mkservice "$T/sv/.a" 'echo "start $$"; exec sleep 1000'
mkservice "$T/sv/.a/log" "exec valgrind $VGOPTS --log-file=$T/logs/multilog.%p \"$VB/multilog\" t ./main"
mv "$T/sv/.a" "$T/sv/a"
A=$T/sv/a

spawn valgrind $VGOPTS --log-file="$T/logs/svscan.%p" "$VW/svscan" -k 5 "$T/sv" >"$T/out" 2>"$T/err"
SVSCAN=$spawn_pid

pid_of() { cat "$1/supervise/pid" 2>/dev/null; }
up() { p=$(pid_of "$A"); [ -n "$p" ] && kill -0 "$p" 2>/dev/null; }
logged() { [ "$(cat "$A"/log/main/current 2>/dev/null | grep -c ' start ')" -ge "$1" ]; }
state() { "$BIN/svstat" "$A" 2>/dev/null | grep -q "$1"; }

wait_for 30000 up; ok $? "service up under svscan and supervise (valgrind)"
P1=$(pid_of "$A")
wait_for 30000 logged 1; ok $? "multilog wrote the service's first line"
"$BIN/svc" -t "$A"
wait_for 20000 sh -c "p=\$(cat '$A/supervise/pid' 2>/dev/null); [ -n \"\$p\" ] && [ \"\$p\" != '$P1' ]"
ok $? "svc -t: service restarted"
wait_for 20000 logged 2; ok $? "multilog wrote the second start"
"$BIN/svc" -p "$A"; wait_for 10000 state paused; ok $? "svc -p: paused"
"$BIN/svc" -c "$A"; wait_for 10000 sh -c "! '$BIN/svstat' '$A' | grep -q paused"; ok $? "svc -c: continued"
"$BIN/svc" -d "$A"; wait_for 20000 state ': down '; ok $? "svc -d: down"   # not "want down"
"$BIN/svc" -u "$A"; wait_for 20000 up; ok $? "svc -u: up again"
# each start logs a line before it execs sleep: wait for it before the next
# signal, which could otherwise kill the shell before its echo
wait_for 20000 logged 3
# the run logs "start PID" before supervise writes supervise/pid: take the
# pid from the log, and let supervise name it before the HUP
P2=$(grep ' start ' "$A/log/main/current" | tail -n 1 | sed 's/.* start //')
wait_for 20000 sh -c "[ \"\$(cat '$A/supervise/pid' 2>/dev/null)\" = '$P2' ]"
"$BIN/svc" -h "$A"   # sleep dies of HUP: a restart
wait_for 20000 sh -c "p=\$(cat '$A/supervise/pid' 2>/dev/null); [ -n \"\$p\" ] && [ \"\$p\" != '$P2' ]"
ok $? "svc -h: the service died of HUP and was restarted"
wait_for 20000 logged 4; ok $? "multilog logged every start"
"$BIN/svc" -o "$A"; "$BIN/svc" -a "$A"  # once: ALRM kills sleep, no restart
wait_for 20000 state down; ok $? "svc -o, -a: once mode, down after the signal"

kill -TERM "$SVSCAN"
wait_for 60000 dead "$SVSCAN"; ok $? "svscan exits after TERM"
wait "$SVSCAN"; r=$?
is "$r" 0 "svscan (valgrind) exit status 0"
# the supervise and multilog valgrinds have exited too once svscan is gone
wait_for 20000 sh -c "! ps -eo args= | grep -F '$VB/' | grep -v grep >/dev/null"
ok $? "every valgrinded daemon has exited"

for kind in svscan supervise multilog; do
  set -- "$T"/logs/$kind.*
  [ -e "$1" ]; ok $? "$kind ran under valgrind ($# process(es))" || continue
  bad=0
  for f in "$@"; do
    if [ -s "$f" ]; then bad=1; diag "$f:"; sed 's/^/#   /' "$f" | head -40; fi
  done
  ok $bad "$kind: valgrind reports no invalid access, no uninitialised use, no leak"
done
done_testing
