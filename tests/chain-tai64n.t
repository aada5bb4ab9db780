#!/bin/sh
# tai64n and tai64nlocal: labels, streaming, daemontools compatibility.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/chain-lib.sh"

label_re='^@[0-9a-f]\{24\} '
# strip: replace each leading label by "@L"
strip() { sed 's/^@[0-9a-f]\{24\} /@L /'; }

# ---- tai64n ----------------------------------------------------------------
before=$(date +%s)
printf 'one\n\ntwo  words\n' > "$T/in"
run sh -c '"$0" < "$1"' "$BIN/tai64n" "$T/in"
after=$(date +%s)
is "$rc" 0 "tai64n exits 0 at end of input"
is "$(printf '%s\n' "$out" | grep -c "$label_re")" 3 "every line gets '@' + 24 hex digits + space"
is "$(printf '%s\n' "$out" | strip)" "@L one
@L 
@L two  words" "lines are copied unchanged after the label"
lab=$(printf '%s\n' "$out" | head -1 | cut -c2-17)
secs=$(( 0x$lab - 0x400000000000000A ))
test "$secs" -ge "$before" && test "$secs" -le "$after"; ok $? "label = 2^62 + 10 + unix time ($secs in [$before, $after])"
is "$(printf '%s\n' "$out" | cut -c1-25 | sort -u | wc -l | tr -d ' ')" 1 "lines read in one batch share one clock reading"

run sh -c 'printf "a\npartial" | "$0"' "$BIN/tai64n"
is "$(printf '%s' "$out" | strip)" "@L a
@L partial" "a partial last line is stamped and passed through"
is "$(sh -c 'printf "a\npartial" | "$0"' "$BIN/tai64n" | tail -c 7)" "partial" "no newline is added to a partial last line"
if have_dt tai64n; then
  a=$(printf 'x\n\nlast' | "$DT/tai64n" | strip | od -c)
  b=$(printf 'x\n\nlast' | "$BIN/tai64n" | strip | od -c)
  is "$b" "$a" "same output as daemontools tai64n (labels aside)"
else skip "no daemontools tai64n"; fi
run sh -c '"$0" < /dev/null' "$BIN/tai64n"; is "$out" "" "empty input, empty output"
awk 'BEGIN { for (i = 0; i < 300000; i++) printf "z"; printf "\n" }' > "$T/long"
run sh -c '"$0" < "$1"' "$BIN/tai64n" "$T/long"
is "$(printf '%s\n' "$out" | strip | wc -c | tr -d ' ')" 300004 "a 300000-byte line is stamped once and copied whole"
run sh -c 'echo x | "$0" > /dev/full' "$BIN/tai64n"; is "$rc" 111 "write error: 111"
same_as_dt "write error" tai64n sh -c 'echo x | "$0" > /dev/full' @P
run sh -c '"$0" <&-' "$BIN/tai64n"; is "$rc" 111 "read error: 111"

# stamped on arrival, output not held back until EOF
mkfifo "$T/feed"
spawn sh -c '"$0" < "$1" > "$2"' "$BIN/tai64n" "$T/feed" "$T/stamped"
exec 7<>"$T/feed"
echo first >&7
wait_for 5000 grep -q first "$T/stamped"; ok $? "a line is written out as soon as it arrives"
echo second >&7
wait_for 5000 grep -q second "$T/stamped"; ok $? "the next one too"
exec 7>&-
l1=$(sed -n 1p "$T/stamped" | cut -c1-25); l2=$(sed -n 2p "$T/stamped" | cut -c1-25)
test "$l1" \< "$l2"; ok $? "a later line has a later label ($l1 < $l2)"

# ---- tai64nlocal -----------------------------------------------------------
lab() { printf '@%016x%08x' $((0x400000000000000A + $1)) "$2"; }
run sh -c 'echo "$1 x" | TZ=UTC "$0"' "$BIN/tai64nlocal" "$(lab 1700000000 123456789)"
is "$out" "2023-11-14 22:13:20.123456789 x" "label to UTC time, 9-digit nanoseconds"
run sh -c 'echo "$1" | TZ=UTC "$0"' "$BIN/tai64nlocal" "$(lab 0 5)"
is "$out" "1970-01-01 00:00:00.000000005" "the epoch, a label alone on its line"
run sh -c 'echo "$1 x" | TZ=Asia/Kolkata "$0"' "$BIN/tai64nlocal" "$(lab 1700000000 0)"
is "$out" "2023-11-15 03:43:20.000000000 x" "local time follows TZ"

{
  for t in 0 -1 -31536000 1000000000 1234567890 1700000000 2147483647 2147483648 1710054000 1710057600 1711846800 1730595600 1743901200 1759593600 1800000000; do
    for ns in 0 1 999999999 123456789; do printf '%s line %s\n' "$(lab "$t" "$ns")" "$t"; done
  done
  printf '%sno-space\n' "$(lab 1700000000 42)"
  printf '%s\n' "$(lab 1700000000 43)"
  printf 'plain text\n\n  indented @400000006553f10a075bcd15 inside\n @400000006553f10a075bcd15 not at start\n'
  printf 'tab\there\n'
  printf '%s partial last line' "$(lab 1600000000 7)"
} > "$T/labels"
if have_dt tai64nlocal; then
  for z in UTC America/New_York Europe/Berlin Asia/Kolkata Australia/Lord_Howe Pacific/Chatham right/UTC; do
    if [ ! -e "/usr/share/zoneinfo/$z" ]; then skip "no zone $z"; continue; fi
    a=$(TZ=$z "$DT/tai64nlocal" < "$T/labels" | od -c)
    b=$(TZ=$z "$BIN/tai64nlocal" < "$T/labels" | od -c)
    is "$b" "$a" "same output as daemontools tai64nlocal, TZ=$z"
  done
  printf 'a\nb\n' | "$BIN/tai64n" > "$T/ours"
  a=$(TZ=Europe/Berlin "$DT/tai64nlocal" < "$T/ours")
  b=$(TZ=Europe/Berlin "$BIN/tai64nlocal" < "$T/ours")
  is "$b" "$a" "svkit tai64n labels read the same by both tai64nlocal"
  printf 'a\nb\n' | "$DT/tai64n" > "$T/theirs"
  a=$(TZ=UTC "$BIN/tai64nlocal" < "$T/theirs")
  b=$(TZ=UTC "$DT/tai64nlocal" < "$T/theirs")
  is "$a" "$b" "daemontools tai64n labels read the same by both tai64nlocal"
else
  skip "no daemontools tai64nlocal"
fi

# text that is not a label passes through unchanged (daemontools crashes
# on some of these; svkit copies them)
printf '@zz bad\n@4000 short\n@\n@ffffffffffffffffffffffff huge\nplain\n@4000' > "$T/junk"
run sh -c 'TZ=UTC "$0" < "$1"' "$BIN/tai64nlocal" "$T/junk"
is "$out" "$(cat "$T/junk")" "malformed labels and plain text pass through unchanged"
run sh -c 'echo "$1 upper" | TZ=UTC "$0"' "$BIN/tai64nlocal" "$(lab 1700000000 123456789 | tr a-f A-F)"
is "$out" "2023-11-14 22:13:20.123456789 upper" "upper-case hex labels are read too"
{ lab 1700000000 0; awk 'BEGIN { printf " "; for (i = 0; i < 300000; i++) printf "q"; printf "\n" }'; } > "$T/longl"
run sh -c 'TZ=UTC "$0" < "$1"' "$BIN/tai64nlocal" "$T/longl"
is "$(printf '%s\n' "$out" | wc -c | tr -d ' ')" 300031 "no line-length limit"
run sh -c 'printf "%s" "$1" | TZ=UTC "$0"' "$BIN/tai64nlocal" "$(lab 1700000000 0)"
is "$out" "2023-11-14 22:13:20.000000000" "a label at end of input without newline is converted"

mkfifo "$T/feed2"
spawn sh -c 'TZ=UTC "$0" < "$1" > "$2"' "$BIN/tai64nlocal" "$T/feed2" "$T/local"
exec 7<>"$T/feed2"
printf '%s streamed\n' "$(lab 1700000000 0)" >&7
wait_for 5000 grep -q '^2023-11-14 22:13:20.000000000 streamed$' "$T/local"; ok $? "tai64nlocal streams: a line is out before end of input"
exec 7>&-
run sh -c 'echo x | "$0" > /dev/full' "$BIN/tai64nlocal"; is "$rc" 111 "write error: 111"

# stdin made non-blocking by someone else (the flag is shared by every holder
# of the pipe): the filters wait for input instead of failing on EAGAIN.
# The writer pauses first so that the filter meets an empty pipe.
nbfeed() {
  python3 -c '
import os, subprocess, fcntl, sys, time
r, w = os.pipe()
fcntl.fcntl(r, fcntl.F_SETFL, fcntl.fcntl(r, fcntl.F_GETFL) | os.O_NONBLOCK)
p = subprocess.Popen(sys.argv[1:], stdin=r, stdout=subprocess.PIPE)
os.close(r)
time.sleep(0.2)
os.write(w, b"@400000006553f10a075bcd15 nb\n")
os.close(w)
out = p.communicate()[0]
sys.stdout.write(out.decode())
sys.exit(p.returncode)' "$@"
}
if have python3; then
  run nbfeed "$BIN/tai64n"
  is "$rc $(printf '%s' "$out" | strip)" "0 @L @400000006553f10a075bcd15 nb" "tai64n: non-blocking stdin is waited on"
  run nbfeed env TZ=UTC "$BIN/tai64nlocal"
  is "$rc $out" "0 2023-11-14 22:13:20.123456789 nb" "tai64nlocal: non-blocking stdin is waited on"
else skip "no python3"; skip "no python3"; fi

# stdout made non-blocking by someone else: the filters wait until the pipe
# takes more instead of failing on EAGAIN.  2 MB through a 64 kB pipe whose
# reader starts late: the writer finds it full many times.
nbdrain() {
  python3 -c '
import os, subprocess, fcntl, sys, time
r, w = os.pipe()
fcntl.fcntl(w, fcntl.F_SETFL, fcntl.fcntl(w, fcntl.F_GETFL) | os.O_NONBLOCK)
data = b"".join(b"@400000006553f10a075bcd15 line %06d\n" % i for i in range(50000))
f = sys.argv[1]
open(f, "wb").write(data)
p = subprocess.Popen(sys.argv[2:], stdin=open(f, "rb"), stdout=w)
os.close(w)
time.sleep(0.2)
out = b""
while True:
    b = os.read(r, 65536)
    if not b:
        break
    out += b
rc = p.wait()
lines = out.split(b"\n")
print(rc, len(lines) - 1, lines[-2].split(b" ")[-1].decode(), out.count(b"line"))' "$@"
}
if have python3; then
  run nbdrain "$T/nbdata" "$BIN/tai64n"
  is "$out" "0 50000 049999 50000" "tai64n: non-blocking stdout is waited on, nothing lost"
  run nbdrain "$T/nbdata" env TZ=UTC "$BIN/tai64nlocal"
  is "$out" "0 50000 049999 50000" "tai64nlocal: non-blocking stdout is waited on, nothing lost"
else skip "no python3"; skip "no python3"; fi
done_testing
