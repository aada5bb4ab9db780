#!/bin/sh
# svscan: SIGTERM brings every service down, loggers after their producers
# (nothing lost), SIGKILL after -k seconds for what ignores TERM, orphans
# reaped and stopped; svscan exits 0 and no process of the tree is left.
. "$(dirname "$0")/lib.sh"
. "$TESTS/svscan-lib.sh"
[ -x "$BIN/svscan" ] && [ -x "$BIN/supervise" ] || skip_all "bin/svscan or bin/supervise not built"

mkdir "$T/sv"
mkservice "$T/sv/a" 'exec sleep 1000'
mkservice "$T/sv/b" "i=0; while :; do i=\$((i+1)); echo \"line \$i\" || exit 1; echo \$i > $T/count.new; mv $T/count.new $T/count; sleep 0.01; done"
mkservice "$T/sv/b/log" "exec cat >> $T/b.log"
mkservice "$T/sv/stubborn" "trap '' TERM; exec sleep 1000"
mkservice "$T/sv/orphans" "sh -c 'sleep 1000 & echo \$! > $T/orphan.pid'; exec sleep 1000"
start_svscan -k 2 "$T/sv"
for s in a b b/log stubborn orphans; do
  wait_for 5000 svc_up "$T/sv/$s"; ok $? "$s up"
done
wait_for 3000 test -s "$T/orphan.pid"; ok $? "orphan started"
wait_for 3000 test -s "$T/b.log"; ok $? "b logs"
pids="$(ps -o pid= --ppid "$SVSCAN" | tr '\n' ' ')"
for s in a b b/log stubborn orphans; do pids="$pids $(pidfile_pid "$T/sv/$s")"; done
orphan=$(cat "$T/orphan.pid")
pids="$pids $orphan"
# the orphan's parent writes orphan.pid just before it exits
parent_is() { [ "$(ps -o ppid= -p "$1" | tr -d ' ')" = "$2" ]; }
wait_for 5000 parent_is "$orphan" "$(supervise_pid orphans)"; ok $? "the orphan was re-parented to its service's supervise (child subreaper)"
is "$(echo $pids | tr " " "\n" | sort -u | wc -l)" 11 "5 supervises, 5 services, 1 orphan"

# descriptors svscan opened itself (not inherited from this shell): signals,
# inotify, and the two ends of b's pipe
inherited=$(for f in /proc/$$/fd/*; do readlink "$f"; done 2>/dev/null | sort -u)
own=$(for f in /proc/$SVSCAN/fd/*; do
  [ "${f##*/}" -gt 2 ] || continue
  l=$(readlink "$f") || continue
  echo "$inherited" | grep -qxF "$l" || echo "$l"
done)
is "$(echo "$own" | wc -l)" 4 "svscan holds 2 descriptors per logged service, 2 of its own, nothing else"
pipes=$(echo "$own" | grep '^pipe:' | sort -u)
is "$(echo "$own" | grep -c '^pipe:')/$(echo "$pipes" | wc -l)" 2/1 "both ends of one pipe"
leak=
for sp in $(ps -o pid= --ppid "$SVSCAN"); do
  for f in /proc/$sp/fd/*; do
    l=$(readlink "$f" 2>/dev/null) || continue
    [ "$l" = "$pipes" ] || continue
    case ${f##*/} in 0|1) ;; *) leak="$leak $sp:${f##*/}" ;; esac
  done
done
is "$leak" "" "children get the pipe only as stdin/stdout (close-on-exec in svscan)"

start=$(date +%s)
kill -TERM "$SVSCAN"
wait "$SVSCAN"; is "$?" 0 "svscan exits 0 after SIGTERM"
el=$(( $(date +%s) - start ))
[ "$el" -le 8 ]; ok $? "shutdown bounded by -k 2 (took ${el}s)"
left=
for p in $pids; do dead "$p" || left="$left $p"; done
is "$left" "" "no process of the tree is left"
file_has "$T/err" "killing what is left of stubborn"; ok $? "the service ignoring TERM was killed after the grace period"
last=$(cat "$T/count")
n=$(tail -n 1 "$T/b.log" | sed 's/^line //')
[ "$n" -ge "$last" ] 2>/dev/null && [ "$n" -le $((last + 1)) ]; ok $? "logger stopped after its producer and drained the pipe ($n/$last)"
seq 1 "$n" | sed 's/^/line /' | cmp -s - "$T/b.log"; ok $? "no line lost"
done_testing
