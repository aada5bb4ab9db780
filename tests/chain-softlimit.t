#!/bin/sh
# softlimit: each option sets the right soft limit; "=" means the hard
# limit; values above the hard limit are capped; compared with daemontools.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/chain-lib.sh"

# lim NAME: soft and hard value of a /proc/self/limits line, from the program
lim() { grep "^$1 " | awk '{ print $(NF-2), $(NF-1) }'; }
limits() { "$@" cat /proc/self/limits; }

run limits "$BIN/softlimit" -o 50
is "$(printf '%s\n' "$out" | lim 'Max open files' | cut -d' ' -f1)" 50 "-o sets the soft limit on open files"
is "$(printf '%s\n' "$out" | lim 'Max open files' | cut -d' ' -f2)" "$(ulimit -H -n)" "-o leaves the hard limit alone"
run limits "$BIN/softlimit" -m 300000000
for l in 'Max data size' 'Max stack size' 'Max address space'; do
  is "$(printf '%s\n' "$out" | lim "$l" | cut -d' ' -f1)" 300000000 "-m sets $l"
done
lockhard=$(grep '^Max locked memory' /proc/self/limits | awk '{ print $(NF-1) }')
want=300000000; [ "$lockhard" != unlimited ] && [ "$lockhard" -lt $want ] && want=$lockhard
is "$(printf '%s\n' "$out" | lim 'Max locked memory' | cut -d' ' -f1)" "$want" "-m sets locked memory (capped to the hard limit $lockhard)"
run limits "$BIN/softlimit" -c 0 -f 123456 -t 77 -r 4567890 -d 345678901 -s 2345678 -a 456789012 -l 65536 -p 1234
is "$(printf '%s\n' "$out" | lim 'Max core file size' | cut -d' ' -f1)" 0 "-c"
is "$(printf '%s\n' "$out" | lim 'Max file size' | cut -d' ' -f1)" 123456 "-f"
is "$(printf '%s\n' "$out" | lim 'Max cpu time' | cut -d' ' -f1)" 77 "-t"
is "$(printf '%s\n' "$out" | lim 'Max resident set' | cut -d' ' -f1)" 4567890 "-r"
is "$(printf '%s\n' "$out" | lim 'Max data size' | cut -d' ' -f1)" 345678901 "-d"
is "$(printf '%s\n' "$out" | lim 'Max stack size' | cut -d' ' -f1)" 2345678 "-s"
is "$(printf '%s\n' "$out" | lim 'Max address space' | cut -d' ' -f1)" 456789012 "-a"
is "$(printf '%s\n' "$out" | lim 'Max locked memory' | cut -d' ' -f1)" 65536 "-l"
is "$(printf '%s\n' "$out" | lim 'Max processes' | cut -d' ' -f1)" 1234 "-p"
same_as_dt "all options" softlimit @P -c 0 -f 123456 -t 77 -r 4567890 -d 345678901 -s 2345678 -a 456789012 -l 65536 -p 1234 -o 77 cat /proc/self/limits
same_as_dt "-m" softlimit @P -m 300000000 cat /proc/self/limits

# "=" and capping, under a lowered hard limit (set in a subshell)
run sh -c "ulimit -n 400 && ulimit -S -n 100 && exec \"\$0\" -o = cat /proc/self/limits" "$BIN/softlimit"
is "$(printf '%s\n' "$out" | lim 'Max open files')" "400 400" "-o = raises the soft limit to the hard one"
run sh -c "ulimit -n 400 && ulimit -S -n 100 && exec \"\$0\" -o 99999 cat /proc/self/limits" "$BIN/softlimit"
is "$(printf '%s\n' "$out" | lim 'Max open files')" "400 400" "a value above the hard limit is capped to it"
is "$rc" 0 "capping is not an error"
if have_dt softlimit; then
  run sh -c "ulimit -n 400 && ulimit -S -n 100 && exec \"\$0\" -o 99999 cat /proc/self/limits" "$DT/softlimit"
  is "$(printf '%s\n' "$out" | lim 'Max open files')" "400 400" "daemontools caps the same way"
else skip "no daemontools softlimit"; fi
# later options win, in command-line order
run limits "$BIN/softlimit" -m 300000000 -s 1234567
is "$(printf '%s\n' "$out" | lim 'Max stack size' | cut -d' ' -f1)" 1234567 "options apply in order: -s after -m wins"

# errors
run "$BIN/softlimit" -m abc true
is "$rc" 100 "non-numeric limit: 100"
like "abc" "$err" "non-numeric limit: message names the value"
like "-m" "$err" "non-numeric limit: message names the option"
same_as_dt "non-numeric limit (exit code)" softlimit -m abc true
run "$BIN/softlimit" -o 12x true; is "$rc" 100 "trailing garbage in a limit: 100"
run "$BIN/softlimit" -o '' true; is "$rc" 100 "empty limit: 100"
run "$BIN/softlimit" -z 3 true; is "$rc" 100 "unknown option: usage, 100"
same_as_dt "unknown option" softlimit -z 3 true
run "$BIN/softlimit" -o 10; is "$rc" 100 "no program: usage, 100"
run "$BIN/softlimit" -o 100 "$T/no-such-program"
is "$rc" 111 "failed exec: 111"
like "no-such-program" "$err" "failed exec: message names the program"
same_as_dt "failed exec" softlimit -o 100 "$T/no-such-program"
run "$BIN/softlimit" -o 100 sh -c 'exit 4'; is "$rc" 4 "exit code of the program is passed on"
done_testing
