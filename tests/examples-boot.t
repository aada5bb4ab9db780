#!/bin/sh
# service-examples/boot: the systemd unit and the inittab line start
# svscanboot; run it the way init would (over a scratch dir instead of
# /service, via SVSCANDIR), then stop it the way systemd does.
. "$(dirname "$0")/lib.sh"
. "$TESTS/examples-lib.sh"
need svscanboot svscan supervise svstat readproctitle svc
B=$EX/boot

# The unit.
exec_start=$(sed -n 's/^ExecStart=//p' "$B/svscanboot.service")
is "$exec_start" "/usr/local/bin/svscanboot" "the unit runs svscanboot from PREFIX=/usr/local"
[ -d "$REPO/src/svscanboot" ]; ok $? "svscanboot is a program that make install installs"
if have systemd-analyze; then
  sed "s,/usr/local/bin/,$BIN/,g" "$B/svscanboot.service" > "$T/svscanboot.service"
  out=$(systemd-analyze verify "$T/svscanboot.service" 2>&1); r=$?
  case $out in
    *"Failed to initialize manager"*|*"Failed to lookup"*) skip "systemd-analyze cannot run here: $out" ;;
    *) is "$r:$out" "0:" "systemd-analyze verify accepts svscanboot.service" ;;
  esac
else
  skip "systemd-analyze is not installed"
fi
grep -q '^Restart=always$' "$B/svscanboot.service"; ok $? "systemd restarts svscanboot if it exits"
grep -q '^KillMode=mixed' "$B/svscanboot.service"
ok $((! $?)) "stop signals the whole unit (not KillMode=mixed, which would TERM only the shell)"

# The inittab line: id:runlevels:respawn:program.
line=$(grep -v '^#' "$B/inittab" | grep -v '^$')
is "$(echo "$line" | wc -l | tr -d ' ')" 1 "inittab holds one entry"
echo "$line" | grep -q '^[A-Za-z0-9]\{1,4\}:[0-6sS]*:respawn:/usr/local/bin/svscanboot$'
ok $? "the entry is id:runlevels:respawn:/usr/local/bin/svscanboot ($line)"

# Run it as init/systemd would: no arguments, a bare environment.
mkservice "$SCAN/tick" 'echo up > ./mark; exec sleep 2147483647'
spawn env - SVSCANDIR="$SCAN" "$BIN/svscanboot"
boot_pid=$spawn_pid
marked() { [ -s "$SCAN/tick/mark" ]; }
wait_for 10000 marked; ok $? "svscanboot starts the services in the scan directory"
wait_for 10000 svstat_up "$SCAN/tick"; ok $? "svstat shows the service up"
# descendants PID: every process below PID (supervise's setsid keeps parentage).
descendants() {
  ps -eo pid=,ppid= | awk -v root="$1" '
    { kid[$2] = kid[$2] " " $1 }
    END { todo = root; while (todo != "") { n = split(todo, a, " "); todo = "";
            for (i = 1; i <= n; i++) { m = split(kid[a[i]], b, " ");
              for (j = 1; j <= m; j++) { print b[j]; todo = todo " " b[j] } } } }'
}
has_rpt() {
  for p in $(descendants "$boot_pid"); do
    [ "$(cat "/proc/$p/comm" 2>/dev/null)" = readproctitle ] && return 0
  done
  return 1
}
wait_for 5000 has_rpt; ok $? "svscan's diagnostics go to readproctitle"
# systemd's stop (KillMode=control-group): TERM to every process of the unit.
all=$(descendants "$boot_pid")
for p in $boot_pid $all; do kill -TERM "$p" 2>/dev/null; done
wait_for 20000 exited "$boot_pid"; ok $? "svscanboot exits when the unit is stopped"
gone() { for p in $all; do alive "$p" && ! dead "$p" && return 1; done; return 0; }
wait_for 20000 gone; ok $? "every process of the unit exits"
wait_for 5000 none_under "$SCAN"
is "$(echo $(under_dir "$SCAN"))" "" "no process left in the scan directory"
for p in $all; do track "$p"; done
done_testing
