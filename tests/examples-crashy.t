#!/bin/sh
# service-examples/crashy: restarts throttled to one a second, and the
# finish script gives up (exit 125) after 5 deaths within 60 s.
. "$(dirname "$0")/lib.sh"
. "$TESTS/examples-lib.sh"
need svscan supervise svc svstat multilog tai64n

# 1. The finish script alone (POSIX sh + tai64n), fast.
mkdir "$T/f" && cd "$T/f" || bail "no temp dir"
codes=
for i in 1 2 3 4 5; do PATH="$BIN:$PATH" sh "$EX/crashy/finish" 1 0 >/dev/null; codes="$codes $?"; done
is "$codes" " 0 0 0 0 125" "finish exits 0 four times, then 125 on the 5th death"
[ ! -s deaths ]; ok $? "giving up forgets the deaths (a later svc -u starts afresh)"
printf '%s\n' 100 200 300 400 > deaths            # deaths long ago
PATH="$BIN:$PATH" sh "$EX/crashy/finish" 1 0 >/dev/null; r=$?
is "$r" 0 "deaths older than 60 s do not count"
is "$(wc -l < deaths | tr -d ' ')" 1 "and are forgotten"
first=$(head -n 1 "$EX/crashy/finish")
is "$first" "#!/bin/sh" "finish is a POSIX sh script"
# Only sh builtins and svkit programs: no other commands in it.
others=$(sed -e 's/#.*//' "$EX/crashy/finish" | tr ' ;|&()$`' '\n\n\n\n\n\n\n\n' |
  grep -x 'date\|awk\|sed\|expr\|cut\|head\|tail\|grep\|wc\|sort\|bc\|python3\|perl\|rm\|mv\|cat\|touch\|bash' | sort -u | tr '\n' ' ')
is "$others" "" "finish uses no tools beyond sh and svkit programs"

# 2. Under svscan.
cd / || exit 1
ex_copy crashy
ex_svscan
cd "$SCAN" || bail "no scan dir"
wait_for 30000 grep -q 'giving up' crashy/log/main/current
ok $? "crashy is given up on within 30 s"
n=$(grep -c 'crashy: starting' crashy/log/main/current)
is "$n" 5 "it ran exactly 5 times"
f=$(grep 'crashy: starting' crashy/log/main/current | head -n 1 | cut -c1-25)
l=$(grep 'crashy: starting' crashy/log/main/current | tail -n 1 | cut -c1-25)
span=$(( ($(tai_ns "$l") - $(tai_ns "$f")) / 1000000 ))
[ "$span" -ge 3000 ] && [ "$span" -le 20000 ]; ok $? "restarts were throttled to ~1/s (5 starts over ${span} ms)"
down() { "$BIN/svstat" crashy | grep -q '^crashy: down .*normally up'; }
wait_for 5000 down; ok $? "svstat: down, normally up ($("$BIN/svstat" crashy))"
sixth() { [ "$(grep -c 'crashy: starting' crashy/log/main/current)" -gt 5 ]; }
wait_for 2000 sixth; ok $((! $?)) "no 6th start after giving up (watched 2 s)"
"$BIN/svc" -u crashy
wait_for 10000 sixth; ok $? "svc -u crashy starts it again"
cd / || exit 1
stop_svscan "crashy"
done_testing
