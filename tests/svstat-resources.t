#!/bin/sh
# svstat's resource fields (procs, rss, cpu, starts) against /proc, on a real
# supervise whose service forks children, and the -t table.
. "$(dirname "$0")/lib.sh"
. "$TESTS/svc-lib.sh"
plan 22

S=$T/s
# The service: burns some CPU itself and in a child it waits for, then
# leaves two children (one in a subshell, one below it) and execs sleep.
# Every pid of its tree goes into ./pids.
mkservice "$S/web" 'burn() { i=0; while [ $i -lt 50000 ]; do i=$((i+1)); done; }
burn
sh -c "i=0; while [ \$i -lt 50000 ]; do i=\$((i+1)); done"
sleep 100000 & echo $! >> pids
( sleep 100001 & echo $! >> pids; wait ) & echo $! >> pids
echo $$ >> pids
exec sleep 100002'
start_sup svkit "$S/web" || bail "supervise does not start"
wait_for 20000 sh -c '[ "$(wc -l < "$1/pids")" -ge 4 ]' sh "$S/web" || bail "the service did not write its 4 pids"
track_service "$S/web"
for p in $(cat "$S/web/pids"); do track "$p"; done
# wait until the sleeps have replaced their shells (the exec'ed main, the subshell's sleep)
wait_for 20000 sh -c '[ "$(cat /proc/$1/comm)" = sleep ]' sh "$(field "$S/web" pid)"

pagesize=$(getconf PAGESIZE)
hz=$(getconf CLK_TCK)
# sums over the pids of ./pids, from /proc/PID/stat (after the command name):
# $12+$13 utime+stime, $14+$15 cutime+cstime, $22 rss pages
tree() { for p in $(cat "$S/web/pids"); do sed -e 's/.*) //' "/proc/$p/stat"; done; }
rss_now() { tree | awk -v ps="$pagesize" '{ s += $22 } END { print s * ps }'; }
cpu_now() { tree | awk -v hz="$hz" '{ t += $12 + $13 + $14 + $15 } END { printf "%d.%02d\n", t / hz, (t * 100 / hz) % 100 }'; }
# the tree is idle now: its figures stay put between two readings
stable() { a=$(rss_now) b=$(cpu_now) && got=$("$BIN/svstat" -o procs,rss,cpu,starts "$S/web") \
  && [ "$a $b" = "$(rss_now) $(cpu_now)" ]; }
wait_for 20000 stable
is "$got" "4 $a $b 1" "-o procs,rss,cpu,starts: 4 processes, rss and cpu summed over the tree as /proc says"
[ "$a" -gt $((4 * pagesize)) ]; ok $? "rss is the resident bytes of 4 processes ($a)"
case $b in 0.00) false ;; esac; ok $? "cpu counts the work done, also by a child it waited for ($b s)"

main=$(field "$S/web" pid)
is "$(sed -e 's/.*) //' "/proc/$main/stat" | awk '{ print ($14 + $15 > 0) }')" 1 "the main process's cutime holds the child it waited for"

js=$("$BIN/svstat" -j "$S/web")
echo "$js" | grep -q "\"procs\":4,\"killed\":0,\"rss\":$a,\"cpu\":$b}\$"; ok $? "-j: procs, rss, cpu keys (cpu a JSON number)"
echo "$js" | grep -q '"starts":1,'; ok $? "-j: starts"
"$BIN/svstat" "$S/web" | grep -q ', 4 processes$'; ok $? "default line: 4 processes"

# -t: one row per DIR, aligned columns
mkdir -p "$S/idle" "$S/web/log"
"$BIN/svstat" -t "$S/web" "$S/idle" "$S/web/log/" > "$T/tab" 2>"$T/err"
is "$?" 0 "-t: exit 0"
is "$(head -1 "$T/tab" | tr -s ' ')" "NAME STATE PID UPTIME STARTS CPU MEM READY" "-t: the header"
is "$(sed -n 2p "$T/tab" | awk '{ print $1, $2, $3, $5, $8 }')" "web up $main 1 yes" "-t: name, state, pid, starts, ready"
sed -n 2p "$T/tab" | awk '{ exit !($4 ~ /^[0-9]+s$|^[0-9]+m[0-9][0-9]s$/) }'; ok $? "-t: uptime as 5s or 1m05s"
cpucell=$(sed -n 2p "$T/tab" | awk '{ print $6 }')
is "$cpucell" "${b}s" "-t: CPU in seconds under a minute"
memcell=$(sed -n 2p "$T/tab" | awk '{ print $7 }')
mib=$(awk -v a="$a" 'BEGIN { k = a / 1024; if (k < 1024) printf "%.1fK", int(k * 10) / 10; else printf "%.1fM", int(k / 1024 * 10) / 10 }')
is "$memcell" "$mib" "-t: MEM in K or M with one decimal"
is "$(sed -n 3p "$T/tab" | tr -s ' ')" "idle unsupervised - - - - - -" "-t: a DIR without supervise"
is "$(sed -n 4p "$T/tab" | awk '{ print $1, $2 }')" "web/log unsupervised" "-t: a logger is named X/log"
is "$(awk '{ print length($0) - length($NF) }' "$T/tab" | sort -u | wc -l | tr -d ' ')" 1 "-t: the last column starts at the same place on every line"
"$BIN/svstat" -t "$S/web" "$S/nonexistent" > "$T/tab" 2>"$T/err"
is "$?" 111 "-t: exit 111 if a DIR cannot be read"
is "$(sed -n 3p "$T/tab" | tr -s ' ')" "nonexistent error - - - - - -" "-t: its row says error"
grep -q "^svstat: warning: $S/nonexistent: unable to stat directory" "$T/err"; ok $? "-t: the reason on stderr"

# only the fields asked for read /proc
if have strace; then
  strace -f -e trace=open,openat -o "$T/trace" "$BIN/svstat" -o up,pid,starts "$S/web" >/dev/null 2>&1
  ! grep -Eq '"/proc(/[0-9]+/[a-z]*)?"' "$T/trace"; ok $? "-o up,pid,starts does not read /proc"
  strace -f -e trace=open,openat -o "$T/trace" "$BIN/svstat" -o rss "$S/web" >/dev/null 2>&1
  grep -Eq '"/proc(/[0-9]+/[a-z]*)?"' "$T/trace"; ok $? "-o rss reads /proc"
else
  skip "strace is not installed"; skip "strace is not installed"
fi

# stopped: no process, nothing resident
"$BIN/svc" -d "$S/web"
wait_for 20000 is_field "$S/web" up false && wait_for 20000 is_field "$S/web" procs 0
is "$("$BIN/svstat" -o up,procs,rss,cpu,starts "$S/web")" "false 0 0 0.00 1" "down: 0 processes, 0 bytes, 0 s, starts kept"
"$BIN/svc" -dx "$S/web"
