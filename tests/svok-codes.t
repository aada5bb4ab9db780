#!/bin/sh
# svok: 0 if a supervise runs on DIR, 100 if not, 111 on other errors, 100 usage.
. "$(dirname "$0")/lib.sh"
. "$TESTS/svc-lib.sh"
plan 8

"$BIN/svok" "$T/nonexistent"; is $? 100 "no such directory: 100"
mkdir -p "$T/a"
"$BIN/svok" "$T/a"; is $? 100 "no supervise/: 100"
mkdir -p "$T/a/supervise" && mkfifo "$T/a/supervise/ok"
"$BIN/svok" "$T/a"; is $? 100 "supervise/ok without reader (ENXIO): 100"
fake_sup "$T/a"; ok $? "a reader holds supervise/ok"
"$BIN/svok" "$T/a"; is $? 0 "supervise/ok has a reader: 0"
: > "$T/file"
"$BIN/svok" "$T/file" 2>"$T/err"; is $? 111 "DIR is a file (ENOTDIR): 111"
grep -q '^svok: fatal: unable to open .*/file/supervise/ok: ' "$T/err"; ok $? "and says what failed"
"$BIN/svok" 2>/dev/null; is $? 100 "usage: 100"
