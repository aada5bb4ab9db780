#!/bin/sh
# readproctitle (the title shows the latest input) and svscanboot.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/chain-lib.sh"

# title PID: the last argument of PID's command line, newlines shown as |
title() { tr '\n\0' '|\n' < "/proc/$1/cmdline" | tail -n 1; }
title_is() { [ "$(title "$1")" = "$2" ]; }

run "$BIN/readproctitle"; is "$rc" 100 "no arguments: usage, 100"
same_as_dt "no arguments (exit code)" readproctitle
run "$BIN/readproctitle" x ....; is "$rc" 100 "fewer than 5 characters: usage, 100"
same_as_dt "4 dots" readproctitle x ....
run sh -c '"$0" x ..... < /dev/null' "$BIN/readproctitle"; is "$rc" 0 "end of input: exit 0"

mkfifo "$T/in1" "$T/in2"
spawn sh -c 'exec "$0" io errors: abcdefghijklmnopqrst < "$1"' "$BIN/readproctitle" "$T/in1"
rp=$spawn_pid
exec 7<>"$T/in1"
wait_for 5000 title_is "$rp" "...................."; ok $? "the last argument is turned into dots at start"
printf 'hello\n' >&7
wait_for 5000 title_is "$rp" "..............hello|"; ok $? "input shows at the end of the title"
printf 'w\0orld' >&7
wait_for 5000 title_is "$rp" ".........hello|world"; ok $? "NUL bytes are dropped"
printf 'abcdefghijklmnopqrstuvwxyz' >&7
wait_for 5000 title_is "$rp" "...jklmnopqrstuvwxyz"; ok $? "three dots always stay at the left"
tr '\0' ' ' < "/proc/$rp/cmdline" > "$T/cmdline"
like " io errors: " "$(cat "$T/cmdline")" "the other arguments are left alone"
exec 7>&-
wait_for 5000 dead "$rp"; ok $? "exits at end of input"

if have_dt readproctitle; then
  spawn sh -c 'exec "$0" io errors: .................... < "$1"' "$DT/readproctitle" "$T/in2"
  dp=$spawn_pid
  exec 7<>"$T/in2"
  printf 'hello\nw\0orld' >&7
  printf 'abcdefghijklmnopqrstuvwxyz' >&7
  wait_for 5000 title_is "$dp" "...jklmnopqrstuvwxyz"; ok $? "daemontools readproctitle shows the same title"
  exec 7>&-
else skip "no daemontools readproctitle"; fi

# ---- svscanboot with stand-ins beside it -------------------------------------
mkdir -p "$T/sb/bin" "$T/sb/scan/svc1"
cp "$BIN/svscanboot" "$BIN/readproctitle" "$T/sb/bin/"
mkfifo "$T/sb/release"
cat > "$T/sb/bin/svscan" <<'EOS'
#!/bin/sh
echo $$ > "$1/../svscan.pid"
# written aside and renamed: the test reads it as soon as it exists
{ echo "args=$*"; echo "path=$PATH"; env | grep -v '^PATH=' | grep -v '^PWD=' | grep -v '^_=' | grep -v '^SHLVL=' | grep -v '^OLDPWD=' | sed 's/^/env:/'; } > "$1/../svscan.info.new"
mv "$1/../svscan.info.new" "$1/../svscan.info"
echo "fake-svscan-message" >&2
read x < "$1/../release"
EOS
cat > "$T/sb/bin/svc" <<'EOS'
#!/bin/sh
echo "$*" > "${2%/*}/../svc.args"
EOS
chmod 755 "$T/sb/bin/svscan" "$T/sb/bin/svc"
spawn env FOO=bar "$T/sb/bin/svscanboot" "$T/sb/scan"
sb=$spawn_pid
wait_for 5000 test -s "$T/sb/svscan.pid"; ok $? "svscanboot starts the svscan beside it"
track "$(cat "$T/sb/svscan.pid")"
wait_for 5000 test -s "$T/sb/svscan.info"
is "$(grep '^args=' "$T/sb/svscan.info")" "args=$T/sb/scan" "svscan gets the scan directory given as argument"
like "path=$T/sb/bin:" "$(grep '^path=' "$T/sb/svscan.info")" "PATH starts with svscanboot's own directory"
is "$(grep -c '^env:' "$T/sb/svscan.info")" 0 "the rest of the environment is cleared"
is "$(cat "$T/sb/svc.args" 2>/dev/null)" "-dx $T/sb/scan/svc1 $T/sb/scan/*/log" "leftover supervisors are told to go: svc -dx DIR/* DIR/*/log"
rpt() { for p in $(ps -o pid= --ppid "$sb"); do tr '\n\0' '| ' < "/proc/$p/cmdline" 2>/dev/null; echo; done | grep readproctitle; }
has_msg() { rpt | grep -q 'service errors: \.*fake-svscan-message'; }
wait_for 5000 has_msg; ok $? "svscan's stderr goes to readproctitle's title"
is "$(rpt | sed 's/.*errors: //; s/ $//' | tr -d '\n' | wc -c | tr -d ' ')" 400 "the title is 400 characters long"
timeout 10 sh -c "echo > '$T/sb/release'"
wait_for 5000 dead "$sb"; ok $? "svscanboot ends when svscan does"

rm -f "$T/sb/svscan.pid" "$T/sb/svscan.info"; mkdir "$T/sb/scan2"
spawn env SVSCANDIR="$T/sb/scan2" "$T/sb/bin/svscanboot"
sb=$spawn_pid
wait_for 5000 test -s "$T/sb/svscan.info"
is "$(grep '^args=' "$T/sb/svscan.info" 2>/dev/null)" "args=$T/sb/scan2" "without an argument, \$SVSCANDIR is the scan directory"
track "$(cat "$T/sb/svscan.pid")"
timeout 10 sh -c "echo > '$T/sb/release'"
wait_for 5000 dead "$sb"; ok $? "(stopped)"
grep -q '/service}' "$BIN/svscanboot"; ok $? "the default scan directory is /service (not run here)"
run "$T/sb/bin/svscanboot" "$T/sb/nonexistent"
is "$rc" 111 "a missing scan directory: 111"
like "$T/sb/nonexistent" "$err" "the message names it"

# ---- svscanboot with the real svscan ---------------------------------------
if [ -x "$BIN/svscan" ] && [ -x "$BIN/supervise" ]; then
  mkservice "$T/real/s1" "echo hello-from-s1 >&2; echo \$\$ > '$T/real.pid'; exec sleep 300"
  spawn "$BIN/svscanboot" "$T/real"
  sb=$spawn_pid
  wait_for 10000 test -s "$T/real.pid"; ok $? "real svscan starts the service"
  track "$(cat "$T/real.pid" 2>/dev/null)"
  realmsg() { rpt | grep -q 'hello-from-s1'; }
  wait_for 10000 realmsg; ok $? "the service's stderr shows in readproctitle's title"
  sv=$(ps -o pid=,args= --ppid "$sb" | awk '$2 ~ /svscan$/ { print $1 }')
  [ -n "$sv" ] && track "$sv"
  ok "$([ -n "$sv" ]; echo $?)" "svscan runs as a child of svscanboot"
  [ -n "$sv" ] && kill -TERM "$sv"
  wait_for 10000 dead "$sb"; ok $? "TERM to svscan: everything stops and svscanboot exits"
else
  skip "no svkit svscan/supervise built"; skip "-"; skip "-"; skip "-"
fi
done_testing
