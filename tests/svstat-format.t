#!/bin/sh
# svstat output on status files written by the test: daemontools line,
# svkit additions, -o fields, -j JSON lines, and the errors.
. "$(dirname "$0")/lib.sh"
. "$TESTS/svc-lib.sh"
plan 27

now=$(date +%s)
S=$T/s
mk() { mkdir -p "$S/$1"; fake_sup "$S/$1" || bail "fake supervise for $1"; }

# svkit: up, ready, normally down (flags READY).
mk up; touch "$S/up/down"
write_xstatus "$S/up/supervise/xstatus" 1 u 4 $((now-50)) $((now-40)) 123 0 0 1
is "$("$BIN/svstat" "$S/up" | secs)" "$S/up: up (pid 123) N seconds, normally down, ready N seconds" "up, normally down, ready"
"$BIN/svstat" "$S/up" | grep -Eq ' 5[0-9] seconds, normally down, ready 4[0-9] seconds$'; ok $? "seconds since the change and since ready"
is "$("$BIN/svstat" -o up,pid,ready,normallyup,wantedup,state,starts,source "$S/up")" "true 123 true false true run 1 svkit" "-o up,pid,ready,normallyup,wantedup,state,starts,source"

# svkit: down, want up, last exit code 3 (EXITED).
mk ex
write_xstatus "$S/ex/supervise/xstatus" 0 u 128 $((now-5)) 0 0 3 0 7
is "$("$BIN/svstat" "$S/ex" | secs)" "$S/ex: down N seconds, normally up, want up, exitcode 3" "down, want up, exitcode"
is "$("$BIN/svstat" -o up,pid,exitcode,signal,signum,ready,readyfor,readysince "$S/ex")" "false -1 3 NA -1 false -1 NA" "-o exit fields, not applicable values"

# svkit: killed by a signal, want down, normally down.
mk sig; touch "$S/sig/down"
write_xstatus "$S/sig/supervise/xstatus" 0 d 128 $((now-5)) 0 0 -1 9 2
is "$("$BIN/svstat" "$S/sig" | secs)" "$S/sig: down N seconds, signal SIGKILL" "down, signal"
is "$("$BIN/svstat" -o exitcode,signal,signum,wantedup "$S/sig")" "-1 SIGKILL 9 false" "-o signal fields"

# svkit: up, paused, want down, want exit (PAUSED|EXIT).
mk px
write_xstatus "$S/px/supervise/xstatus" 1 d 17 $((now-5)) 0 77 0 0 1
is "$("$BIN/svstat" "$S/px" | secs)" "$S/px: up (pid 77) N seconds, paused, want down, want exit" "paused, want down, want exit"
is "$("$BIN/svstat" -o paused,wantexit,once "$S/px")" "true true false" "-o paused,wantexit,once"

# svkit: once (ONCE), up.
mk once
write_xstatus "$S/once/supervise/xstatus" 1 u 8 $((now-5)) 0 78 0 0 1
is "$("$BIN/svstat" "$S/once" | secs)" "$S/once: up (pid 78) N seconds, once" "once"

# svkit: finishing, after exit 1 (EXITED|GAVEUP).
mk fin
write_xstatus "$S/fin/supervise/xstatus" 2 d 192 $((now-5)) 0 79 1 0 4
is "$("$BIN/svstat" "$S/fin" | secs)" "$S/fin: up (pid 79) N seconds, want down, finishing, gave up, exitcode 1" "finishing"
is "$("$BIN/svstat" -o up,pid,finishing,gaveup,state "$S/fin")" "false -1 true true finish" "-o finishing"

# readiness: with notification-fd, not ready until the flag says so.
mk nr; echo 3 > "$S/nr/notification-fd"
write_xstatus "$S/nr/supervise/xstatus" 1 u 0 $((now-5)) 0 80 0 0 1
is "$("$BIN/svstat" -o up,ready "$S/nr")" "true false" "notification-fd, no READY flag: not ready"
rm "$S/nr/notification-fd"
"$BIN/svstat" -o up,ready,readyfor "$S/nr" | grep -Eqx 'true true [5-9]|true true [1-5][0-9]'; ok $? "no notification-fd: ready when up, since up"

# daemontools (18 bytes) and runit (20 bytes) status files.
mk djb
printf "$(tai $((now-9)))$(le32 321)\\000u" > "$S/djb/supervise/status"
is "$("$BIN/svstat" "$S/djb" | secs)" "$S/djb: up (pid 321) N seconds" "daemontools 18-byte status"
is "$("$BIN/svstat" -o source,state,starts "$S/djb")" "daemontools run -1" "-o source daemontools"
mk rn
printf "$(tai $((now-9)))$(le32 0)\\000u\\000\\000" > "$S/rn/supervise/status"
is "$("$BIN/svstat" "$S/rn" | secs)" "$S/rn: down N seconds, normally up, want up" "runit 20-byte status"
is "$("$BIN/svstat" -o source,up,pid "$S/rn")" "runit false -1" "-o source runit"

# JSON lines: one object per DIR, keys documented in svstat(8).
js=$("$BIN/svstat" -j "$S/ex" "$S/sig" | sed -e 's/"updownfor":[0-9]*/"updownfor":N/; s/"updownsince":"@[0-9a-f]*"/"updownsince":L/; s/"procs":[0-9a-z]*/"procs":P/; s/"rss":[0-9a-z]*/"rss":R/; s/"cpu":[0-9a-z.]*/"cpu":C/')
is "$(echo "$js" | head -1)" "{\"dir\":\"$S/ex\",\"running\":true,\"up\":false,\"wantedup\":true,\"normallyup\":true,\"ready\":false,\"paused\":false,\"pid\":null,\"exitcode\":3,\"signal\":null,\"signum\":null,\"updownsince\":L,\"readysince\":null,\"updownfor\":N,\"readyfor\":null,\"state\":\"down\",\"once\":false,\"wantexit\":false,\"finishing\":false,\"gaveup\":false,\"starts\":7,\"svpid\":4242,\"source\":\"svkit\",\"procs\":P,\"killed\":0,\"rss\":R,\"cpu\":C}" "-j: an object with every key"
is "$(echo "$js" | wc -l | tr -d ' ')" 2 "-j: one line per DIR"
if have python3; then
  mkdir -p "$T/ctl$(printf '\001')x"
  "$BIN/svstat" -j "$S/ex" "$S/up" "$S/sig" "$S/garb" "$T/ctl$(printf '\001')x" 2>/dev/null | python3 -c '
import json, sys
objs = [json.loads(l) for l in sys.stdin]
assert len(objs) == 5 and all(list(o)[0] == "dir" for o in objs)
assert objs[1]["ready"] is True and objs[1]["readyfor"] >= 0 and objs[2]["signal"] == "SIGKILL"
assert objs[4]["running"] is False and objs[4]["dir"].endswith("ctl\x01x")
' 2>"$T/err"; ok $? "-j: every line is valid JSON (python3) $(cat "$T/err")"
else
  skip "python3 is not installed"
fi
mkdir -p "$T/q\"uo"
is "$("$BIN/svstat" -j "$T/q\"uo")" "{\"dir\":\"$T/q\\\"uo\",\"running\":false}" "-j: not running, DIR escaped"

# broken status files: each DIR gets its own error, the others are reported.
mk trunc; head -c 5 "$S/djb/supervise/status" > "$S/trunc/supervise/status"
mk big; { cat "$S/rn/supervise/status"; echo x; } > "$S/big/supervise/status"
mk garb; printf 'garbage garbage garb' > "$S/garb/supervise/status"
mk xbad; head -c 30 "$S/ex/supervise/xstatus" > "$S/xbad/supervise/xstatus"
"$BIN/svstat" "$S/trunc" "$S/djb" "$S/big" "$S/garb" "$S/xbad" "$S/nonexistent" > "$T/out" 2>&1
is $? 111 "exit 111 when some DIR could not be read"
is "$(secs < "$T/out")" "$S/trunc: bad format in supervise/status: wrong size (5 bytes, expected 20 or 18 bytes)
$S/djb: up (pid 321) N seconds
$S/big: bad format in supervise/status: file too long (more than 20 or 18 bytes)
$S/garb: bad format in supervise/status: invalid contents
$S/xbad: bad format in supervise/xstatus: wrong size (30 bytes, expected 96 bytes)
$S/nonexistent: unable to stat directory: No such file or directory" "one line per DIR, errors name the file"
"$BIN/svstat" -o up "$S/garb" "$S/djb" >"$T/out" 2>"$T/err"
is "$?:$(cat "$T/out")" "111:true" "-o: broken DIR skipped, exit 111"
grep -q "^svstat: warning: $S/garb: bad format in supervise/status" "$T/err"; ok $? "-o: warning on stderr names DIR and file"
"$BIN/svstat" -o up,bogus "$S/djb" 2>/dev/null; is $? 100 "unknown field: usage error 100"
