# Helpers for tests/svscan-*.t (sourced after tests/lib.sh).

# start_svscan ARGS...: svscan in the background; stdout to $T/out,
# diagnostics to $T/err. Its pid is $SVSCAN.
start_svscan() {
  spawn "$BIN/svscan" "$@" >"$T/out" 2>"$T/err"
  SVSCAN=$spawn_pid
}
# supervise_pid NAME: pid of svscan's child running "supervise NAME"
supervise_pid() {
  ps -o pid=,args= --ppid "$SVSCAN" 2>/dev/null | awk -v n="$1" '$2=="supervise" && $3==n {print $1}'
}
# pidfile_pid DIR: the service's pid, from supervise/pid (runit format;
# empty when down).  supervise-lib.sh's svc_pid reads xstatus instead.
pidfile_pid() { cat "$1/supervise/pid" 2>/dev/null; }
svc_up() { p=$(pidfile_pid "$1"); [ -n "$p" ] && kill -0 "$p" 2>/dev/null; }
pidfile_pid_is() { [ "$(pidfile_pid "$1")" = "$2" ]; }
file_has() { grep -q -- "$2" "$1" 2>/dev/null; }
count_in() { c=$(grep -c -- "$2" "$1" 2>/dev/null); echo "${c:-0}"; }
# newservice NAME 'run body': built aside, then renamed into $T/sv at once
newservice() {
  mkservice "$T/new.$1" "$2"
  mv "$T/new.$1" "$T/sv/$1"
}

# ---- svscan as a container's init (issue 17) ----------------------------------
# need_ns: skip the whole file unless a new pid namespace can be made.
need_ns() {
  is_root || skip_all "needs root (unshare -p makes a new pid namespace)"
  have unshare || skip_all "unshare (util-linux) not installed"
  unshare -p -f --mount-proc true 2>/dev/null || skip_all "unshare -p -f --mount-proc does not work here"
}
# ns_start CMD...: CMD as PID 1 of a new pid namespace (the container).
# $U: unshare's pid; $INIT: the host pid of the namespace's PID 1.
ns_init() { INIT=$(ps -o pid= --ppid "$U" 2>/dev/null | tr -d ' '); [ -n "$INIT" ]; }
ns_start() {
  spawn unshare -p -f --mount-proc --kill-child "$@" >"$T/out" 2>"$T/err"
  U=$spawn_pid
  INIT=
  wait_for 10000 ns_init && track "$INIT"
}
# ns_wait MS: wait until the container is over; its exit code in $NS_RC
# ("timeout" if it still runs after MS).
ns_wait() {
  if wait_for "$1" dead "$U"; then wait "$U"; NS_RC=$?; else NS_RC=timeout; fi
}
# ns_comm_is PID NAME: /proc/PID/comm is NAME (exec'd into it)
ns_comm_is() { [ "$(cat "/proc/$1/comm" 2>/dev/null)" = "$2" ]; }
