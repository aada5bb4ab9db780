#!/bin/sh
# README, doc/README and service-examples/README say what issue 6 asks for,
# and their links point at files that exist.
. "$(dirname "$0")/lib.sh"
REPO=$(cd "$TESTS/.." && pwd)
R=$REPO/README
# flat: the README on one line with single spaces (wrapped phrases match).
flat=$(tr '\n' ' ' < "$R" | tr -s ' ')
has() { case $flat in *"$1"*) return 0 ;; *) return 1 ;; esac; }

grep -q '^On a fresh Debian machine' "$R"; ok $? "README: a heading for a fresh Debian machine"
sed -n '/^On a fresh Debian machine/,/^[A-Z].*/p' "$R" > "$T/fresh"
grep -q '^ *make demo\b' "$T/fresh" && grep -q '^ *make test\b' "$T/fresh"
ok $? "README: make demo and make test under it"
has 'apt-get install --no-install-recommends daemontools runit s6'
ok $? "README: the compat tests' peers and how to install them"
grep -q '^Benchmarks' "$R" && sed -n '/^Benchmarks/,/^[A-Z][a-z]*$/p' "$R" | grep -q 'doc/benchmarks.md'
ok $? "README: a Benchmarks section pointing to doc/benchmarks.md"
[ -f "$REPO/doc/benchmarks.md" ]; ok $? "doc/benchmarks.md exists"

miss=
for w in '/run' 'multilog t' 'svscan ~/service' 'svstat ~/service/myapp' 'svc -t ~/service/myapp' 'tai64nlocal <'; do
  has "$w" || miss="$miss [$w]"
done
is "$miss" "" "README: the tutorial covers run, log/run with multilog, svscan, svstat, svc -t, tai64nlocal"

miss=
for w in nohup disown screen tmux forever '-m 5' \
    'pm2 start' 'pm2 stop' 'pm2 restart' 'pm2 delete' 'pm2 list' 'pm2 jlist' 'pm2 logs' \
    'pm2 save' 'pm2 resurrect' 'pm2 startup' 'pm2 monit' \
    'Restart=' 'User=' 'EnvironmentFile=' 'LimitNOFILE=' 'KillSignal=' 'TimeoutStopSec=' \
    'Type=notify' journalctl pidfile double-fork; do
  has "$w" || miss="$miss [$w]"
done
is "$miss" "" "README: the coming-from tables cover what issue 6 lists"
miss=
for w in s6-overlay cont-init.d S6_KILL_GRACETIME S6_BEHAVIOUR_IF_STAGE2_FAILS '--init' tini supervisord essential; do
  has "$w" || miss="$miss [$w]"
done
is "$miss" "" "README: coming from s6-overlay, tini and supervisord (issue 17)"
has 'File watching' && has 'Web UI'; ok $? "README: what svkit leaves out (file watching, web UI)"
has daemontools && has runit && has s6 && grep -q '^Compatibility' "$R"; ok $? "README: a compatibility section"

miss=
for d in "$REPO"/src/*/; do
  p=$(basename "$d"); [ "$p" = lib ] && continue
  grep -qw "$p" "$R" || miss="$miss $p"
done
is "$miss" "" "README names every program"

# doc/README: an index linking every man page and document.
I=$REPO/doc/README
[ -f "$I" ]; ok $? "doc/README exists"
miss=
for d in "$REPO"/src/*/; do
  p=$(basename "$d"); [ "$p" = lib ] && continue
  grep -q "($p\.8)" "$I" || miss="$miss $p.8"
done
is "$miss" "" "doc/README links a man page for every program"
miss=
for f in "$REPO"/doc/*.8 "$REPO"/doc/*.md; do
  [ -f "$f" ] || continue
  b=$(basename "$f")
  grep -q "($b)" "$I" || miss="$miss $b"
done
is "$miss" "" "doc/README links every page and document in doc/"
broken=
for l in $(sed -n 's/.*](\([^)]*\)).*/\1/p' "$I"); do
  [ -e "$REPO/doc/$l" ] || broken="$broken $l"
done
is "$broken" "" "every link in doc/README points to an existing file"

# service-examples/README lists every example.
E=$REPO/service-examples/README
miss=
for d in "$REPO"/service-examples/*/; do
  n=$(basename "$d"); grep -q "^ *$n/" "$E" || miss="$miss $n"
done
is "$miss" "" "service-examples/README describes every example"
done_testing
