#!/bin/sh
# The make bench harness itself (tests/bench/): its line check catches a lost
# or missing line, and a short supervise section measures svkit (and the
# installed peers), writes its raw results, and leaves no process behind.
. "$(dirname "$0")/lib.sh"
have python3 || skip_all "python3 is not installed"
have cc || skip_all "no C compiler for the bench helpers"
REPO=$(cd "$TESTS/.." && pwd)

# 1. check_logdir: kept files must hold first..last, each line once.
out=$(python3 - "$REPO/tests/bench" "$T/logdir" <<'PY'
import os, sys
sys.path.insert(0, sys.argv[1])
from benchlog import check_logdir
d = sys.argv[2]
os.mkdir(d)
lines = [b'@400000005f5e100000000000 %07d some text\n' % i for i in range(100)]
def case(archive, current):
    for f in os.listdir(d):
        os.unlink(os.path.join(d, f))
    open(os.path.join(d, '@400000005f5e100000000001.s'), 'wb').write(b''.join(archive))
    open(os.path.join(d, 'current'), 'wb').write(b''.join(current))
    return check_logdir(d, 100)
print(case(lines[20:50], lines[50:100]),
      case(lines[20:50], lines[50:70] + lines[71:100]),
      case(lines[20:50], lines[50:99]),
      case(lines[20:50], []))
PY
)
is "$out" "0 1 1 50" "line check: a whole kept tail passes; counts a lost middle line, a lost last line, 50 lines missing from current"

# 2. a short supervise section, helpers built into a private directory.
[ -x "$BIN/supervise" ] && [ -x "$BIN/svc" ] || { skip "no $BIN/supervise or svc"; skip "-"; skip "-"; skip "-"; done_testing; }
mkdir -p "$T/out"
for h in stamp ru; do
  cc -std=c99 -D_GNU_SOURCE -O2 -o "$T/out/$h" "$REPO/tests/bench/$h.c" || bail "cannot build $h"
done
mkdir "$T/tmp"
TMPDIR=$T/tmp BENCH_OUT=$T/out SVKIT_BIN=$BIN BENCH_ONLY=supervise QUICK=1 \
  BENCH_P=restart_rounds=2,control_rounds=1,budget=120 \
  python3 "$REPO/tests/bench/bench.py" > "$T/bench.out" 2>&1
ok $? "bench.py exits 0"
raw=$(ls "$T"/out/results-*-quick.txt 2>/dev/null | head -1)
n=$(awk -F'\t' '$1 == "restart latency" && $3 == "svkit" && $4 ~ /^[0-9.e+-]+$/ && $4 > 0' "$raw" 2>/dev/null | wc -l)
is "$n" 4 "two restart samples for svkit, as median and max rows, in the raw results"
m=$(awk -F'\t' '$1 == "control latency" && $3 == "svkit" && $4 ~ /^[0-9.e+-]+$/' "$raw" 2>/dev/null | wc -l)
is "$m" 3 "svc -t, -d, -u measured for svkit"
left=
for p in $(ls /proc | grep '^[0-9][0-9]*$'); do
  case $(readlink "/proc/$p/cwd" 2>/dev/null) in "$T"/tmp/*) left="$left $p" ;; esac
done
is "$left$(ls "$T/tmp")" "" "no process and no temp dir left behind"
[ $t_failed -eq 0 ] || sed 's/^/# /' "$T/bench.out"
done_testing
