# Helpers for tests/examples-*.t (sourced after tests/lib.sh).
# The examples are copied into $T/service and run under svkit's own svscan,
# with $BIN first in PATH so that their run scripts find svkit's programs.

REPO=$(cd "$TESTS/.." && pwd)
EX=$REPO/service-examples
SCAN=$T/service
mkdir -p "$SCAN"

# need PROG...: skip the whole file, naming what is missing, unless built.
need() {
  n_missing=
  for n_p in "$@"; do [ -x "$BIN/$n_p" ] || n_missing="$n_missing $n_p"; done
  [ -z "$n_missing" ] || skip_all "not built yet in $BIN:$n_missing"
}

# ex_copy NAME [AS]: copy service-examples/NAME into the scan dir, stateless.
ex_copy() {
  cp -R "$EX/$1" "$SCAN/${2:-$1}" &&
  rm -rf "$SCAN/${2:-$1}/supervise" "$SCAN/${2:-$1}/log/supervise" "$SCAN/${2:-$1}/log/main"
}

# free_port: a random high TCP port nobody listens on.
free_port() {
  fp_seed=$$
  while :; do
    fp=$(awk -v s="$fp_seed" 'BEGIN { srand(s); print 20000 + int(rand() * 40000) }')
    if ! have ss || [ -z "$(ss -Htln "sport = :$fp" 2>/dev/null)" ]; then echo "$fp"; return; fi
    fp_seed=$((fp_seed + 7919))
  done
}

# ex_svscan [DIR]: start svkit's svscan over DIR (default $SCAN); pid in $svscan_pid.
ex_svscan() {
  spawn env PATH="$BIN:$PATH" "$BIN/svscan" "${1:-$SCAN}" >"$T/svscan.out" 2>&1
  svscan_pid=$spawn_pid
}

# svpid DIR: the pid svstat reports for DIR when up, else nothing.
svpid() { "$BIN/svstat" "$1" 2>/dev/null | sed -n 's/.*: up (pid \([0-9]*\)).*/\1/p'; }
# svstat_up DIR: svstat reports DIR up, with a pid (any supervisor)
svstat_up() { [ -n "$(svpid "$1")" ]; }

# exited PID: true once PID is gone or a zombie.
exited() { dead "$1"; }

# under_dir DIR: pids of processes whose working directory is inside DIR
# (one find over /proc: cheap enough to poll).
under_dir() {
  find /proc/[0-9]*/cwd -maxdepth 0 \( -lname "$1" -o -lname "$1/*" \) 2>/dev/null |
    sed 's,^/proc/\([0-9]*\)/cwd$,\1,'
}
none_under() { [ -z "$(under_dir "$1")" ]; }

# stop_svscan DESC: TERM svscan; it must exit 0 within 20 s, leaving no
# process behind in the scan directory (3 assertions).
stop_svscan() {
  kill -TERM "$svscan_pid"
  wait_for 20000 exited "$svscan_pid"; ok $? "$1: svscan exits after SIGTERM"
  wait "$svscan_pid"; is "$?" 0 "$1: svscan's exit code after SIGTERM is 0"
  wait_for 5000 none_under "$SCAN"
  left=$(under_dir "$SCAN")
  is "$(echo $left)" "" "$1: no process left in the scan directory"
  for p in $left; do ps -o pid=,args= -p "$p" | sed 's/^/# left: /'; track "$p"; done
}

# fetch PORT: the body of http://127.0.0.1:PORT/ (curl, else python3).
fetch() {
  if have curl; then curl -fsS --max-time 3 "http://127.0.0.1:$1/"
  else python3 -c 'import sys, urllib.request as u
sys.stdout.write(u.urlopen("http://127.0.0.1:%s/" % sys.argv[1], timeout=3).read().decode())' "$1"
  fi
}
says_hello() { [ "$(fetch "$1" 2>/dev/null)" = "Hello World" ]; }

# tai_ns LABEL: a TAI64N label ("@" + 24 hex digits) as nanoseconds since the
# 2^62 epoch offset (fits in 64 bits for any realistic date).
tai_ns() {
  tn=${1#@}; tn=${tn%% *}
  tn_s=$((0x${tn%????????} - 0x4000000000000000))
  tn_n=$((0x${tn#????????????????}))
  echo $((tn_s * 1000000000 + tn_n))
}

# nobody_runs_bin: (as root) can the account nobody reach and run $BIN's
# programs?  Not when the tree sits under a directory closed to others.
nobody_runs_bin() {
  bin_for_nobody || return 1
  have setpriv && id nobody >/dev/null 2>&1 &&
    setpriv --reuid="$(id -u nobody)" --regid="$(id -g nobody)" --clear-groups \
      sh -c 'test -x "$1/svscan" && test -x "$1/supervise"' sh "$BIN" 2>/dev/null
}

# skip_rest REASON: after some tests ran, skip the remainder and finish.
skip_rest() { skip "$*"; done_testing; }
