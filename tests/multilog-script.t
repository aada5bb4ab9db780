#!/bin/sh
# multilog: the script language, action by action, and compatibility with
# daemontools' multilog on the same script and input (stamps aside).
. "$(dirname "$0")/lib.sh"
M=$BIN/multilog
cd "$T" || bail "cd"

# strip the 26-byte TAI64N stamp ("@" + 24 hex + space) from every line
unstamp() { sed 's/^@[0-9a-f]\{24\} //' "$@"; }

# t: stamp format
printf 'one\ntwo\n' | "$M" t ./t1; ok $? "t: exit 0 at EOF"
n=$(grep -c '^@[0-9a-f]\{24\} \(one\|two\)$' t1/current)
is "$n" 2 "t: every line gets @ + 24 hex digits + space"
# the label is daemontools' (2^62+10+unix): compare with date
lbl=$(head -c 17 t1/current | cut -c2-)
secs=$(( 0x$lbl - 0x400000000000000a ))
now=$(date +%s)
[ $((now - secs)) -ge 0 ] && [ $((now - secs)) -lt 60 ]; ok $? "t: label is TAI64N without leap seconds"

# T: ISO 8601 UTC with nanoseconds
printf 'iso\n' | "$M" T ./t2
grep -q '^[0-9]\{4\}-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]\.[0-9]\{9\}Z iso$' t2/current
ok $? "T: ISO 8601 stamp with nanoseconds"
y=$(cut -c1-10 t2/current); is "$y" "$(date -u +%Y-%m-%d)" "T: stamp is today's UTC date"

# no stamp: lines verbatim, final partial line gets a newline
printf 'a\nb\nno newline' | "$M" ./plain
is "$(cat plain/current)" "$(printf 'a\nb\nno newline')" "plain: lines verbatim"
is "$(tail -c 1 plain/current | od -An -c | tr -d ' ')" '\n' "EOF: newline added to the partial last line"

# +/- patterns, daemontools star semantics
printf 'hello\nhello world\nnamed[135]: Cleaned cache of 3121 RRs\nfoo]bar\nerror: x\n' > pin
"$M" '-named[*]: Cleaned cache *' ./p1 < pin
is "$(cat p1/current)" "$(printf 'hello\nhello world\nfoo]bar\nerror: x')" "-pattern: star stops at the next pattern char"
"$M" '-*' '+hello' ./p2 < pin
is "$(cat p2/current)" "hello" "+hello selects hello, not hello world"
"$M" '-*' '+*: *' ./p3 < pin
is "$(cat p3/current)" "$(printf 'named[135]: Cleaned cache of 3121 RRs\nerror: x')" "+*: * selects lines with ': '"
"$M" t '-*' '+* error: *' ./p4 < pin
is "$(unstamp p4/current)" "error: x" "patterns see the stamp (first star matches it)"
"$M" '-*' '+hello*' ./p5 < pin
is "$(cat p5/current)" "$(printf 'hello\nhello world')" "trailing star matches anything"

# e: selected lines to stderr, first 200 bytes then ...
awk 'BEGIN { s = ""; for (i = 0; i < 201; i++) s = s "y"; print s; print substr(s, 1, 200); print "short" }' > ein
"$M" e < ein 2> eout; ok $? "e: exit 0"
is "$(awk '{ print length($0) }' eout | tr '\n' ' ')" "203 200 5 " "e: lines over 200 bytes shortened to 200 + ..."
"$M" '-*' '+short' e < ein 2> eout2
is "$(cat eout2)" "short" "e: only selected lines"

# =file: last selected line, first 1000 bytes, padded with newlines to 1001
printf 'STAT 1\nother\nSTAT 2\nmore\n' | "$M" '-*' '+STAT*' '=st' '+*' ./sd
is "$(wc -c < st | tr -d ' ')" 1001 "=file: 1001 bytes"
is "$(head -n 1 st)" "STAT 2" "=file: holds the last selected line"
is "$(tr -d '\n' < st)" "STAT 2" "=file: padded with newlines"
is "$(wc -l < sd/current | tr -d ' ')" 4 "a later + reselects for the directory"
: > stempty
printf 'x\n' | "$M" '-*' '=stempty'
is "$(wc -c < stempty | tr -d ' ')" 0 "=file: untouched when no line is selected"

# several directories, selection per directory
printf 'a1\nb1\na2\n' | "$M" ./all '-b*' ./nob '-*' '+b*' ./onlyb
is "$(cat all/current | tr '\n' ' ')" "a1 b1 a2 " "first dir gets every line"
is "$(cat nob/current | tr '\n' ' ')" "a1 a2 " "second dir without b lines"
is "$(cat onlyb/current | tr '\n' ' ')" "b1 " "third dir only b lines"

# files and modes (daemontools conventions)
is "$(stat -c %a t1)" 700 "log directory created mode 0700"
is "$(stat -c %a t1/current)" 744 "current is 0744 after EOF (finished)"
is "$(stat -c %a t1/lock)" 600 "lock is 0600"
[ -f t1/state ]; ok $? "state file exists"

# unknown or malformed directive: exit 100 before reading input, naming it
printf 'keep\n' > kin
for bad in bogus tx ex s12x n s '=' 'R-1' x 'Sfoo' ; do
  { "$M" t "$bad" ./never 2> err; rc=$?; rest=$(cat); } < kin
  is "$rc/$rest" "100/keep" "malformed '$bad': exit 100, input untouched"
done
grep -q 'multilog: fatal: .*Sfoo' err; ok $? "diagnostic names the argument"
[ ! -e never ]; ok $? "no directory created for a bad script"
{ "$M" ./ok1 e t 2>/dev/null; rc=$?; } < kin
is "$rc" 100 "t not first: exit 100"
printf 'x\n' | "$M" s100 n1 ./clamp; ok $? "s and n below the minimum are clamped (as daemontools)"

# compatibility with daemontools' multilog
if [ -x /usr/bin/multilog ]; then
  awk 'BEGIN {
    for (i = 1; i <= 3000; i++) {
      if (i % 7 == 0) print "named[" i "]: Cleaned cache of " i " RRs";
      else if (i % 11 == 0) print "STAT load " i;
      else if (i % 13 == 0) print "fatal: error " i " occurred";
      else if (i % 17 == 0) { s = "long" i ":"; while (length(s) < 1500) s = s "0123456789"; print s }
      else print "info line " i " with some text * and [brackets]";
    }
    printf "partial last line";
  }' > cin
  for script in "t ./c" "t -named[*]:* e =cst ./c" "t -* +*STAT* =cst ./c -*fatal* +*line* ./c2" \
                "s4096 n1000 ./c" "-*long* e ./c" "+* -*:* ./c ./c3"; do
    rm -rf c c2 c3 cst; mkdir o d
    # shellcheck disable=SC2086
    (cd o && "$M" $script < ../cin 2> ../err.o)
    # shellcheck disable=SC2086
    (cd d && /usr/bin/multilog $script < ../cin 2> ../err.d)
    same=0
    for x in c c2 c3; do
      [ -d d/$x ] || continue
      cat o/$x/@* o/$x/current 2>/dev/null | unstamp > out.o
      cat d/$x/@* d/$x/current 2>/dev/null | unstamp > out.d
      [ -s out.d ] && cmp -s out.o out.d || { same=1; diag "$x differs for: $script"; }
    done
    unstamp err.o > e.o; unstamp err.d > e.d
    cmp -s e.o e.d || { same=1; diag "stderr differs for: $script"; }
    if [ -f d/cst ]; then
      tail -c +27 o/cst > s.o; tail -c +27 d/cst > s.d
      cmp -s s.o s.d || { same=1; diag "=file differs for: $script"; }
    fi
    ok $same "same output as daemontools multilog: $script"
    rm -rf o d
  done
  # pattern corner cases, one by one
  printf '%s\n' 'a' 'ab' 'abc' 'a*b' '**' '' 'x:y:z' 'named[1]: x' '[]' 'aXbXc' 'a b c' '*' 'abcabc' > pats
  fails=0
  for pat in '' '*' '**' 'a' 'a*' '*c' 'a*c' '*b*' 'a**' '*:*' '*:' '[*]*' '*]' 'a*b*c' '*X*X*' '* *' 'abc*abc' '\*'; do
    rm -rf po pd
    "$M" '-*' "+$pat" ./po < pats; /usr/bin/multilog '-*' "+$pat" ./pd < pats
    cmp -s po/current pd/current || { fails=$((fails + 1)); diag "pattern '$pat' differs"; }
    rm -rf po pd
    "$M" "-$pat" ./po < pats; /usr/bin/multilog "-$pat" ./pd < pats
    cmp -s po/current pd/current || { fails=$((fails + 1)); diag "pattern -'$pat' differs"; }
  done
  is "$fails" 0 "18 patterns select and deselect as daemontools' multilog"
else
  skip "daemontools multilog not installed"
fi

done_testing
