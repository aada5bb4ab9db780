#!/bin/sh
# Every program (every src/PROG/ but lib) has doc/PROG.8, with the house
# sections, and `groff -man -ww -z` prints nothing for it.
. "$(dirname "$0")/lib.sh"
REPO=$(cd "$TESTS/.." && pwd)
progs=$(cd "$REPO/src" && for d in */; do d=${d%/}; [ "$d" = lib ] || echo "$d"; done)

for p in $progs; do
  m=$REPO/doc/$p.8
  if [ ! -f "$m" ]; then
    ok 1 "doc/$p.8 exists"
    continue
  fi
  ok 0 "doc/$p.8 exists"
  if have groff; then
    out=$(groff -man -ww -z "$m" 2>&1)
    is "$out" "" "groff -man -ww -z doc/$p.8 prints nothing"
  else
    skip "groff is not installed (apt-get install groff-base)"
  fi
  grep -q "^\.TH $(echo "$p" | tr a-z A-Z) 8\b\|^\.TH $p 8\b" "$m"; ok $? "doc/$p.8: .TH names $p, section 8"
  missing=
  for s in NAME SYNOPSIS DESCRIPTION OPTIONS FILES "EXIT CODES" EXAMPLES; do
    grep -q "^\.SH \"\{0,1\}$s\"\{0,1\} *$" "$m" || missing="$missing, $s"
  done
  is "${missing#, }" "" "doc/$p.8 has SYNOPSIS, DESCRIPTION, OPTIONS, FILES, EXIT CODES, EXAMPLES"
done
if have groff; then
  for m in "$REPO"/doc/*.8; do
    [ -f "$m" ] || continue
    p=$(basename "$m" .8)
    [ -d "$REPO/src/$p" ] && continue
    out=$(groff -man -ww -z "$m" 2>&1); is "$out" "" "groff -man -ww -z doc/$p.8 (no program of that name) prints nothing"
  done
fi
done_testing
