#!/bin/sh
# multilog: SIGKILL 20 times during a flood of numbered lines, the pipe held
# by the test (as svscan holds it): no line may be missing.
. "$(dirname "$0")/lib.sh"
M=$BIN/multilog
cd "$T" || bail "cd"
plan 5

N=200000
mkfifo f
exec 3<>f   # we hold the pipe, as svscan does
# 200 awk runs of 1000 lines: 4 KiB writes that end in the middle of lines
( i=0; while [ $i -lt 200 ]; do
    awk -v s=$((i * 1000)) 'BEGIN { for (j = 1; j <= 1000; j++) print "line " s + j " xxxxxxxxxxxxxxxxxxxx" }'
    i=$((i + 1))
  done; echo END ) > f &
prod=$!; track $prod

inode() { stat -c %i d/current 2>/dev/null; }
progress() { dead $prod || { [ "$(inode)" != "$1" ] && [ -s d/current ]; }; }
kills=0 during=0
while [ $kills -lt 20 ]; do
  old=$(inode)
  "$M" t n1000 ./d < f & ml=$!; track $ml
  wait_for 5000 progress "$old"
  alive $prod && during=$((during + 1))
  kill -KILL $ml; wait $ml 2>/dev/null
  kills=$((kills + 1))
done
diag "$during of 20 kills happened while the producer was still writing"
"$M" t n1000 ./d < f & ml=$!; track $ml
wait_for 60000 dead $prod; ok $? "producer finished"
wait_for 10000 sh -c "cat d/@* d/current | grep -q ' END\$'"; ok $? "last line written"
kill -TERM $ml; wait_for 5000 dead $ml

# A write cut short by SIGKILL leaves part of a line at the end of current;
# the next multilog removes it (the line is still in the pipe).
: > cut
for x in d/@* d/current; do
  cat "$x"
  if [ -n "$(tail -c 1 "$x")" ]; then echo; echo "$x" >> cut; fi
done | sed 's/^@[0-9a-f]\{24\} //' > all
is "$(wc -l < cut | tr -d ' ')" 0 "every file ends at a line boundary"
is "$(grep -v '^line [0-9]* x\{20\}$' all | grep -vc '^END$')" 0 "no torn or garbled line"
missing=$(awk -v n=$N '/^line / { seen[$2] = 1 } END { m = 0; for (i = 1; i <= n; i++) if (!(i in seen)) m++; print m }' all)
dups=$(( $(grep -c '^line ' all) - (N - missing) ))
diag "duplicates: $dups"
is "$missing" 0 "no line missing after 20 SIGKILLs ($dups duplicates)"
