#!/bin/sh
# svscan as a container's init, stopping (issue 17): on TERM to PID 1
# (docker stop) it exits 0 as soon as every service is down and every logger
# drained, each service within its own timeout-kill; -k is only the last
# resort.  Orphans handed to PID 1 are reaped: no zombie.
. "$(dirname "$0")/lib.sh"
. "$TESTS/svscan-lib.sh"
[ -x "$BIN/svscan" ] && [ -x "$BIN/supervise" ] && [ -x "$BIN/multilog" ] || skip_all "bin/svscan, supervise or multilog not built"
need_ns

S=$T/sv; mkdir "$S"
mkservice "$S/web" "exec 2>&1
trap 'echo web: last line; exit 0' TERM
echo web: up
while :; do sleep 0.1 & wait \$!; done"
mkservice "$S/web/log" "exec $BIN/multilog t ./main"
mkservice "$S/fast" 'exec sleep 2147483647'
# ignores TERM: only its own timeout-kill (1.5 s) stops it
mkservice "$S/slow" "trap '' TERM
echo \$\$ > $T/slow.pid
while :; do sleep 0.1; done"
echo 1500 > "$S/slow/timeout-kill"

# the entrypoint leaves 50 orphans behind, then execs svscan (-k 120: far
# longer than any test deadline below)
ns_start sh -c 'i=0
while [ $i -lt 50 ]; do i=$((i+1)); ( (sleep 0.2; : > "$0/orph.$i") & ); done
exec "$1/svscan" -k 120 "$2"' "$T" "$BIN" "$S"
[ -n "$INIT" ]; ok $? "the container started"
wait_for 10000 ns_comm_is "$INIT" svscan; ok $? "PID 1 is svscan"
orphans_done() { [ "$(ls "$T" | grep -c '^orph\.')" = 50 ]; }
wait_for 20000 orphans_done; ok $? "the 50 orphans ran and exited"
nozombie() { [ -z "$(ps -o stat= --ppid "$INIT" | grep '^Z')" ]; }
wait_for 10000 nozombie; ok $? "50 orphans: no zombie under PID 1"
web_up() { grep -q 'web: up' "$S/web/log/main/current" 2>/dev/null; }
wait_for 20000 web_up; ok $? "web is up and logging"
up() { "$BIN/svstat" "$S/$1" 2>/dev/null | grep -q ': up'; }
wait_for 20000 up slow && wait_for 20000 up fast; ok $? "slow and fast are up"

t0=$(now_ms)
kill -TERM "$INIT"
ns_wait 60000
el=$(( $(now_ms) - t0 ))
is "$NS_RC" 0 "TERM to PID 1: the container exits 0"
diag "TERM to exit: $el ms (slow's timeout-kill: 1500 ms; -k: 120 s)"
grep -q 'grace period' "$T/err"; ok $((! $?)) "svscan did not need its -k last resort"
sig=$(od -An -tu4 -j40 -N4 "$S/slow/supervise/xstatus" | tr -d ' ')
is "$sig" 9 "slow was killed by its own timeout-kill (SIGKILL)"
grep -q 'web: last line' "$S/web/log/main/current"; ok $? "web's last line reached its log"

# no timeout-kill and a TERM-proof service: -k is the bound
S=$T/sv2; mkdir "$S"
mkservice "$S/stubborn" "trap '' TERM
while :; do sleep 0.1; done"
mkservice "$S/fast" 'exec sleep 2147483647'
ns_start "$BIN/svscan" -k 1 "$S"
wait_for 20000 up stubborn; ok $? "a service that ignores TERM is up"
kill -TERM "$INIT"
ns_wait 60000
is "$NS_RC" 0 "TERM to PID 1: exit 0 after the -k 1 last resort"
grep -q 'killing what is left of stubborn after the grace period' "$T/err"; ok $? "svscan says it killed stubborn after -k"
done_testing
