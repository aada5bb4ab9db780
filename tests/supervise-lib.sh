# Helpers for tests/supervise-*.t (sourced after lib.sh).
# Fields of supervise/xstatus, offsets as in doc/formats.md.

# sv_start DIR: start svkit's supervise on DIR (stderr to DIR.err); pid in $svpid.
sv_start() {
  sv_t0=$(now_ms)
  "$BIN/supervise" "$1" 2>>"$1.err" &
  svpid=$!
  track "$svpid"
  wait_for 5000 sv_ready "$1"
}
# sv_ready DIR: the supervise started by sv_start has written its first
# record (its own pid in xstatus, not a killed predecessor's) and opened ok;
# or it has exited already.
sv_ready() {
  dead "$svpid" && return 0
  [ "$(xs_u32 "$1/supervise/xstatus" 56 2>/dev/null)" = "$svpid" ] && "$BIN/svok" "$1"
}

# Snapshot xstatus once, so that several fields come from the same record.
xs_snap() { cp "$1/supervise/xstatus" "$T/xs.snap" 2>/dev/null; }
xs_u8() { od -An -tu1 -j "$2" -N1 "$1" | tr -d ' \n'; }
xs_u32() { od -An -tu4 --endian=little -j "$2" -N4 "$1" | tr -d ' \n'; }
xs_s32() { od -An -td4 --endian=little -j "$2" -N4 "$1" | tr -d ' \n'; }

# Live fields of DIR's xstatus.
state() { xs_u8 "$1/supervise/xstatus" 5; }     # 0 down, 1 run, 2 finish
want() { od -An -c -j 6 -N1 "$1/supervise/xstatus" | tr -d ' \n'; }
flags() { xs_u8 "$1/supervise/xstatus" 7; }
svc_pid() { xs_u32 "$1/supervise/xstatus" 32; }
exitcode() { xs_s32 "$1/supervise/xstatus" 36; }
exitsig() { xs_u32 "$1/supervise/xstatus" 40; }
starts() { xs_u32 "$1/supervise/xstatus" 44; }

# has_flag DIR MASK: the flag bit is set in xstatus.
has_flag() { [ $(( $(flags "$1") & $2 )) -ne 0 ]; }
F_PAUSED=1 F_TERMSENT=2 F_READY=4 F_ONCE=8 F_EXIT=16 F_NORMDOWN=32 F_GAVEUP=64 F_EXITED=128

is_state() { [ "$(state "$1")" = "$2" ]; }
# is_up DIR: running with a pid
is_up() { [ "$(state "$1")" = 1 ] && [ "$(svc_pid "$1")" != 0 ]; }
is_down() { [ "$(state "$1")" = 0 ]; }

# ctl DIR BYTES: write control bytes (never blocks: bounded by timeout).
ctl() { timeout 5 sh -c 'printf %s "$2" > "$1/supervise/control"' sh "$1" "$2"; }

# count_lines FILE: number of lines (0 if absent)
count_lines() { if [ -f "$1" ]; then wc -l < "$1" | tr -d ' '; else echo 0; fi; }
file_has() { grep -q -- "$2" "$1" 2>/dev/null; }

# cputicks PID: utime+stime of PID in clock ticks
cputicks() { awk '{ sub(/.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"; }
