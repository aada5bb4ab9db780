#!/bin/sh
# `make faults`: the long versions of tests/faults-*.t (FAULTS_LONG=1), one
# after the other, then a table: fault, runs, lost, duplicated, recovered.
# Each test prints "# fault: NAME runs=R lost=L dup=D recovered=K".
# Usage: sh tests/faults/run.sh [TEST.t...]   (SVKIT_BIN = the binaries)
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
: "${SVKIT_BIN:=$(cd "$here/.." && pwd)/bin}"
export SVKIT_BIN FAULTS_LONG=1
out=${FAULTS_OUT:-$(cd "$here/.." && pwd)/build/faults}
mkdir -p "$out"
[ $# -gt 0 ] || set -- "$here"/faults-*.t
fail=0
: > "$out/table"
for t; do
  n=$(basename "$t" .t)
  start=$(date +%s)
  if prove -v --exec '' "$t" > "$out/$n.log" 2>&1; then res=pass; else res=FAIL; fail=1; fi
  secs=$(( $(date +%s) - start ))
  echo "faults: $n: $res in ${secs} s (log: $out/$n.log)"
  grep '^# fault: ' "$out/$n.log" | sed "s/\$/ test=$n result=$res/" >> "$out/table"
  grep -q '^# fault: ' "$out/$n.log" || echo "# fault: $n runs=0 lost=? dup=? recovered=0 test=$n result=$res" >> "$out/table"
done
echo
awk '
  { delete v; for (i = 4; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
    printf "| %-16s | %6s | %4s | %10s | %9s | %-6s |\n", $3, v["runs"], v["lost"], v["dup"], v["recovered"], v["result"] }
  BEGIN { printf "| %-16s | %6s | %4s | %10s | %9s | %-6s |\n", "fault", "runs", "lost", "duplicated", "recovered", "result"
          print "|------------------|--------|------|------------|-----------|--------|" }
' "$out/table" | tee "$out/table.md"
exit $fail
