#!/bin/sh
# multilog: rotation (size, n, S, R, ALRM), processor, .u recovery, lock,
# TERM and EOF.
. "$(dirname "$0")/lib.sh"
M=$BIN/multilog
cd "$T" || bail "cd"

lines() { awk -v n="$1" -v w="$2" 'BEGIN { for (i = 1; i <= n; i++) { s = sprintf("%06d ", i); while (length(s) < w) s = s "x"; print s } }'; }
archives() { ls "$1" | grep -c '^@[0-9a-f]\{24\}\.[su]$'; }
all() { cat "$1"/@* "$1"/current 2>/dev/null; }
# start multilog in the background reading the fifo f1 (lib.sh's spawn would
# give an asynchronous command /dev/null as stdin)
ml_bg() { "$M" "$@" < f1 & ml=$!; track $ml; }

# size: s4096, 100 lines of 100 bytes
lines 100 99 > in1
"$M" s4096 ./s < in1; ok $? "s4096: exit 0"
[ "$(archives s)" -ge 2 ]; ok $? "s4096: rotated at least twice"
big=0; for f in s/@*; do [ "$(wc -c < "$f")" -le 4096 ] || big=1; [ "$(tail -c 1 "$f" | od -An -c | tr -d ' ')" = '\n' ] || big=1; done
ok $big "archives hold at most 4096 bytes and end at a line boundary"
all s | cmp -s - in1; ok $? "s4096: every line once, in order"
mode=0; for f in s/@*.s; do [ "$(stat -c %a "$f")" = 744 ] || mode=1; done
ok $mode "finished archives are mode 0744"

# n: at most n-1 archives besides current, the oldest removed
lines 300 99 > in2
"$M" s4096 n3 ./n < in2
is "$(archives n)" 2 "n3: two archives plus current"
all n | tail -n 1 | cmp -s - "$(tail -n 1 in2 > last2; echo last2)"; ok $? "n3: the newest lines are kept"

# S: total size of the archives
"$M" s4096 n100 S9000 ./S < in2
tot=$(cat S/@* | wc -c)
[ "$tot" -le 9000 ] && [ "$(archives S)" -ge 2 ]; ok $? "S9000: archives total $tot <= 9000 bytes"

# ALRM rotates a non-empty current; R rotates by age
mkfifo f1; exec 3<>f1
ml_bg t ./a
printf 'before alarm\n' >&3
wait_for 5000 grep -q 'before alarm' a/current; ok $? "line written while running"
kill -ALRM $ml
wait_for 5000 sh -c 'grep -l "before alarm" a/@*.s'; ok $? "ALRM: current rotated to an .s archive"
[ ! -s a/current ]; ok $? "ALRM: new current is empty"
# the archive is renamed before the new current is created
mode_is() { [ "$(stat -c %a "$1" 2>/dev/null)" = "$2" ]; }
wait_for 5000 mode_is a/current 644; ok $? "running: current is 0644"
kill -ALRM $ml; printf 'after\n' >&3
wait_for 5000 grep -q after a/current
is "$(archives a)" 1 "ALRM on an empty current does nothing"

# TERM with a partial line alone in the pipe: it is written with a newline
# added, and multilog exits at once (a producer stuck in the middle of a
# line must not hold up a stop)
printf 'partial' >&3
kill -TERM $ml
wait_for 5000 dead $ml; ok $? "TERM: exits"
wait $ml; is $? 0 "TERM: exit code 0"
is "$(stat -c %a a/current)" 744 "TERM: current marked finished (0744)"
is "$(tail -n 1 a/current | cut -d' ' -f2-)" partial "TERM: the partial line was written, with a newline added"
ml_bg t ./a
printf 'line\n' >&3
wait_for 5000 grep -q '^@[0-9a-f]* line$' a/current; ok $? "the next multilog goes on with the next line"
[ "$(archives a)" = 1 ]; ok $? "a finished (0744) current is continued, not archived"

# TERM in the middle of a long line whose end has not come: what came is
# written, with a newline added; what follows stays in the pipe
awk 'BEGIN { s = "0123456789"; while (length(s) < 200000) s = s s; printf "%s", substr(s, 1, 200000) }' >&3
wait_for 5000 sh -c '[ $(cat a/@* a/current | wc -c) -gt 100000 ]'; ok $? "long line streamed before its end"
asleep() { [ "$(awk '{ sub(/.*\) /, ""); print $1 }' "/proc/$1/stat" 2>/dev/null)" = S ]; }
wait_for 5000 asleep $ml
kill -TERM $ml
wait_for 5000 dead $ml; ok $? "TERM mid-line: exits without waiting for the end of the line"
is "$(all a | tail -n 1 | wc -c | tr -d ' ')" 200027 "TERM mid-line: the line, stamped once, with a newline added"
printf 'END\nnext\n' >&3

# TERM with a file on stdin: stdin is left at the first unprocessed byte
awk 'BEGIN { for (i = 1; i <= 1000000; i++) print "line " i }' > tin
exec 5< tin
"$M" s16777215 n100 ./tf <&5 & tp=$!; track $tp
wait_for 5000 test -s tf/current
kill -TERM $tp 2>/dev/null; wait $tp; is $? 0 "TERM with a file: exit 0"
next=$(head -n 1 <&5 | cut -d' ' -f2); exec 5<&-
last=$(cat tf/@* tf/current 2>/dev/null | tail -n 1 | cut -d' ' -f2)
[ "${next:-1000001}" = $((last + 1)) ]; ok $? "TERM with a file: input left just after the last logged line ($last, $next)"

# R: rotate when current is older than N seconds
ml_bg R1 ./r
wait_for 5000 grep -q '^next$' r/current; ok $? "next line read by the next multilog"
is "$(head -n 1 r/current)" END "what followed the TERM stayed in the pipe"
printf 'aging\n' >&3
wait_for 5000 sh -c 'cat r/@*.s 2>/dev/null | grep -q aging'; ok $? "R1: current rotated after 1 second"
kill -TERM $ml; wait_for 5000 dead $ml

# lock: a second multilog on the same directory exits 111 naming it
ml_bg ./lk
wait_for 5000 test -f lk/current
"$M" ./lk < /dev/null 2> lkerr; is $? 111 "lock held: exit 111"
grep -q 'multilog: fatal: .*\./lk' lkerr; ok $? "lock held: message names the directory"

# .u after SIGKILL: the unfinished current becomes @....u at the next start
printf 'killed here\n' >&3
wait_for 5000 grep -q 'killed here' lk/current
kill -KILL $ml; wait_for 5000 dead $ml
ml_bg ./lk
wait_for 5000 sh -c 'ls lk | grep -q "^@.*\.u$"'; ok $? "SIGKILL: current became .u at the next start"
grep -q 'killed here' lk/@*.u; ok $? ".u holds the interrupted current"
[ ! -s lk/current ]; ok $? "new current is empty"
kill -TERM $ml; wait_for 5000 dead $ml

# processor: success, state passed from fd 5 to fd 4
lines 120 99 > in3
"$M" s4096 '!sed "s/^/P:/"; c=$(cat <&4); echo $((c+1)) >&5' ./p < in3; ok $? "processor: exit 0"
k=$(archives p)
[ "$k" -ge 2 ]; ok $? "processor: $k processed archives"
is "$(cat p/state)" "$k" "processor: state saved on fd 5, read back on fd 4"
cat p/@*.s | sed 's/^P://' > p.out; head -n $(wc -l < p.out) in3 | cmp -s - p.out; ok $? "processor output saved as the archives"
[ ! -e p/previous ] && [ ! -e p/processed ] && [ ! -e p/newstate ]; ok $? "no previous/processed/newstate left"

# processor failure: retried until it succeeds
: > failflag
lines 60 99 > in4
"$M" s4096 "!if [ -e $T/failflag ]; then rm $T/failflag; exit 3; fi; cat" ./pf < in4 2> pferr; ok $? "failing processor: exit 0 eventually"
grep -q 'processor failed (exit code 3)' pferr; ok $? "processor failure reported"
all pf | cmp -s - in4; ok $? "failing processor: retried, no line lost"

# a cut-short last line in an interrupted current is dropped (it is still
# in the pipe); complete lines are kept in the .u
mkdir cs; printf 'one\ntwo\nthr' > cs/current; chmod 644 cs/current
printf 'three\n' | "$M" ./cs
is "$(cat cs/@*.u)" "$(printf 'one\ntwo')" ".u keeps whole lines, drops the cut-short piece"
mkdir cs2; printf 'only a piece' > cs2/current; chmod 644 cs2/current
printf 'new\n' | "$M" ./cs2
is "$(ls cs2 | grep -c '^@')/$(cat cs2/current)" "0/new" "a current holding only a piece leaves no .u"

# startup recovery of an interrupted processor
mkdir rec; printf 'raw\n' > rec/previous; printf 'half' > rec/processed; printf 'S\n' > rec/state
printf 'new\n' | "$M" '!cat' ./rec
grep -lq '^raw$' rec/@*.u; ok $? "previous left by a crash becomes .u"
[ ! -e rec/processed ] && [ ! -e rec/previous ]; ok $? "partial processed removed"
mkdir rec2; printf 'done\n' > rec2/processed; printf '7\n' > rec2/newstate
printf 'new\n' | "$M" '!cat' ./rec2
grep -lq '^done$' rec2/@*.s; ok $? "complete processed (previous gone) becomes .s"
is "$(cat rec2/state)" 7 "newstate renamed to state"

done_testing
