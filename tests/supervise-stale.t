#!/bin/sh
# supervise adopts only a process that this very directory's supervise
# started in this boot (issue 13 item 7): a supervise/ copied from another
# directory, kept from another boot, or a record forged to name some other
# process is not adopted; supervise warns, starts afresh, and leaves the
# other process alone.  xstatus offsets as in doc/formats.md.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/supervise-lib.sh"

# printf-able octal escapes of a 32- and a 64-bit little-endian number
le() { n=$1 k=0; while [ $k -lt "$2" ]; do printf '\\%03o' $((n & 255)); n=$((n >> 8)); k=$((k + 1)); done; }
# patch FILE OFFSET PRINTF-STRING: overwrite bytes in place
patch() { printf "$3" | dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null; }
# name PID: make xstatus FILE name PID (its start time too), state run
name() { patch "$1" 32 "$(le "$2" 4)"; patch "$1" 48 "$(le "$(t_starttime "$2")" 8)"; patch "$1" 5 '\001'; }
size() { stat -c %s "$1"; }
stop() { ctl "$1" dx; wait_for 5000 dead "$svpid"; ok $? "$2: supervise exits"; }
# fresh DIR OLDPID WHAT: the supervise on DIR started its own run, not OLDPID
fresh() {
  wait_for 5000 is_up "$1"
  p=$(svc_pid "$1"); [ -n "$p" ] && [ "$p" != 0 ] && track "$p"
  [ "$p" != "$2" ] && [ "$p" != 0 ]; ok $? "$3: not adopted, a run of its own started (pid $p, not $2)"
  grep -q "not adopting" "$1.err"; ok $? "$3: a warning says so" || sed 's/^/# /' "$1.err"
  is "$(grep -c "not adopting" "$1.err")" 1 "$3: one warning"
}

# ---- the original --------------------------------------------------------------
A=$T/a
mkservice "$A" 'echo $$ >> starts; exec sleep 1000'
sv_start "$A"; sva=$svpid
wait_for 5000 is_up "$A"
pa=$(svc_pid "$A"); track "$pa"
is "$(size "$A/supervise/xstatus")" 96 "xstatus is 96 bytes (version 2)"
is "$(xs_u8 "$A/supervise/xstatus" 4)" 2 "version byte 2"
is "$(od -An -tu8 --endian=little -j 64 -N8 "$A/supervise/xstatus" | tr -d ' ') $(od -An -tu8 --endian=little -j 72 -N8 "$A/supervise/xstatus" | tr -d ' ')" \
  "$(stat -c '%d %i' "$A")" "bytes 64..79: the service directory's device and inode"
is "$(od -An -tx1 -j 80 -N16 "$A/supervise/xstatus" | tr -d ' \n')" "$(tr -d '\n-' < /proc/sys/kernel/random/boot_id)" \
  "bytes 80..95: the boot id"

# ---- cp -r of a running service: two supervise on the two directories -----------
B=$T/b
cp -r "$A" "$B"; rm -f "$B/starts"
sv_start "$B"; svb=$svpid
fresh "$B" "$pa" "a copy of a running service"
test -s "$B/starts"; ok $? "the copy's own run started"
pb=$(svc_pid "$B")
ctl "$B" d
wait_for 5000 is_down "$B"; ok $? "svc -d on the copy: the copy goes down"
dead "$pb"; ok $? "the copy's own run is gone"
alive "$pa"; ok $? "the original still runs"
is "$(svc_pid "$A")" "$pa" "the original's status still names it"
svpid=$svb; stop "$B" copy
alive "$pa"; ok $? "the copy's supervise exits, the original still runs"

# ---- a record that names a process a live supervise manages ----------------------
# the original's record, given the copy's identity: the process passes the
# directory, boot and session checks, but its parent is the live supervise
# that wrote the record
cp "$A/supervise/xstatus" "$B/supervise/xstatus"
set -- $(stat -c '%d %i' "$B")
patch "$B/supervise/xstatus" 64 "$(le "$1" 8)$(le "$2" 8)"
: > "$B.err"
sv_start "$B"
fresh "$B" "$pa" "a process whose own supervise still runs"
grep -q "pid $sva" "$B.err"; ok $? "the warning names that supervise (pid $sva)" || sed 's/^/# /' "$B.err"
stop "$B" managed
alive "$pa"; ok $? "the original was left alone"

# ---- kept across a reboot: another boot id --------------------------------------
kill -KILL "$sva"; wait_for 5000 dead "$sva"
patch "$A/supervise/xstatus" 80 '\377\377\377\377'
: > "$A.err"
sv_start "$A"
fresh "$A" "$pa" "a record from another boot"
grep -q "another boot" "$A.err"; ok $? "the warning gives the reason" || sed 's/^/# /' "$A.err"
ctl "$A" d; wait_for 5000 is_down "$A"
alive "$pa"; ok $? "svc -d does not reach the process the stale record named"
stop "$A" "another boot"

# ---- forged records naming an unrelated process of the test's own ----------------
# (A's supervise/ is now this boot's and this directory's; each case starts
# from a copy of that genuine record)
cp "$A/supervise/xstatus" "$T/genuine"
spawn sleep 1000; z=$spawn_pid                     # not a session leader
setsid sleep 1000 & zs=$!; track "$zs"             # a session leader
wait_for 5000 sh -c '[ "$(cut -d" " -f6 /proc/$1/stat)" = "$1" ]' sh "$zs"

forged() { # forged WHAT: supervise on A with the xstatus planted there
  : > "$A.err"
  sv_start "$A"
  fresh "$A" "$2" "$1"
  stop "$A" "$1"
  alive "$2"; ok $? "$1: the named process ($2) was left alone"
}
cp "$T/genuine" "$A/supervise/xstatus"; name "$A/supervise/xstatus" "$z"
forged "forged: not a session leader" "$z"
cp "$T/genuine" "$A/supervise/xstatus"; name "$A/supervise/xstatus" "$zs"
patch "$A/supervise/xstatus" 72 '\001\002\003\004'
forged "forged: another directory's identity" "$zs"
# what svkit 1 wrote (64 bytes, version 1): it cannot tell where it comes from
head -c 60 "$T/genuine" > "$A/supervise/xstatus"; printf '\000\000\000\000' >> "$A/supervise/xstatus"
patch "$A/supervise/xstatus" 4 '\001'; name "$A/supervise/xstatus" "$zs"
is "$(size "$A/supervise/xstatus")" 64 "an old (version 1) record"
forged "version 1 record" "$zs"
if is_root && id nobody >/dev/null 2>&1; then
  cp "$T/genuine" "$A/supervise/xstatus"; name "$A/supervise/xstatus" "$zs"
  chown nobody "$A/supervise/xstatus"
  : > "$A.err"
  sv_start "$A"
  wait_for 5000 is_up "$A"
  p=$(svc_pid "$A"); track "$p"
  [ "$p" != "$zs" ]; ok $? "xstatus of another user: not adopted"
  stop "$A" "another user's xstatus"
  alive "$zs"; ok $? "another user's xstatus: the named process was left alone"
else
  skip "needs root and a user nobody"; skip "same"; skip "same"
fi

# ---- the genuine case still adopts ----------------------------------------------
: > "$A.err"
sv_start "$A"
wait_for 5000 is_up "$A"
p=$(svc_pid "$A"); track "$p"
kill -KILL "$svpid"; wait_for 5000 dead "$svpid"
sv_start "$A"
is "$(svc_pid "$A")" "$p" "this directory's own orphan is still adopted"
grep -q "not adopting" "$A.err"; ok $((! $?)) "without a warning about it"
stop "$A" genuine
done_testing
