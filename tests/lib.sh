# svkit test library (POSIX sh): TAP output, temp dirs, owned processes,
# and waiting on conditions with a deadline.  Source it from tests/*.t:
#   . "$(dirname "$0")/lib.sh"
#
# Every process a test starts goes through `spawn` (or `track PID`), and is
# killed by pid at exit; nothing is ever killed by name.

set -u
: "${SVKIT_BIN:=$(cd "$(dirname "$0")/.." && pwd)/bin}"
BIN=$SVKIT_BIN
TESTS=$(cd "$(dirname "$0")" && pwd)
export BIN TESTS
t_n=0
t_failed=0
t_pids=
T=$(mktemp -d "${TMPDIR:-/tmp}/svkit-test.XXXXXX") || exit 1
chmod 755 "$T"

# Pids are recycled fast here (pid_max 32768, many tests in parallel): the
# cleanup kills a tracked pid only if it is still the process that was
# tracked (same start time in /proc), never a stranger that got its number.
t_starts=
t_starttime() { awk '{ sub(/.*\) /, ""); print $20 }' "/proc/$1/stat" 2>/dev/null; }
t_same() {
  for t_e in $t_starts; do
    [ "${t_e%%:*}" = "$1" ] || continue
    [ -n "${t_e#*:}" ] && [ "$(t_starttime "$1")" = "${t_e#*:}" ] && return 0
  done
  return 1
}
t_cleanup() {
  t_live=
  for p in $t_pids; do t_same "$p" && t_live="$t_live $p"; done
  for p in $t_live; do kill -TERM "$p" 2>/dev/null; done
  for p in $t_live; do
    i=0
    while kill -0 "$p" 2>/dev/null && [ $i -lt 200 ]; do sleep 0.01; i=$((i+1)); done
    t_same "$p" && kill -KILL "$p" 2>/dev/null
  done
  [ -n "${KEEP:-}" ] || rm -rf "$T"
}
trap 't_cleanup' EXIT
trap 'exit 1' INT TERM HUP

plan() { echo "1..$1"; }
diag() { echo "# $*"; }
ok() {
  # ok CONDITION-STATUS DESCRIPTION ; use as: cmd; ok $? "desc"
  t_n=$((t_n+1))
  if [ "$1" -eq 0 ]; then echo "ok $t_n - $2"; else echo "not ok $t_n - $2"; t_failed=$((t_failed+1)); fi
  return "$1"
}
is() {
  # is GOT EXPECTED DESCRIPTION
  t_n=$((t_n+1))
  if [ "$1" = "$2" ]; then echo "ok $t_n - $3"; return 0; fi
  echo "not ok $t_n - $3"; t_failed=$((t_failed+1))
  printf '#   got:      %s\n#   expected: %s\n' "$1" "$2"
  return 1
}
skip() { t_n=$((t_n+1)); echo "ok $t_n # skip $*"; }
skip_all() { echo "1..0 # SKIP $*"; exit 0; }
done_testing() { echo "1..$t_n"; [ "$t_failed" -eq 0 ]; exit $?; }
bail() { echo "Bail out! $*"; exit 255; }

# wait_for MS CMD...: run CMD every 10 ms until it succeeds or MS pass.
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
# once_a_second N T0: N tries since T0 (now_ms) are no more than a retry
# once a second allows: 1 + the whole seconds elapsed, + 1 for slack.  The
# bound grows with the time a loaded machine took.  Sets el (seconds).
once_a_second() { el=$(( ($(now_ms) - $2) / 1000 )); [ "$1" -le $((el + 2)) ]; }

wait_for() {
  w_ms=$1; shift
  w_i=0
  while [ $w_i -lt "$w_ms" ]; do
    "$@" >/dev/null 2>&1 && return 0
    sleep 0.01; w_i=$((w_i+10))
  done
  "$@" >/dev/null 2>&1
}

# spawn CMD...: start CMD in the background, owned and cleaned up by this test.
# The pid is in $!; spawn_pid holds it too.
spawn() { "$@" & spawn_pid=$!; track "$spawn_pid"; }
track() { t_pids="$t_pids $1"; t_starts="$t_starts $1:$(t_starttime "$1")"; }
alive() { kill -0 "$1" 2>/dev/null; }
dead() { ! kill -0 "$1" 2>/dev/null || [ "$(ps -o stat= -p "$1" 2>/dev/null | cut -c1)" = Z ]; }

# mkservice DIR 'shell body of run'
mkservice() {
  mkdir -p "$1"
  printf '#!/bin/sh\n%s\n' "$2" > "$1/run"
  chmod 755 "$1/run"
}
is_root() { [ "$(id -u)" = 0 ]; }
have() { command -v "$1" >/dev/null 2>&1; }

# bin_for_nobody: as root, make sure the account nobody can run $BIN.  A clone
# in a private directory (/root is 0700) holds bin/ where nobody cannot reach
# it; then the programs are copied into this test's own directory (world-
# searchable) and BIN points there, so that the parts of a test that switch
# to nobody run the same programs.  Nothing to do for an ordinary user.
bin_for_nobody() {
  is_root && id nobody >/dev/null 2>&1 && have setpriv || return 0
  setpriv --reuid="$(id -u nobody)" --regid="$(id -g nobody)" --clear-groups \
    test -x "$BIN/supervise" 2>/dev/null && return 0
  mkdir "$T/nbin" && cp -p "$BIN"/* "$T/nbin/" && chmod 755 "$T/nbin" || return 1
  BIN=$T/nbin; export BIN
}
