# Helpers for the tests of a service's whole process tree (issue 15):
# tests/supervise-tree*.t and tests/svscan-tree.t, sourced after lib.sh and
# supervise-lib.sh.
#
# Every process of a test service carries SVKIT_TREE=MARK in its
# environment (MARK unique to the service); the tests count a service's
# processes by that marker in /proc, never by name.  Each run also writes
# the pids of its generation, one a line, into gen.RUNPID.

# As root, TREE_USER=nobody runs supervise and svscan as that account
# (setpriv); the test itself stays root to look into /proc.
TREE_USER=${TREE_USER:-}
# a clone in a private directory: TREE_USER runs a copy of bin/ in $T
[ -z "$TREE_USER" ] || bin_for_nobody
# give DIR: hand DIR over to TREE_USER (no-op without one)
give() { [ -z "$TREE_USER" ] || chown -R "$(id -u "$TREE_USER"):$(id -g "$TREE_USER")" "$1"; }

# marked MARK: live processes whose environment holds SVKIT_TREE=MARK
# (a zombie's environ reads empty).
marked() {
  grep -l -s -z -x "SVKIT_TREE=$1" /proc/[0-9]*/environ 2>/dev/null | wc -l | tr -d ' '
}
marked_is() { [ "$(marked "$1")" = "$2" ]; }
marked_pids() {
  grep -l -s -z -x "SVKIT_TREE=$1" /proc/[0-9]*/environ 2>/dev/null | sed 's,^/proc/\([0-9]*\)/environ$,\1,'
}
# track_marked MARK: let the test's cleanup kill, by pid, whatever is left.
track_marked() { for tm_p in $(marked_pids "$1"); do track "$tm_p"; done; }

# tree_service DIR BODY: a service whose run puts the marker (the
# directory's name plus the test's pid: unique) into its own environment
# (exec again, same pid) and then runs BODY.
tree_service() {
  mkdir -p "$1"
  echo "$(basename "$1").$$" > "$1/mark"
  printf '#!/bin/sh\n[ -n "${SVKIT_TREE:-}" ] || exec env SVKIT_TREE="$(cat mark)" ./run\ng=gen.$$\necho $$ >> "$g"\n%s\n' "$2" > "$1/run"
  chmod 755 "$1/run"
}
mark_of() { cat "$1/mark"; }

# The pattern of issue 15: a run that does not exec (as `npm start`: sh
# stays), with a background child, a child that ignores TERM, and a
# grandchild that escaped with setsid -f (as a double-forking daemon).
# One generation is 4 processes.
PATTERN='sh -c '\''echo $$ >> "$1"; exec sleep 1000'\'' sh "$g" &
sh -c '\''trap "" TERM; echo $$ >> "$1"; exec sleep 1000'\'' sh "$g" &
setsid -f sh -c '\''echo $$ >> "$1"; exec sleep 1000'\'' sh "$g"
wait'

# gen_is DIR RUNPID N: generation RUNPID has written its N pids
gen_is() { [ "$(count_lines "$1/gen.$2")" = "$3" ]; }
# gen_dead DIR RUNPID: every process of that generation is gone
gen_dead() {
  for gd_p in $(cat "$1/gen.$2" 2>/dev/null); do dead "$gd_p" || return 1; done
}
gen_track() { for gt_p in $(cat "$1/gen.$2" 2>/dev/null); do track "$gt_p"; done; }

# up_other DIR PID: up, with a pid other than PID
up_other() { is_up "$1" && [ "$(svc_pid "$1")" != "$2" ]; }
# killed DIR: xstatus bytes 60..63, processes supervise KILLed in the last stop
killed() { xs_u32 "$1/supervise/xstatus" 60; }

# tr_supervise DIR: supervise DIR as TREE_USER (or ourselves); pid in $svpid.
tr_supervise() {
  give "$1"
  if [ -n "$TREE_USER" ]; then
    setpriv --reuid="$(id -u "$TREE_USER")" --regid="$(id -g "$TREE_USER")" --clear-groups \
      "$BIN/supervise" "$1" 2>>"$1.err" &
  else
    "$BIN/supervise" "$1" 2>>"$1.err" &
  fi
  svpid=$!
  track "$svpid"
  wait_for 5000 sv_ready "$1"
}

# ppid_of PID
ppid_of() { awk '{ sub(/.*\) /, ""); print $2 }' "/proc/$1/stat" 2>/dev/null; }

# generation_case DIR WHAT: the issue's "Done when" on a running service
# made with tree_service DIR "$PATTERN" and default settings: 4 processes,
# one generation after svc -t, none after svc -d (with -wD: svc returns
# only when the whole tree is gone).  WHAT names the setting in messages.
# With TREE_NS set, the service runs in another pid namespace: its pids
# (xstatus, gen.*) are compared with one another only, processes are
# counted by their marker.
generation_case() {
  gc_s=$1 gc_w=$2 gc_m=$(mark_of "$1")
  wait_for 10000 is_up "$gc_s"
  gc_p1=$(svc_pid "$gc_s")
  wait_for 10000 gen_is "$gc_s" "$gc_p1" 4; ok $? "$gc_w: one generation is 4 processes"
  [ -n "${TREE_NS:-}" ] || gen_track "$gc_s" "$gc_p1"
  wait_for 5000 marked_is "$gc_m" 4; ok $? "$gc_w: 4 marked processes" || diag "marked: $(marked "$gc_m")"
  "$BIN/svc" -t "$gc_s"
  wait_for 20000 up_other "$gc_s" "$gc_p1"; ok $? "$gc_w: svc -t: restarted"
  gc_p2=$(svc_pid "$gc_s")
  wait_for 10000 gen_is "$gc_s" "$gc_p2" 4; ok $? "$gc_w: the new generation started its 4 processes"
  if [ -z "${TREE_NS:-}" ]; then
    gen_track "$gc_s" "$gc_p2"
    gen_dead "$gc_s" "$gc_p1"; ok $? "$gc_w: svc -t: every process of the old generation is gone"
  fi
  is "$(marked "$gc_m")" 4 "$gc_w: svc -t: one generation left (4 processes)"
  "$BIN/svc" -d -wD -T 20000 "$gc_s"; ok $? "$gc_w: svc -d -wD returns"
  is "$(marked "$gc_m")" 0 "$gc_w: svc -d: no process left when svc -wD returns"
  [ -n "${TREE_NS:-}" ] || { gen_dead "$gc_s" "$gc_p2"; ok $? "$gc_w: svc -d: the generation is gone"; }
  track_marked "$gc_m"
}
