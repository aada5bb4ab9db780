#!/bin/sh
# svscan's essential file (issue 17): when an essential service stops for
# good, svscan stops every service (producers, then loggers after they
# drained) and exits with that service's last exit code.  Run as the init of
# a new pid namespace, as in a container.
. "$(dirname "$0")/lib.sh"
. "$TESTS/svscan-lib.sh"
[ -x "$BIN/svscan" ] && [ -x "$BIN/supervise" ] && [ -x "$BIN/multilog" ] || skip_all "bin/svscan, supervise or multilog not built"
need_ns

# a logged service that writes a last line when it gets TERM
mkweb() {
  mkservice "$1/web" "exec 2>&1
trap 'echo web: last line; exit 0' TERM
echo web: up
while :; do sleep 0.1 & wait \$!; done"
  mkservice "$1/web/log" "exec $BIN/multilog t ./main"
}
# app DIR BODY: an essential service that waits for DIR/go, then runs BODY
mkapp() {
  mkservice "$1/app" "while [ ! -e $1/go ]; do sleep 0.02; done
$2"
  touch "$1/app/essential"
}
web_up() { grep -q 'web: up' "$1/web/log/main/current" 2>/dev/null; }
svc_sees() { "$BIN/svstat" "$1" 2>/dev/null | grep -q "$2"; }

# 1. gives up with 3: finish exits 125
S=$T/a; mkdir "$S"; mkweb "$S"
mkapp "$S" 'exit 3'
printf '#!/bin/sh\nexit 125\n' > "$S/app/finish"; chmod 755 "$S/app/finish"
ns_start "$BIN/svscan" -k 20 "$S"
wait_for 20000 web_up "$S"; ok $? "the container runs: web is up and logging"
alive "$U"; ok $? "an essential service that did not run yet does not stop anything"
touch "$S/go"
ns_wait 30000
is "$NS_RC" 3 "essential app gave up after exit 3: the container exits 3"
grep -q 'web: last line' "$S/web/log/main/current"; ok $? "web was stopped and its last line is in its log"
grep -q 'essential service app gave up' "$T/err"; ok $? "svscan says why it stops"
grep -q 'grace period' "$T/err"; ok $((! $?)) "nothing had to be killed"

# 2. the same service restarted in a new container with a `down` file: the
#    record left by the previous supervise (gave up, exit 3) decides nothing;
#    started once with svc -o, it exits 7 by itself and that decides.
rm -f "$S/go" "$S/app/finish"
touch "$S/app/down"
printf '#!/bin/sh\nwhile [ ! -e %s/go ]; do sleep 0.02; done\nexit 7\n' "$S" > "$S/app/run"
ns_start "$BIN/svscan" -k 20 "$S"
wait_for 20000 svc_sees "$S/app" ": down"; ok $? "second container: app is down (down file)"
wait_for 20000 web_up "$S"
touch "$S/go"
"$BIN/svc" -o "$S/app"; ok $? "svc -o app"
ns_wait 30000
is "$NS_RC" 7 "a down service run once with svc -o exits 7: the container exits 7 (the stale record did not count)"

# 3. killed by SIGKILL, then gave up: 128+9
S=$T/b; mkdir "$S"; mkweb "$S"
mkapp "$S" 'kill -KILL $$'
printf '#!/bin/sh\nexit 125\n' > "$S/app/finish"; chmod 755 "$S/app/finish"
ns_start "$BIN/svscan" -k 20 "$S"
wait_for 20000 web_up "$S"
touch "$S/go"
ns_wait 30000
is "$NS_RC" 137 "essential app killed by SIGKILL, then gave up: the container exits 137"
grep -q 'web: last line' "$S/web/log/main/current"; ok $? "web's last line is in its log"

# 4. svc -d on the essential service: the app answers TERM with exit 143
S=$T/c; mkdir "$S"; mkweb "$S"
mkservice "$S/app" "trap 'exit 143' TERM
while :; do sleep 0.1 & wait \$!; done"
touch "$S/app/essential"
ns_start "$BIN/svscan" -k 20 "$S"
wait_for 20000 web_up "$S"
wait_for 20000 svc_sees "$S/app" ": up"; ok $? "app is up"
"$BIN/svc" -d "$S/app"
ns_wait 30000
is "$NS_RC" 143 "svc -d essential app, which exits 143 on TERM: the container exits 143"

# 4b. svc -dx: supervise exits right after it recorded the stop
S=$T/c2; mkdir "$S"; mkweb "$S"
mkservice "$S/app" "trap 'exit 143' TERM
while :; do sleep 0.1 & wait \$!; done"
touch "$S/app/essential"
ns_start "$BIN/svscan" -k 20 "$S"
wait_for 20000 web_up "$S"
wait_for 20000 svc_sees "$S/app" ": up"
"$BIN/svc" -dx "$S/app"
ns_wait 30000
is "$NS_RC" 143 "svc -dx essential app: the container exits 143 (the record of a supervise that exited counts)"

# 5. exit 0 after svc -o: exit 0; and an essential file added while running
S=$T/d; mkdir "$S"; mkweb "$S"
mkservice "$S/app" "while [ ! -e $S/go ]; do sleep 0.02; done
exit 0"
ns_start "$BIN/svscan" -k 20 "$S"
wait_for 20000 web_up "$S"
wait_for 20000 svc_sees "$S/app" ": up"
touch "$S/app/essential"
"$BIN/svc" -o "$S/app"
touch "$S/go"
ns_wait 30000
is "$NS_RC" 0 "an essential file added while running counts; exit 0 after a clean exit"
grep -q 'web: last line' "$S/web/log/main/current"; ok $? "web's last line is in its log"

# 6. a TERM to svscan is a requested stop: exit 0, even though the essential
#    app answers it with 143
S=$T/e; mkdir "$S"; mkweb "$S"
mkservice "$S/app" "trap 'exit 143' TERM
while :; do sleep 0.1 & wait \$!; done"
touch "$S/app/essential"
ns_start "$BIN/svscan" -k 20 "$S"
wait_for 20000 web_up "$S"
wait_for 20000 svc_sees "$S/app" ": up"
kill -TERM "$INIT"
ns_wait 30000
is "$NS_RC" 0 "docker stop (TERM to PID 1) with an essential app exiting 143: the container exits 0"
done_testing
