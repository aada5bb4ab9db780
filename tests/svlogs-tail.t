#!/bin/sh
# svlogs without -f: the last N lines of each log, merged in time order,
# in local time (ms), each with its service's name.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/chain-lib.sh"
. "$(dirname "$0")/svlogs-lib.sh"
TZ=EST5EDT; export TZ   # POSIX rule: needs no time zone database
S=$T/S
texts() { printf '%s\n' "$out" | sed 's/^.\{23\}  [^ ]*  *//'; }   # the text of each line of $out
B=1700000000   # 2023-11-14 22:13:20 UTC, 17:13:20 EST
svc_with_log "$S/web"; svc_with_log "$S/db"; svc_with_log "$S/worker"
{ logline $B 5000000 "web one"; logline $((B+2)) 0 "web two"; logline $((B+4)) 999999999 "web three"; } > "$S/web/log/main/current"
{ logline $((B+1)) 123456789 "db one"; logline $((B+3)) 0 "db two"; } > "$S/db/log/main/current"
# multilog T stamps (ISO 8601 UTC) merge with t stamps
{ printf '%s worker one\n' "$(iso $((B+2)) 500000000)"; printf '%s worker two\n' "$(iso $((B+5)) 0)"; } > "$S/worker/log/main/current"

run "$BIN/svlogs" "$S/web" "$S/db" "$S/worker"
is "$rc" 0 "exit 0"
is "$out" "2023-11-14 17:13:20.005  web     web one
2023-11-14 17:13:21.123  db      db one
2023-11-14 17:13:22.000  web     web two
2023-11-14 17:13:22.500  worker  worker one
2023-11-14 17:13:23.000  db      db two
2023-11-14 17:13:24.999  web     web three
2023-11-14 17:13:25.000  worker  worker two" "merged in time order, local time with ms, names padded, t and T stamps"
is "$err" "" "nothing on stderr"
run env TZ=UTC "$BIN/svlogs" -n 1 "$S/db"
is "$out" "2023-11-14 22:13:23.000  db  db two" "TZ=UTC: the same instant in UTC; -n 1"

# the order of the arguments does not change the merge
run "$BIN/svlogs" "$S/worker" "$S/db" "$S/web"
is "$(printf '%s\n' "$out" | awk '{ print $4, $5 }' | tr '\n' ,)" "web one,db one,web two,worker one,db two,web three,worker two," "same order whatever the order of the DIRs"

# equal stamps: the order of the DIRs on the command line, then file order
mkdir -p "$T/eq/a" "$T/eq/b"
{ logline $B 0 a1; logline $B 0 a2; } > "$T/eq/a/current"
{ logline $B 0 b1; } > "$T/eq/b/current"
run "$BIN/svlogs" "$T/eq/b" "$T/eq/a"
is "$(printf '%s\n' "$out" | awk '{ print $4 }' | tr '\n' ,)" "b1,a1,a2," "equal stamps: DIR order, then file order"

# -n
mkdir -p "$T/many"
i=1; while [ $i -le 15 ]; do logline $((B+i)) 0 "line $i"; i=$((i+1)); done > "$T/many/current"
run "$BIN/svlogs" "$T/many"
is "$(printf '%s\n' "$out" | wc -l | tr -d ' ')" 10 "default: the last 10 lines"
is "$(texts | head -1)" "line 6" "... the first of them is line 6"
run "$BIN/svlogs" -n 3 "$T/many" "$S/web"
is "$(printf '%s\n' "$out" | awk '{ print $5 }' | tr '\n' ,)" "one,two,three,13,14,15," "-n 3: the last 3 of each log"
run "$BIN/svlogs" -n 0 "$T/many"
is "$rc.$out" "0." "-n 0: nothing"
run "$BIN/svlogs" -n 100 "$T/many"
is "$(printf '%s\n' "$out" | wc -l | tr -d ' ')" 15 "-n larger than the log: all of it"

# unstamped lines keep file order, with a blank time
mkdir -p "$T/mixed"
{ logline $((B+1)) 0 "stamped one"; echo "plain after one"; echo "plain again"; logline $((B+3)) 0 "stamped three"; } > "$T/mixed/current"
mkdir -p "$T/other"; logline $((B+2)) 0 "other two" > "$T/other/current"
run "$BIN/svlogs" "$T/mixed" "$T/other"
is "$out" "2023-11-14 17:13:21.000  mixed  stamped one
                         mixed  plain after one
                         mixed  plain again
2023-11-14 17:13:22.000  other  other two
2023-11-14 17:13:23.000  mixed  stamped three" "unstamped lines: blank time, they stay after the line before them"
mkdir -p "$T/bad"; printf '@4000zzzz000000000000000 not hex\n@40000000 short\n' > "$T/bad/current"
run "$BIN/svlogs" "$T/bad"
is "$out" "                         bad  @4000zzzz000000000000000 not hex
                         bad  @40000000 short" "a malformed stamp is text"

# archives: current holds fewer than N lines
mkdir -p "$T/rot"
{ logline $((B+1)) 0 "old 1"; logline $((B+2)) 0 "old 2"; logline $((B+3)) 0 "old 3"; } > "$T/rot/$(tai $((B+3)) 1).s"
{ logline $((B+0)) 0 "older 0"; } > "$T/rot/$(tai $((B+0)) 1).s"
{ logline $((B+4)) 0 "new 4"; logline $((B+5)) 0 "new 5"; } > "$T/rot/current"
echo "not an archive" > "$T/rot/state"
run "$BIN/svlogs" -n 4 "$T/rot"
is "$(texts | tr '\n' ,)" "old 2,old 3,new 4,new 5," "-n 4: the newest archive supplies what current lacks"
run "$BIN/svlogs" -n 10 "$T/rot"
is "$(texts | tr '\n' ,)" "older 0,old 1,old 2,old 3,new 4,new 5," "older archives too, oldest first"

# a line being written (no newline yet) is not shown
mkdir -p "$T/partial"; { logline $B 0 "complete"; printf '%s half a li' "$(tai $((B+1)) 0)"; } > "$T/partial/current"
run "$BIN/svlogs" "$T/partial"
is "$(texts)" "complete" "a last line without its newline is not shown yet"

# a long line is shown in 64 KiB pieces
mkdir -p "$T/long"
{ printf '%s ' "$(tai $B 0)"; awk 'BEGIN { for (i = 0; i < 70000; i++) printf "x"; printf "\n" }'; } > "$T/long/current"
run "$BIN/svlogs" "$T/long"
is "$(printf '%s\n' "$out" | awk '{ print length($4) }' | tr '\n' ,)" "65536,4464," "a 70000-byte line: two pieces"

# which directory a DIR means, and the name shown
mkdir -p "$T/svc2/log/custom"
printf '#!/bin/sh\nexec setuidgid log multilog t s1000000 n10 ./custom\n' > "$T/svc2/log/run"
logline $B 0 "custom line" > "$T/svc2/log/custom/current"
run "$BIN/svlogs" "$T/svc2"
is "$(printf '%s\n' "$out" | cut -d' ' -f3-)" " svc2  custom line" "the one directory that log/run gives multilog"
mkdir -p "$T/svc3/log/a" "$T/svc3/log/b"
printf '#!/bin/sh\nexec multilog t ./a ./b\n' > "$T/svc3/log/run"
run "$BIN/svlogs" "$T/svc3"
is "$rc" 111 "log/run with two directories: no guess, exit 111"
like "svc3: neither log/main nor a single directory" "$err" "... and a warning naming it"
run "$BIN/svlogs" -n 1 "$S/web/log/main" "$S/db/log" "$S/worker/log/main/"
is "$(printf '%s\n' "$out" | awk '{ print $3 }' | tr '\n' ,)" "db,web,worker," "S/x/log/main, S/x/log (a log dir): named x"
(cd "$S/web/log/main" && "$BIN/svlogs" -n 1 .) > "$T/dot.out"
is "$(awk '{ print $3 }' "$T/dot.out")" "web" "'.' inside S/web/log/main: named web"
mkdir -p "$T/S/nolog"; printf '#!/bin/sh\n' > "$T/S/nolog/run"
run "$BIN/svlogs" -n 1 "$S/web" "$T/S/nolog" "$T/nonexistent" "$S/web/run"
is "$rc" 111 "a DIR without a log: exit 111"
is "$(texts)" "web three" "... the other DIRs are still shown"
like "skipped $T/S/nolog: neither a log directory (no regular file current) nor a service directory with a log/" "$err" "... warning for a service without log"
like "skipped $T/nonexistent: no such directory" "$err" "... warning for a missing DIR"
like "skipped $S/web/run: not a directory" "$err" "... warning for a file"
run "$BIN/svlogs" "$T/nonexistent"
is "$rc" 111 "no usable DIR at all: exit 111"
like "no log directory to show" "$err" "... with a message"
mkdir -p "$T/fresh/log/main"
run "$BIN/svlogs" "$T/fresh"
is "$rc.$out" "0." "a log/main without current yet: nothing, exit 0"

# usage
run "$BIN/svlogs"; is "$rc" 100 "no DIR: usage, 100"
run "$BIN/svlogs" -n x "$S/web"; is "$rc" 100 "-n not a number: 100"
like "invalid -n: x" "$err" "... message names it"
run "$BIN/svlogs" -n 1000001 "$S/web"; is "$rc" 100 "-n above 1000000: 100"
run "$BIN/svlogs" -z "$S/web"; is "$rc" 100 "unknown option: 100"

# 1,000 log directories
mkdir "$T/k"
i=0
while [ $i -lt 1000 ]; do
  mkdir "$T/k/s$i"
  # stamps in reverse order of the names: the merge must reorder them all
  logline $((B + 1000 - i)) 0 "from $i" > "$T/k/s$i/current"
  i=$((i+1))
done
run "$BIN/svlogs" "$T/k"/s*
is "$rc" 0 "1,000 DIRs: exit 0"
is "$(printf '%s\n' "$out" | wc -l | tr -d ' ')" 1000 "1,000 DIRs: 1,000 lines"
is "$(printf '%s\n' "$out" | awk '{ print $5 }' | sort -n -r -c && echo sorted)" "sorted" "1,000 DIRs: in time order"
is "$(printf '%s\n' "$out" | head -1 | awk '{ print $3, $4, $5 }')" "s999 from 999" "1,000 DIRs: each line with its DIR's name"

# hostile current: a FIFO (svlogs must not block opening it), a symlink to
# /dev/zero: skipped with a warning, with or without -f
mkdir -p "$T/hf" "$T/hz"; mkfifo "$T/hf/current"; ln -s /dev/zero "$T/hz/current"
for f in "" -f; do
  timeout 20 "$BIN/svlogs" $f "$T/hf" "$T/hz" > /dev/null 2> "$T/hostile.err"
  is "$?" 111 "current a FIFO or /dev/zero (svlogs $f): exit 111, no hang"
  is "$(grep -c 'no regular file current' "$T/hostile.err")" 2 "... one warning for each"
done
done_testing
