#!/bin/sh
# tai64n and tai64nlocal: an output error is reported, not a silent exit.
. "$(dirname "$0")/lib.sh"
[ -w /dev/full ] || skip_all "no /dev/full"
printf 'x\n' | "$BIN/tai64n" > /dev/full 2> "$T/e1"
is "$?" 111 "tai64n: write error exits 111"
grep -q '^tai64n: fatal: unable to write to stdout: ' "$T/e1"; ok $? "tai64n: the message names stdout and the reason"
printf '@400000006553f10a075bcd15 x\n' | "$BIN/tai64nlocal" > /dev/full 2> "$T/e2"
is "$?" 111 "tai64nlocal: write error exits 111"
grep -q '^tai64nlocal: fatal: unable to write to stdout: ' "$T/e2"; ok $? "tai64nlocal: the message names stdout and the reason"
"$BIN/tai64n" < "$T" > /dev/null 2> "$T/e3"
is "$?" 111 "tai64n: a directory on stdin (read error) exits 111"
grep -q '^tai64n: fatal: unable to read stdin: ' "$T/e3"; ok $? "tai64n: the read error is named"
done_testing
