#!/bin/sh
# multilog against hostile input and a hostile log directory: it never
# stalls whatever the pipe buffers hold, no file outgrows s (lines are
# continued in the next file), TERM exits at once mid-line, pruning skips
# what it cannot remove, planted FIFOs and hard links make it exit 111
# instead of blocking, and any umask gives a usable log directory.
. "$(dirname "$0")/lib.sh"
. "$TESTS/faults-lib.sh"
M=$BIN/multilog
cd "$T" || bail "cd"

# rc_of PID: rc is its exit code once dead, "running" (and it is killed) if not
rc_of() { if dead "$1"; then wait "$1"; rc=$?; else kill -KILL "$1"; rc=running; fi; }
all() { cat "$1"/@* "$1"/current 2>/dev/null; }
# every regular file of DIR holds at most N bytes
maxsize() { for f in "$1"/@* "$1"/current; do [ -f "$f" ] || continue; [ "$(wc -c < "$f")" -le "$2" ] || return 1; done; }
# asleep PID: the process waits (in poll) rather than runs
asleep() { [ "$(awk '{ sub(/.*\) /, ""); print $1 }' "/proc/$1/stat" 2>/dev/null)" = S ]; }

# ---- 1. never a stall ------------------------------------------------------
# A producer that relays data with splice(2) in small pieces fills every
# slot of the pipe with a few bytes: tee(2) then never shows multilog a
# newline, nor enough bytes to stream the line.  It must read what is
# there and go on.
if have python3 && python3 -c 'import os; os.splice' 2>/dev/null; then
  cat > prod.py <<'EOF'
import os, sys
piece, linelen, n = (int(a) for a in sys.argv[1:4])
out = 1
def put(b):
    while b:
        b = b[os.write(out, b):]
put(b"A\n")
r, w = os.pipe()
line = (b"0123456789" * (linelen // 10 + 1))[:linelen]
while line:
    chunk, line = line[:60000], line[60000:]
    os.write(w, chunk)
    k = len(chunk)
    while k:
        k -= os.splice(r, out, min(piece, k))
put(b"\n")
put(b"".join(b"line %d\n" % i for i in range(1, n + 1)))
put(b"END\n")
EOF
  expect() { awk -v l="$1" -v n="$2" 'BEGIN { print "A"; s = ""; while (length(s) < l) s = s "0123456789"; print substr(s, 1, l); for (i = 1; i <= n; i++) print "line " i; print "END" }'; }
  for c in "1 200 20000" "1000 200000 2000"; do
    set -- $c
    d=sp$1; rm -f f; mkfifo f
    python3 prod.py "$@" > f & prod=$!; track $prod
    "$M" s16777215 "./$d" < f & ml=$!; track $ml
    wait_for 20000 dead $ml; ok $? "splices of $1 byte(s), a $2-byte line: multilog reaches the end of input"
    wait_for 5000 dead $prod
    expect "$2" "$3" | cmp -s - "$d/current"; ok $? "splices of $1 byte(s): every line logged once, intact"
    kill -KILL $prod $ml 2>/dev/null
  done
  # A piece of a line taken off the pipe that way is no longer in it: a
  # successor after a SIGKILL must keep it (current is marked 01644).
  cat > piece.py <<'EOF'
import os, time
r, w = os.pipe()
os.write(w, b"p" * 100)
for i in range(100):
    os.splice(r, 1, 1)
open("spliced", "w").close()
while not os.path.exists("go"):
    time.sleep(0.01)
os.write(1, b"rest\n")
EOF
  rm -f f; mkfifo f; exec 3<>f
  python3 piece.py > f & prod=$!; track $prod
  "$M" s16777215 ./pk < f & ml=$!; track $ml
  wait_for 10000 test -e spliced
  wait_for 5000 sh -c '[ "$(stat -c %a pk/current)" = 1644 ]'; ok $? "a piece of a line taken off the pipe: current marked 01644"
  kill -KILL $ml; wait_for 5000 dead $ml
  "$M" s16777215 ./pk < f & ml=$!; track $ml
  wait_for 5000 sh -c 'ls pk | grep -q "\.u$"'
  : > go
  wait_for 5000 grep -q rest pk/current
  kill -TERM $ml; wait_for 5000 dead $ml
  [ "$(cat pk/@*.u pk/current | tr -d '\n')" = "$(printf '%0100d' 0 | tr 0 p)rest" ]; ok $? "SIGKILL after that: the successor keeps the piece, nothing is lost"
  exec 3>&-
else
  skip "no python3 with os.splice"; skip "no python3 with os.splice"
  skip "no python3 with os.splice"; skip "no python3 with os.splice"
  skip "no python3 with os.splice"; skip "no python3 with os.splice"
fi


# ---- 2. no file outgrows s -------------------------------------------------
# 20 MB without a newline: files of at most 4096 bytes, at most n of them
head -c 20000000 /dev/zero | tr '\0' x > xs
head -c 2000000 xs | "$M" s4096 n3 ./x1; ok $? "2 MB without a newline: exit 0"
[ "$(ls x1 | grep -c '^@')" -le 2 ] && maxsize x1 4096; ok $? "s4096 n3: at most 2 archives + current, each <= 4096 bytes"
rm -f f; mkfifo f
cat xs > f & prod=$!; track $prod
"$M" s4096 n3 ./x2 < f; ok $? "20 MB without a newline (pipe): exit 0"
[ "$(ls x2 | grep -c '^@')" -le 2 ] && maxsize x2 4096; ok $? "pipe: at most 2 archives + current, each <= 4096 bytes"
is "$(all x2 | tail -c 1 | od -An -c | tr -d ' ')" '\n' "the line ends with the newline added at the end of input"
# nothing is lost: a line longer than s is continued in the next file
head -c 10000 xs > x10k; echo >> x10k
"$M" s4096 n10 ./x3 < x10k
all x3 | cmp -s - x10k; ok $? "a 10000-byte line is continued over three files, nothing lost"
is "$(wc -c < "$(ls x3/@* | head -n 1)")" 4096 "the first part fills its file to exactly s"
# a t stamp belongs to the line's first part only
printf 'short\n' > lst; cat x10k >> lst
"$M" t s4096 n10 ./x4 < lst
all x4 | sed -n 2p | cut -c1-27 | grep -q '^@[0-9a-f]\{24\} x$'; ok $? "t: the long line is stamped once"
is "$(all x4 | grep -c '^@[0-9a-f]\{24\} ')" 2 "t: continuations are not stamped"
maxsize x4 4096; ok $? "t: no file over s"
# S holds for any input
head -c 100000 xs | "$M" s4096 n100 S9000 ./x5
tot=$(cat x5/@* | wc -c)
[ "$tot" -le 9000 ]; ok $? "S9000 without a newline: archives total $tot <= 9000 bytes"
# R and ALRM rotate in the middle of a line that never ends
rm -f f; mkfifo f; exec 3<>f
"$M" R1 s16777215 ./r < f & ml=$!; track $ml
head -c 300000 xs >&3 & track $!
wait_for 10000 sh -c 'ls r | grep -q "^@"'; ok $? "R1: current rotated in the middle of an endless line"
kill -TERM $ml; wait_for 5000 dead $ml
is "$(all r | wc -c | tr -d ' ')" 300001 "R1: the line is whole over the two files, once"
exec 3>&-
rm -f f; mkfifo f; exec 3<>f
"$M" s16777215 ./al < f & ml=$!; track $ml
head -c 300000 xs >&3 & track $!
wait_for 10000 sh -c '[ $(wc -c < al/current) -ge 200000 ]'
wait_for 5000 asleep $ml
kill -ALRM $ml
wait_for 5000 sh -c 'ls al | grep -q "^@"'; ok $? "ALRM: current rotated in the middle of a line"
kill -TERM $ml; wait_for 5000 dead $ml
exec 3>&-

# ---- 3. TERM exits at once mid-line ----------------------------------------
# a producer stuck in the middle of a line: the partial line is written
# with a newline added, multilog exits at once
rm -f f; mkfifo f; exec 3<>f
"$M" ./tm < f & ml=$!; track $ml
printf 'whole\nstuck mid-li' >&3
wait_for 5000 grep -q '^whole$' tm/current
wait_for 5000 asleep $ml
kill -TERM $ml
wait_for 3000 dead $ml; ok $? "TERM, short partial line: exits at once"
rc_of $ml; is "$rc" 0 "TERM, short partial line: exit 0"
is "$(tail -n 1 tm/current)" "stuck mid-li" "TERM: the partial line is in current"
is "$(tail -c 1 tm/current | od -An -c | tr -d ' ')" '\n' "TERM: with a newline added"
# the same for a long line already partly written
"$M" s16777215 ./tl < f & ml=$!; track $ml
head -c 300000 xs >&3 & track $!
wait_for 10000 sh -c '[ $(wc -c < tl/current) -ge 100000 ]'
wait_for 5000 asleep $ml
kill -TERM $ml
wait_for 3000 dead $ml; ok $? "TERM in a long line whose end never comes: exits at once"
rc_of $ml
is "$(all tl | wc -c | tr -d ' ')" 300001 "TERM: the long line is logged with a newline added"
exec 3>&-

# ---- 4. pruning skips what it cannot remove ----------------------------------
mkdir pr pr/@0 pr/@1; : > pr/@1/keep
awk 'BEGIN { for (i = 1; i <= 20000; i++) printf "line %06d xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n", i }' > lines
"$M" s4096 n3 ./pr < lines 2> prerr; ok $? "unremovable @ entries: exit 0"
n=$(ls pr | grep -c '^@')
[ "$n" -le 4 ]; ok $? "unremovable @ entries: pruning goes on ($n @ entries, 2 of them directories)"
is "$(grep -c 'unable to remove' prerr)" 1 "one warning"
tail -n 1 pr/current | grep -q 'line 020000'; ok $? "the newest lines are kept"

# ---- 5. a FIFO or a hard link planted in the log directory -------------------
# exit 111 promptly with a message naming the file, never block
printf 'one line\n' > in1
for name in current lock state processed newstate previous; do
  mkdir "fi$name"
  case $name in newstate) : > "fi$name/processed" ;; esac
  mkfifo "fi$name/$name"
  "$M" '!cat' "./fi$name" < in1 2> err & ml=$!; track $ml
  wait_for 5000 dead $ml; ok $? "FIFO as $name: multilog does not block"
  rc_of $ml; is "$rc" 111 "FIFO as $name: exit 111"
  grep -q "fatal: unable to open \./fi$name/$name: not a regular file" err; ok $? "FIFO as $name: the message names it"
done
# (mode 0744, as a cleanly finished current, which multilog appends to)
mkdir hl; printf 'secret\n' > victim; chmod 744 victim; ln victim hl/current
"$M" ./hl < in1 2> err; is $? 111 "hard link as current: exit 111"
grep -q 'fatal: unable to open \./hl/current: .*link' err; ok $? "hard link as current: the message says why"
is "$(stat -c %a victim)/$(cat victim)" "744/secret" "hard link as current: the other file is left alone"
# a = file: a FIFO planted as the file or as file.new
mkfifo sf sg.new
"$M" =sf < in1 2> err & ml=$!; track $ml
wait_for 5000 dead $ml; ok $? "FIFO as a = file: multilog does not block"
rc_of $ml; is "$rc" 111 "FIFO as a = file: exit 111"
"$M" =sg < in1 & ml=$!; track $ml
wait_for 5000 dead $ml; ok $? "FIFO as a = file's .new: multilog does not block"
rc_of $ml; is "$rc/$(head -n 1 sg)" "0/one line" "FIFO as a = file's .new: replaced, the status written"

# ---- 6. any umask -----------------------------------------------------------
if nobody_ok; then
  # $BIN, not $M: nobody_ok may have pointed BIN at a copy nobody can run
  mkdir um; chown nobody um
  printf 'first\n' | as_nobody sh -c 'umask 0777; cd um && exec "$0" ./d' "$BIN/multilog"; is $? 0 "umask 0777: first run"
  printf 'second\n' | as_nobody sh -c 'umask 0777; cd um && exec "$0" ./d' "$BIN/multilog"; is $? 0 "umask 0777: next run"
  is "$(cat um/d/current 2>/dev/null | tr '\n' ' ')" "first second " "umask 0777: both runs logged"
  is "$(stat -c %a um/d)" 700 "umask 0777: the directory is 0700"
else
  skip "needs root and setpriv"; skip "needs root and setpriv"
  skip "needs root and setpriv"; skip "needs root and setpriv"
fi

done_testing
