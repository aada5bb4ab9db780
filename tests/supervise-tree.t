#!/bin/sh
# supervise: a service is its whole process tree (issue 15).  supervise is a
# child subreaper; a stop (svc -d, svc -t, a crash before a restart,
# supervise's own TERM) reaches every process the service started, also
# those that changed session or lost their parent; keep-orphans opts out.
# tests/supervise-tree-user.t runs this file again as nobody (TREE_USER).
. "$(dirname "$0")/lib.sh"
. "$TESTS/supervise-lib.sh"
. "$TESTS/tree-lib.sh"
have setsid || skip_all "setsid (util-linux) not installed"
W="as ${TREE_USER:-$(id -un)}"

stop_supervise() {
  ctl "$1" dx
  wait_for 20000 dead "$svpid"; ok $? "$2: supervise exits"
}

# ---- the pattern of the issue, default settings ------------------------------
S=$T/gen
tree_service "$S" "$PATTERN"
tr_supervise "$S"
generation_case "$S" "supervise $W"
is "$(killed "$S")" 1 "$W: the child ignoring TERM was KILLed (xstatus: 1 killed)"
"$BIN/svstat" "$S" | grep -q ', 1 killed$'; ok $? "$W: svstat: , 1 killed" || "$BIN/svstat" "$S" | sed 's/^/# /'
is "$("$BIN/svstat" -o killed,procs "$S")" "1 0" "$W: svstat -o killed,procs: 1 0"
stop_supervise "$S" "pattern"

# ---- sh -> child, without exec; a background child; svstat counts ----------
F=$T/fg
tree_service "$F" 'sh -c '\''echo $$ >> "$1"; exec sleep 1000'\'' sh "$g" &
sh -c '\''echo $$ >> "$1"; exec sleep 1000'\'' sh "$g"'
tr_supervise "$F"
wait_for 5000 is_up "$F"
p1=$(svc_pid "$F")
wait_for 5000 gen_is "$F" "$p1" 3; gen_track "$F" "$p1"
"$BIN/svstat" "$F" | grep -q ', 3 processes$'; ok $? "$W: svstat: , 3 processes" || "$BIN/svstat" "$F" | sed 's/^/# /'
is "$("$BIN/svstat" -o procs,killed "$F")" "3 0" "$W: svstat -o procs,killed: 3 0"
"$BIN/svstat" -j "$F" | grep -Eq '"procs":3,"killed":0,"rss":[0-9]+,"cpu":[0-9]+\.[0-9]{2}}$'; ok $? "$W: svstat -j: procs and killed keys (then rss and cpu)"
ctl "$F" t
wait_for 10000 up_other "$F" "$p1"; ok $? "$W: non-exec sh: restarted after svc -t"
p2=$(svc_pid "$F")
wait_for 5000 gen_is "$F" "$p2" 3; gen_track "$F" "$p2"
gen_dead "$F" "$p1"; ok $? "$W: non-exec sh: its foreground and background children are gone"
is "$(killed "$F")" 0 "$W: they went with the down-signal (none KILLed)"
is "$(marked "$(mark_of "$F")")" 3 "$W: one generation"
# a crash of the main process: the same, before the restart
kill -KILL "$p2"
wait_for 10000 up_other "$F" "$p2"; ok $? "$W: restarted after kill -9 of run"
p3=$(svc_pid "$F"); wait_for 5000 gen_is "$F" "$p3" 3; gen_track "$F" "$p3"
gen_dead "$F" "$p2"; ok $? "$W: kill -9: the old children are gone before the restart"
stop_supervise "$F" "non-exec"
is "$(marked "$(mark_of "$F")")" 0 "$W: supervise's dx leaves nothing"

# ---- a grandchild whose parent died long before the down ----------------------
G=$T/orphan
tree_service "$G" 'sh -c '\''setsid sh -c "echo \$\$ >> \"\$1\"; exec sleep 1000" sh "$1" & exit 0'\'' sh "$g"
exec sleep 1000'
tr_supervise "$G"
wait_for 5000 is_up "$G"
p1=$(svc_pid "$G")
wait_for 5000 gen_is "$G" "$p1" 2; gen_track "$G" "$p1"
gc=$(sed -n 2p "$G/gen.$p1")
wait_for 5000 sh -c '[ "$(awk "{ sub(/.*\\) /, \"\"); print \$2 }" /proc/$1/stat)" = "$2" ]' sh "$gc" "$svpid"
ok $? "$W: the orphaned grandchild is supervise's child (subreaper)" || diag "ppid $(ppid_of "$gc"), supervise $svpid"
"$BIN/svc" -d -wD -T 10000 "$G"; ok $? "$W: orphan: svc -d -wD"
dead "$gc"; ok $? "$W: orphan: the grandchild in its own session is gone"
is "$(marked "$(mark_of "$G")")" 0 "$W: orphan: nothing left"
stop_supervise "$G" "orphan"

# ---- a service forking 100 short-lived children a second, while stopped ----
B=$T/storm
tree_service "$B" 'sh -c '\''trap "" TERM; echo $$ >> "$1"; while :; do ( : ) & sleep 0.01; done'\'' sh "$g" &
exec sleep 1000'
echo 500 > "$B/timeout-kill"
tr_supervise "$B"
wait_for 5000 is_up "$B"
p1=$(svc_pid "$B")
wait_for 5000 gen_is "$B" "$p1" 2; gen_track "$B" "$p1"
"$BIN/svc" -d -wD -T 20000 "$B"; ok $? "$W: fork storm: svc -d -wD returns"
is "$(marked "$(mark_of "$B")")" 0 "$W: fork storm: nothing left"
[ "$(killed "$B")" -ge 1 ]; ok $? "$W: fork storm: the forker ignoring TERM was KILLed ($(killed "$B"))"
track_marked "$(mark_of "$B")"
stop_supervise "$B" "storm"

# ---- leftovers are stopped before finish and before the next run ------------
R=$T/finish
tree_service "$R" 'sh -c '\''echo $$ > kid; echo $$ >> "$1"; exec sleep 1000'\'' sh "$g" &
exec sleep 1000'
printf '#!/bin/sh\nif kill -0 "$(cat kid)" 2>/dev/null; then echo alive; else echo gone; fi >> fin\n' > "$R/finish"
chmod 755 "$R/finish"
tr_supervise "$R"
wait_for 5000 is_up "$R"
p1=$(svc_pid "$R")
wait_for 5000 gen_is "$R" "$p1" 2; gen_track "$R" "$p1"
kill -KILL "$p1"
wait_for 10000 up_other "$R" "$p1"; ok $? "$W: finish: restarted after a crash"
wait_for 5000 test -s "$R/fin"
is "$(cat "$R/fin")" gone "$W: finish ran after the old child was gone"
gen_dead "$R" "$p1"; ok $? "$W: finish: the old generation is gone"
p2=$(svc_pid "$R"); wait_for 5000 gen_is "$R" "$p2" 2; gen_track "$R" "$p2"
stop_supervise "$R" "finish"

# ---- keep-orphans: daemontools behaviour (sshd's sessions) ------------------
K=$T/keep
tree_service "$K" 'sh -c '\''echo $$ >> "$1"; exec sleep 1000'\'' sh "$g" &
exec sleep 1000'
touch "$K/keep-orphans"
tr_supervise "$K"
wait_for 5000 is_up "$K"
p1=$(svc_pid "$K")
wait_for 5000 gen_is "$K" "$p1" 2; gen_track "$K" "$p1"
kid1=$(sed -n 2p "$K/gen.$p1")
ctl "$K" t
wait_for 10000 up_other "$K" "$p1"; ok $? "$W: keep-orphans: restarted"
p2=$(svc_pid "$K"); wait_for 5000 gen_is "$K" "$p2" 2; gen_track "$K" "$p2"
alive "$kid1"; ok $? "$W: keep-orphans: the child outlives svc -t"
ctl "$K" d
wait_for 5000 is_down "$K"
kid2=$(sed -n 2p "$K/gen.$p2")
alive "$kid2"; ok $? "$W: keep-orphans: svc -d signals the main process only"
rm "$K/keep-orphans"
ctl "$K" u
wait_for 10000 up_other "$K" "$p2"
p3=$(svc_pid "$K"); wait_for 5000 gen_is "$K" "$p3" 2; gen_track "$K" "$p3"
ctl "$K" t
wait_for 10000 up_other "$K" "$p3"; ok $? "$W: without keep-orphans: restarted"
p4=$(svc_pid "$K"); wait_for 5000 gen_is "$K" "$p4" 2; gen_track "$K" "$p4"
dead "$kid1" && dead "$kid2" && gen_dead "$K" "$p3"
ok $? "$W: without keep-orphans: every earlier child is gone"
stop_supervise "$K" "keep-orphans"

# ---- supervise's own TERM ---------------------------------------------------
X=$T/term
tree_service "$X" "$PATTERN"
echo 300 > "$X/timeout-kill"
tr_supervise "$X"
wait_for 5000 is_up "$X"
p1=$(svc_pid "$X"); wait_for 5000 gen_is "$X" "$p1" 4; gen_track "$X" "$p1"
kill -TERM "$svpid"
wait_for 20000 dead "$svpid"; ok $? "$W: SIGTERM: supervise exits"
is "$(marked "$(mark_of "$X")")" 0 "$W: SIGTERM: the whole tree is gone first"

# ---- adoption: the orphans of a SIGKILLed supervise ----------------------------
A=$T/adopt
tree_service "$A" 'sh -c '\''sh -c "echo \$\$ >> \"\$1\"; exec sleep 1000" sh "$1" & exit 0'\'' sh "$g"
exec sleep 1000'
tr_supervise "$A"
wait_for 5000 is_up "$A"
p1=$(svc_pid "$A")
wait_for 5000 gen_is "$A" "$p1" 2; gen_track "$A" "$p1"
orphan=$(sed -n 2p "$A/gen.$p1")
kill -KILL "$svpid"; wait_for 5000 dead "$svpid"
alive "$orphan"; ok $? "$W: adoption: the old supervise's orphan still runs"
tr_supervise "$A"
wait_for 5000 sh -c '[ "$(od -An -tu4 --endian=little -j 56 -N4 "$1/supervise/xstatus" | tr -d " ")" = "$2" ]' sh "$A" "$svpid"
is "$(svc_pid "$A")" "$p1" "$W: adoption: the service is adopted"
is "$("$BIN/svstat" -o procs "$A")" 2 "$W: adoption: svstat counts the orphan in the session"
"$BIN/svc" -d -wD -T 10000 "$A"; ok $? "$W: adoption: svc -d -wD"
dead "$orphan"; ok $? "$W: adoption: the orphan in the service's session is gone too"
stop_supervise "$A" "adoption"

done_testing
