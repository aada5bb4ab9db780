#!/bin/sh
# Fault 7: resource exhaustion.  fork failing (RLIMIT_NPROC, as an ordinary
# user: root is exempt) and descriptors exhausted (RLIMIT_NOFILE), in
# supervise and in svscan: a warning, a retry on a deadline (no busy loop),
# and recovery once prlimit(1) lifts the limit on the running process.
. "$(dirname "$0")/lib.sh"
. "$TESTS/svscan-lib.sh"
. "$TESTS/faults-lib.sh"
have prlimit || skip_all "no prlimit(1)"
is_root || skip_all "needs root to set another process's limits"

ROUNDS=$(pick 1 5)
TAG="svkit-fault-lim-$$"
cp "$(command -v sleep)" "$T/$TAG"
chmod 755 "$T/$TAG"
runs=0 rec=0
# Only soft limits are changed: a container's root may lack CAP_SYS_RESOURCE
# to raise a hard limit again.  lift PID: soft = hard for both.
# PL: prlimit, run as the owner of the target (without CAP_SYS_RESOURCE,
# root may not even read the limits of a process of another user)
PL=prlimit
hard() { $PL --pid "$1" --noheadings -o HARD "--$2" | tr -d ' '; }
lift() { $PL --pid "$1" --nproc="$(hard "$1" nproc):" --nofile="$(hard "$1" nofile):"; }
# recovered WHAT PID COND...: lift every limit of PID, and COND must hold
# within 5 s (the retries run once a second)
recovered() {
  what=$1 pid=$2; shift 2
  lift "$pid"
  t0=$(now_ms)
  wait_for 5000 "$@"; rr=$?
  ok $rr "$what: recovered $(( $(now_ms) - t0 )) ms after the limit was lifted"
  runs=$((runs+1)); [ $rr = 0 ] && rec=$((rec+1))
}
# busy PID...: CPU ticks of the PIDs over 2 s
busy() { c0=0; for p; do c0=$((c0 + $(cputicks $p))); done; wait_for 2000 false
  c1=0; for p; do c1=$((c1 + $(cputicks $p))); done; echo $((c1 - c0)); }
# cannot_fork WHO PID ERRFILE WARNING COUNTED: in round $r, since $t0, WHO
# warns that it cannot fork, does not busy-loop, and retries at most once
# a second (busy's 2 s window stretches on a loaded machine)
cannot_fork() {
  wait_for 5000 grep -q "$4" "$3"
  ok $? "nproc $r: $1 warns that it cannot fork" || tail -3 "$3" | sed 's/^/# /'
  b=$(busy "$2")
  ok $([ "$b" -lt 20 ]; echo $?) "nproc $r: $1 does not busy-loop ($b ticks in 2 s)"
  n=$(grep -c "$5" "$3")
  once_a_second "$n" "$t0"; ok $? "nproc $r: retried on a deadline ($n tries in $el s)"
}

# ---- supervise, descriptors --------------------------------------------------
mkservice "$T/f" "exec '$T/$TAG' 100000"
"$BIN/supervise" "$T/f" 2>"$T/f.err" & S=$!; track $S
wait_for 5000 svc_up "$T/f"; ok $? "nofile: service up"
r=0
while [ $r -lt "$ROUNDS" ]; do r=$((r+1))
  P=$(pidfile_pid "$T/f")
  prlimit --pid "$S" --nofile=3:
  kill -KILL "$P"
  wait_for 5000 grep -q "Too many open files" "$T/f.err"; ok $? "nofile $r: supervise warns (EMFILE)"
  b=$(busy "$S")
  ok $([ "$b" -lt 20 ]; echo $?) "nofile $r: supervise does not busy-loop ($b ticks in 2 s)"
  alive "$S"; ok $? "nofile $r: supervise survives"
  newp() { p=$(pidfile_pid "$T/f"); [ -n "$p" ] && [ "$p" != "$P" ] && [ "$(ps -o args= -p "$p" | cut -d' ' -f1)" = "$T/$TAG" ]; }
  recovered "nofile $r: supervise" "$S" newp
  : > "$T/f.err"
done

# ---- supervise, processes (as nobody) ------------------------------------------
if nobody_ok; then
  mkdir "$T/u"; mkservice "$T/u/s" "exec '$T/$TAG' 100000"; chown -R nobody "$T/u"
  spawn $NOBODY "$BIN/supervise" "$T/u/s" 2>"$T/u.err"; S=$spawn_pid
  PL="$NOBODY prlimit"
  wait_for 5000 svc_up "$T/u/s"; ok $? "nproc: service up as nobody"
  r=0
  while [ $r -lt "$ROUNDS" ]; do r=$((r+1))
    P=$(pidfile_pid "$T/u/s")
    $PL --pid "$S" --nproc=1:
    t0=$(now_ms)
    kill -KILL "$P"
    cannot_fork supervise "$S" "$T/u.err" "unable to spawn.*Resource temporarily unavailable" "unable to spawn"
    newp() { p=$(pidfile_pid "$T/u/s"); [ -n "$p" ] && [ "$p" != "$P" ] && alive "$p"; }
    recovered "nproc $r: supervise" "$S" newp
    : > "$T/u.err"
  done
else
  skip "cannot switch to an ordinary user"
fi

PL=prlimit
# ---- svscan, descriptors -------------------------------------------------------
mkdir "$T/sv"
start_svscan "$T/sv"
mkservice "$T/new.x" "echo hello-x; exec '$T/$TAG' 100000"
mv "$T/new.x" "$T/sv/x"
wait_for 10000 svc_up "$T/sv/x"; ok $? "svscan: service x up"
r=0
while [ $r -lt "$ROUNDS" ]; do r=$((r+1))
  prlimit --pid "$SVSCAN" --nofile=3:
  : > "$T/err"
  mkservice "$T/new.y$r" "echo hello-y$r; exec '$T/$TAG' 100000"
  mkservice "$T/new.y$r/log" "exec '$BIN/multilog' ./main"
  mv "$T/new.y$r" "$T/sv/y$r"
  kill -ALRM "$SVSCAN"
  wait_for 5000 grep -q "Too many open files" "$T/err"; ok $? "nofile $r: svscan warns (EMFILE)" || tail -3 "$T/err" | sed 's/^/# /'
  b=$(busy "$SVSCAN")
  ok $([ "$b" -lt 20 ]; echo $?) "nofile $r: svscan does not busy-loop ($b ticks in 2 s)"
  alive "$SVSCAN"; ok $? "nofile $r: svscan survives"
  svc_up "$T/sv/x"; ok $? "nofile $r: x still runs"
  recovered "nofile $r: svscan" "$SVSCAN" grep -q "hello-y$r" "$T/sv/y$r/log/main/current"
done

# ---- svscan, processes (as nobody) -----------------------------------------------
if nobody_ok; then
  mkdir "$T/usv"; chown nobody "$T/usv"
  spawn $NOBODY "$BIN/svscan" "$T/usv" >/dev/null 2>"$T/usv.err"; U=$spawn_pid
  PL="$NOBODY prlimit"
  wait_for 5000 sh -c "ps -o args= -p $U | grep -q svscan"
  r=0
  while [ $r -lt "$ROUNDS" ]; do r=$((r+1))
    $PL --pid "$U" --nproc=1:
    mkservice "$T/new.z$r" "exec '$T/$TAG' 100000"; chown -R nobody "$T/new.z$r"
    t0=$(now_ms)
    mv "$T/new.z$r" "$T/usv/z$r"
    kill -ALRM "$U"
    cannot_fork svscan "$U" "$T/usv.err" "unable to fork a supervise for z$r" "unable to fork a supervise for z$r"
    recovered "nproc $r: svscan" "$U" svc_up "$T/usv/z$r"
  done
else
  skip "cannot switch to an ordinary user"
fi
fault_report resource-limits "$runs" 0 0 "$rec"
done_testing
