#!/bin/sh
# svscan: a supervise that dies is restarted, at most once a second; one
# that cannot start (lock held by another supervise: exit 111) gets a
# warning and a throttled retry, never a busy loop.
. "$(dirname "$0")/lib.sh"
. "$TESTS/svscan-lib.sh"
[ -x "$BIN/svscan" ] && [ -x "$BIN/supervise" ] || skip_all "bin/svscan or bin/supervise not built"

mkdir "$T/sv"
mkservice "$T/sv/a" 'exec sleep 1000'
mkservice "$T/sv/locked" 'exec sleep 1000'
# another supervisor holds locked/ before svscan starts
spawn "$BIN/supervise" "$T/sv/locked" 2>/dev/null
other=$spawn_pid
wait_for 5000 svc_up "$T/sv/locked"; ok $? "foreign supervise runs locked/"
start_svscan "$T/sv"
wait_for 5000 svc_up "$T/sv/a"; ok $? "a up"

sup=$(supervise_pid a)
kill -KILL "$sup"
newsup() { s=$(supervise_pid a); [ -n "$s" ] && [ "$s" != "$sup" ]; }
wait_for 5000 newsup; ok $? "killed supervise restarted"
wait_for 5000 svc_up "$T/sv/a"; ok $? "service a still up"
file_has "$T/err" "supervise for a was killed by signal 9"; ok $? "with a warning"

wait_for 5000 file_has "$T/err" "supervise for locked exited with code 111"; ok $? "lock held: warning"
attempts() { grep -c 'locked' "$T/err"; }
# supervise itself complains once per attempt; over 3 s at most 4-5 attempts
a0=$(attempts)
t0=$(date +%s%N)
while [ $(( ($(date +%s%N) - t0) / 1000000 )) -lt 3000 ]; do sleep 0.1; done
a1=$(attempts)
[ $((a1 - a0)) -le 10 ]; ok $? "throttled retries, no busy loop ($((a1 - a0)) new lines in 3 s)"
# svscan warns after the 1st, 2nd, 4th, 8th... quick failure: at most
# 1 + log2(attempts) warnings, however many attempts a slow machine made
# (both counts from one copy: supervise complains before svscan reaps it)
cp "$T/err" "$T/err.snap"
n=$(grep -c 'unable to lock locked/' "$T/err.snap")
w=$(grep -c 'svscan: warning: supervise for locked' "$T/err.snap")
max=0; k=$n; while [ "$k" -gt 0 ]; do max=$((max + 1)); k=$((k / 2)); done
[ "$w" -le "$max" ]; ok $? "svscan's own warnings thin out ($w for $n attempts)"
alive "$SVSCAN"; ok $? "svscan alive"
# the foreign supervisor goes away: svscan's retry takes over
kill -TERM "$other"
wait_for 5000 dead "$other"; ok $? "foreign supervise gone"
has_sup() { [ -n "$(supervise_pid locked)" ] && svc_up "$T/sv/locked"; }
wait_for 5000 has_sup; ok $? "svscan's supervise now runs locked/"
kill -TERM "$SVSCAN"
wait "$SVSCAN"; is "$?" 0 "svscan exits 0"
done_testing
