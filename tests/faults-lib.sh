# Helpers for tests/faults-*.t (sourced after tests/lib.sh and svscan-lib.sh).
#
# FAULTS_LONG=1 (set by `make faults`) selects the long version of a fault;
# the short one runs in `make test`.  Each test reports its outcome on a line
#   # fault: NAME runs=R lost=L dup=D recovered=K
# that tests/faults/run.sh collects into the table of doc/faults.md.

: "${FAULTS_LONG:=0}"
long() { [ "$FAULTS_LONG" = 1 ]; }
# pick SHORT LONG: the value for this run's length
pick() { if long; then echo "$2"; else echo "$1"; fi; }
fault_report() { echo "# fault: $1 runs=$2 lost=$3 dup=$4 recovered=$5"; }

# cputicks PID: utime+stime of PID in clock ticks (0 if gone)
cputicks() { awk '{ sub(/.*\) /, ""); print $12 + $13 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
nfds() { ls "/proc/$1/fd" 2>/dev/null | wc -l | tr -d ' '; }
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null; }
# svpid_of DIR: the pid of the supervise holding DIR (xstatus bytes 56..59)
svpid_of() { od -An -tu4 --endian=little -j 56 -N4 "$1/supervise/xstatus" 2>/dev/null | tr -d ' \n'; }
# instances TAG: how many live processes have TAG in their command line
instances() { ps -eo args= | grep -c -- "[$(printf %s "$1" | cut -c1)]$(printf %s "$1" | cut -c2-)"; }
# nobody_ok: can we run things as an ordinary user?
nobody_ok() { is_root && have setpriv && id nobody >/dev/null 2>&1 && bin_for_nobody; }
# $NOBODY CMD...: run CMD as nobody (setpriv execs it: same pid, so it can
# be spawned and killed by pid)
NOBODY="setpriv --reuid=nobody --regid=$(id -gn nobody 2>/dev/null || echo nogroup) --clear-groups"
as_nobody() { $NOBODY "$@"; }
