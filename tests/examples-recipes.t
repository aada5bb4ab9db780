#!/bin/sh
# The README's recipes, taken from the README itself: Restart=on-failure
# (a one-line finish) and file watching (a watcher service that restarts
# the app through inotifywait; skipped without inotify-tools).
. "$(dirname "$0")/lib.sh"
. "$TESTS/examples-lib.sh"
. "$TESTS/supervise-lib.sh"
need supervise svc svstat
README=$REPO/README

# ---- Restart=on-failure ---------------------------------------------------------
fin=$(sed -n 's/^| `Restart=on-failure` | `finish`: `\(.*\)` (.*$/\1/p' "$README")
[ -n "$fin" ]; ok $? "the README has the Restart=on-failure recipe: $fin"
S=$T/onfail
mkservice "$S" 'echo x >> starts; [ -e hold ] && exec sleep 1000; exit "$(cat code)"'
printf '#!/bin/sh\n%s\n' "$fin" > "$S/finish"; chmod 755 "$S/finish"
echo 3 > "$S/code"
sv_start "$S"; svA=$svpid
wait_for 5000 sh -c '[ "$(wc -l < "$1/starts")" -ge 2 ]' sh "$S"
ok $? "a failing exit (3) is restarted"
echo 0 > "$S/code"
wait_for 5000 sh -c '[ "$(od -An -c -j 6 -N1 "$1/supervise/xstatus" | tr -d " ")" = d ] && [ "$(od -An -tu1 -j 5 -N1 "$1/supervise/xstatus" | tr -d " ")" = 0 ]' sh "$S"
ok $? "a clean exit (0) leaves it down, want down"
n=$(count_lines "$S/starts")
sleep 1.3   # past the restart throttle: it must not start again
is "$(count_lines "$S/starts")" "$n" "and it is not restarted"
"$BIN/svstat" "$S" | grep -q ': down '; ok $? "svstat says down"
touch "$S/hold"
ctl "$S" u
wait_for 5000 is_up "$S"; ok $? "svc -u starts it again"
ctl "$S" dx
wait_for 5000 dead "$svA"; ok $? "supervise exits"

# ---- file watching ------------------------------------------------------------------
if ! have inotifywait; then
  skip "file-watching recipe: inotifywait not installed (apt-get install inotify-tools)"
  done_testing
fi
W=$T/web-watch A=$T/web
mkdir -p "$W" "$T/myapp"
# the recipe's run script: from "#!/bin/sh" to "exec svc -t ../web"
sed -n '/# S\/web-watch\/run/,/exec svc -t \.\.\/web/p' "$README" | sed 's/^ *//' > "$T/recipe"
{ echo '#!/bin/sh'; cat "$T/recipe"; } > "$W/run"; chmod 755 "$W/run"
grep -q '^inotifywait .*"\$HOME/myapp"' "$W/run" && grep -qx 'exec svc -t ../web' "$W/run"
ok $? "the README has the watcher's run script"
mkservice "$A" 'echo $$ >> starts; exec sleep 1000'
sv_start "$A"; svA=$svpid
wait_for 5000 is_up "$A"; ok $? "the app runs"
HOME=$T PATH="$BIN:$PATH" "$BIN/supervise" "$W" 2>>"$W.err" &
svW=$!; track "$svW"
wait_for 5000 is_up "$W"; ok $? "the watcher runs"
# each change restarts the app once the watcher is watching again: keep
# changing a file until the app's start count moves (deadline 10 s)
changed() {
  echo x >> "$T/myapp/app.js"
  [ "$(count_lines "$A/starts")" -ge "$1" ]
}
wait_for 10000 changed 2; ok $? "a change under \$HOME/myapp restarts the app"
wait_for 10000 changed 3; ok $? "and the next change again (supervise restarted the watcher)"
alive "$svA"; ok $? "the app's supervise is the same throughout"
ctl "$W" dx; ctl "$A" dx
wait_for 5000 dead "$svW"; ok $? "watcher's supervise exits"
wait_for 5000 dead "$svA"; ok $? "app's supervise exits"
done_testing
