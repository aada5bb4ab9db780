#!/bin/sh
# service-examples/user-tree: an ordinary user's own svscan over ~/service,
# started the way the systemd user unit and the @reboot crontab line say.
# As root the commands run as nobody (setpriv), else as ourselves.
. "$(dirname "$0")/lib.sh"
. "$TESTS/examples-lib.sh"
need svscan supervise svstat svok
UT=$EX/user-tree
if is_root; then
  have setpriv || skip_all "root without setpriv: cannot run as an ordinary user"
  id nobody >/dev/null 2>&1 || skip_all "root, but there is no account nobody"
  nobody_runs_bin || skip_all "nobody cannot reach $BIN (a parent directory is closed to others)"
  AS="setpriv --reuid=$(id -u nobody) --regid=$(id -g nobody) --clear-groups"
  who=nobody
else
  AS=
  who=$(id -un)
fi
for f in README svkit.service crontab; do
  [ -s "$UT/$f" ]; ok $? "user-tree/$f exists"
done
H=$T/home
# user_home: a fresh ~ with one service that records who runs it.
user_home() {
  rm -rf "$H"; mkdir -p "$H/service"
  mkservice "$H/service/tick" 'id -un > ./who; exec sleep 2147483647'
  ! is_root || chown -R nobody "$H"
}
ticking() { [ -s "$H/service/tick/who" ]; }

# 1. The systemd user unit: verify it, then run its ExecStart= as systemd would.
if have systemd-analyze; then
  sed "s,/usr/local/bin/,$BIN/,g" "$UT/svkit.service" > "$T/svkit.service"
  out=$(systemd-analyze verify "$T/svkit.service" 2>&1); r=$?
  case $out in
    *"Failed to initialize manager"*|*"Failed to lookup"*) skip "systemd-analyze cannot run here: $out" ;;
    *) is "$r:$out" "0:" "systemd-analyze verify accepts svkit.service" ;;
  esac
else
  skip "systemd-analyze is not installed"
fi
exec_start=$(sed -n 's/^ExecStart=//p' "$UT/svkit.service")
env_path=$(sed -n 's/^Environment=PATH=//p' "$UT/svkit.service")
is "$exec_start" "/usr/local/bin/svscan %h/service" "the unit runs svscan over ~/service"
grep -q '^KillMode=mixed$' "$UT/svkit.service"; ok $? "the unit stops with TERM to svscan alone (KillMode=mixed)"
grep -q '^Restart=always$' "$UT/svkit.service"; ok $? "the unit restarts svscan if it dies"
user_home
cmd=$(printf '%s\n' "$exec_start" | sed "s,/usr/local/bin/,$BIN/,g; s,%h,$H,g")
upath=$(printf '%s\n' "$env_path" | sed "s,/usr/local/bin,$BIN,g")
spawn $AS env - HOME="$H" PATH="$upath" $cmd >"$T/unit.out" 2>&1
svscan_pid=$spawn_pid; SCAN=$H/service
wait_for 10000 ticking; ok $? "systemd unit: the user's service runs"
is "$(cat "$H/service/tick/who" 2>/dev/null)" "$who" "systemd unit: as $who"
stop_svscan "systemd unit"

# 2. The crontab: PATH= line, then the @reboot line, run by sh as cron does.
cpath=$(sed -n 's/^PATH=//p' "$UT/crontab")
line=$(sed -n 's/^@reboot[ 	]*//p' "$UT/crontab")
[ -n "$line" ]; ok $? "crontab has an @reboot line"
case $line in *%*) r=1 ;; *) r=0 ;; esac
ok $r "the @reboot line has no % (cron would turn it into a newline)"
user_home
upath=$(printf '%s\n' "$cpath" | sed "s,/usr/local/bin,$BIN,g")
spawn $AS env - HOME="$H" PATH="$upath" SHELL=/bin/sh /bin/sh -c "$line"
svscan_pid=$spawn_pid
wait_for 10000 ticking; ok $? "crontab: the user's service runs"
is "$(cat "$H/service/tick/who" 2>/dev/null)" "$who" "crontab: as $who"
[ -e "$H/.svscan.log" ]; ok $? "crontab: svscan's diagnostics go to ~/.svscan.log"
stop_svscan "crontab"

# "Where the programs are": the README's sed, run from a copy of the
# checkout's top directory, points both files at that checkout's bin/
fix=$(sed -n '/^Where the programs are/,/^With systemd/p' "$UT/README" | sed -n 's/^    //p')
mkdir -p "$T/co/service-examples" && cp -R "$UT" "$T/co/service-examples/user-tree"
(cd "$T/co" && sh -c "$fix"); ok $? "README's sed for a checkout's bin/ runs"
grep -q "^ExecStart=$T/co/bin/svscan " "$T/co/service-examples/user-tree/svkit.service" &&
  grep -q "^PATH=$T/co/bin:" "$T/co/service-examples/user-tree/crontab" &&
  ! grep -q /usr/local/bin "$T/co/service-examples/user-tree/svkit.service" "$T/co/service-examples/user-tree/crontab"
ok $? "and leaves no /usr/local/bin in the unit or the crontab"
done_testing
