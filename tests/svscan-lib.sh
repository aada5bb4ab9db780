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
# svc_pid DIR: the service's pid, from supervise/pid (empty if down)
svc_pid() { cat "$1/supervise/pid" 2>/dev/null; }
svc_up() { p=$(svc_pid "$1"); [ -n "$p" ] && kill -0 "$p" 2>/dev/null; }
svc_pid_is() { [ "$(svc_pid "$1")" = "$2" ]; }
file_has() { grep -q -- "$2" "$1" 2>/dev/null; }
count_in() { c=$(grep -c -- "$2" "$1" 2>/dev/null); echo "${c:-0}"; }
# newservice NAME 'run body': built aside, then renamed into $T/sv at once
newservice() {
  mkservice "$T/new.$1" "$2"
  mv "$T/new.$1" "$T/sv/$1"
}
