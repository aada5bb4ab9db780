#!/bin/sh
# svscan as a container's init when it is not PID 1 (issue 17): under a
# shell that stays PID 1, or under tini (docker run --init).  It is a child
# subreaper, so orphans come back to it, and the essential rule holds.
. "$(dirname "$0")/lib.sh"
. "$TESTS/svscan-lib.sh"
[ -x "$BIN/svscan" ] && [ -x "$BIN/supervise" ] || skip_all "bin/svscan or supervise not built"
need_ns

mkapp() {
  mkservice "$1/app" "while [ ! -e $1/go ]; do sleep 0.02; done
exit $2"
  printf '#!/bin/sh\nexit 125\n' > "$1/app/finish"; chmod 755 "$1/app/finish"
  touch "$1/app/essential"
}
up() { "$BIN/svstat" "$1" 2>/dev/null | grep -q ': up'; }
# the host pid of svscan: the child of $INIT running it
find_svscan() {
  SV=$(ps -o pid=,comm= --ppid "$INIT" 2>/dev/null | awk '$2=="svscan" {print $1}')
  [ -n "$SV" ]
}

S=$T/a; mkdir "$S"
mkapp "$S" 3
# forker leaves a daemon behind: it belongs to supervise (a subreaper too)
# until that supervise dies
mkservice "$S/forker" "sh -c 'sleep 2147483647 & echo \$! > ./orphan.nspid'
exec sleep 2147483647"
ns_start sh -c '"$1/svscan" -k 20 "$2"; rc=$?; echo "$rc" > "$3/rc"; exit "$rc"' sh "$BIN" "$S" "$T"
wait_for 10000 find_svscan; ok $? "svscan runs under a shell that stays PID 1"
nspid=$(awk '/^NSpid/ {print $NF}' "/proc/$SV/status")
[ "$nspid" != 1 ]; ok $? "svscan is not PID 1 (pid $nspid in the namespace)"
wait_for 20000 up "$S/forker"; ok $? "forker is up"
wait_for 10000 test -s "$S/forker/orphan.nspid"
sup=$(ps -o pid=,args= --ppid "$SV" | awk '$2 ~ /supervise$/ && $3=="forker" {print $1}')
[ -n "$sup" ]; ok $? "forker's supervise found (pid $sup)"
kill -KILL "$sup"
sleeps_of() { ps -o comm= --ppid "$1" 2>/dev/null | grep -c '^sleep$'; }
two_sleeps() { [ "$(sleeps_of "$SV")" -ge 2 ]; }
wait_for 10000 two_sleeps; ok $? "supervise KILLed: its service and the daemon it left are now svscan's children"
is "$(sleeps_of "$INIT")" 0 "none went to PID 1: svscan is a child subreaper"
# kill those two; svscan reaps them
for p in $(ps -o pid=,comm= --ppid "$SV" | awk '$2=="sleep" {print $1}'); do kill -KILL "$p"; done
nozombie() { [ -z "$(ps -o stat= --ppid "$SV" | grep '^Z')" ]; }
wait_for 10000 nozombie; ok $? "svscan reaped them: no zombie"
touch "$S/go"
ns_wait 30000
is "$NS_RC" 3 "essential app gave up after exit 3: svscan (not PID 1) exits 3"
is "$(cat "$T/rc" 2>/dev/null)" 3 "the shell that ran it saw 3"

# TERM to svscan (not PID 1): exit 0
S=$T/b; mkdir "$S"
mkservice "$S/plain" 'exec sleep 2147483647'
ns_start sh -c '"$1/svscan" -k 20 "$2"; exit $?' sh "$BIN" "$S"
wait_for 10000 find_svscan
wait_for 20000 up "$S/plain"; ok $? "plain is up"
kill -TERM "$SV"
ns_wait 30000
is "$NS_RC" 0 "TERM to svscan when it is not PID 1: exit 0"

# docker run --init: tini is PID 1 and forwards TERM and the exit code
if have tini; then
  S=$T/c; mkdir "$S"
  mkapp "$S" 4
  mkservice "$S/plain" 'exec sleep 2147483647'
  ns_start tini -- "$BIN/svscan" -k 20 "$S"
  wait_for 10000 find_svscan; ok $? "svscan runs under tini (docker run --init)"
  wait_for 20000 up "$S/plain"
  touch "$S/go"
  ns_wait 30000
  is "$NS_RC" 4 "essential app gave up after exit 4: tini passes 4 on"
  S=$T/d; mkdir "$S"
  mkservice "$S/plain" 'exec sleep 2147483647'
  ns_start tini -- "$BIN/svscan" -k 20 "$S"
  wait_for 10000 find_svscan
  wait_for 20000 up "$S/plain"
  kill -TERM "$INIT"
  ns_wait 30000
  is "$NS_RC" 0 "docker stop under tini: TERM forwarded, exit 0"
else
  skip "tini is not installed (docker run --init)"
  skip "tini is not installed"
  skip "tini is not installed"
fi
done_testing
