# Helpers for the client tests (svc-*, svstat-*, svok-*, interop-*).
# Source after lib.sh.

# start_sup KIND DIR: run a supervisor of KIND (svkit, daemontools, runit)
# on DIR, owned by this test; waits until it answers on supervise/ok and
# has written its status.  Returns non-zero if it does not come up.
start_sup() {
  case $1 in
    svkit) spawn "$BIN/supervise" "$2" ;;
    daemontools) spawn /usr/bin/supervise "$2" ;;
    runit) spawn /usr/bin/runsv "$2" ;;
  esac
  sup_pid=$spawn_pid
  wait_for 10000 "$BIN/svok" "$2" && wait_for 10000 test -s "$2/supervise/status"
}

# fake_sup DIR: a "supervise" that only holds supervise/ok open, so that
# svstat reads whatever status files the test writes.
fake_sup() {
  mkdir -p "$1/supervise"
  [ -p "$1/supervise/ok" ] || mkfifo "$1/supervise/ok"
  spawn sh -c 'exec 3<>"$1"; exec sleep 100000' sh "$1/supervise/ok"
  wait_for 5000 "$BIN/svok" "$1"
}

# field DIR NAME: one -o field of svstat.
field() { "$BIN/svstat" -o "$2" "$1" 2>/dev/null; }
# is_field DIR NAME VALUE: succeeds when the field has that value.
is_field() { [ "$(field "$1" "$2")" = "$3" ]; }

# track_service DIR: make sure the service process of DIR is killed at exit
# even if its supervise is gone.
track_service() {
  ts_pid=$(field "$1" pid)
  [ -n "$ts_pid" ] && [ "$ts_pid" != -1 ] && track "$ts_pid"
}

# secs: replace the numbers of seconds in svstat lines by N.
secs() { sed -e 's/[0-9][0-9]* seconds/N seconds/g'; }

# printf-able octal escapes of a 32-bit little-endian number.
le32() {
  printf '\\%03o\\%03o\\%03o\\%03o' $(($1 & 255)) $((($1 >> 8) & 255)) $((($1 >> 16) & 255)) $((($1 >> 24) & 255))
}
# TAI64N label of Unix time SEC (daemontools convention, nsec 0).
tai() {
  s=$(($1 + 10))
  printf '\\100\\000\\000\\000%s\\000\\000\\000\\000' "$(printf '\\%03o\\%03o\\%03o\\%03o' $((($s >> 24) & 255)) $((($s >> 16) & 255)) $((($s >> 8) & 255)) $(($s & 255)))"
}
# write_xstatus FILE STATE WANT FLAGS STAMP READYSTAMP PID EXITCODE EXITSIG STARTS
# (svkit xstatus, see doc/formats.md; FLAGS a number)
write_xstatus() {
  printf "svkx\\001\\$(printf %03o "$2")$3\\$(printf %03o "$4")$(tai "$5")$(tai "$6")$(le32 "$7")$(le32 "$8")$(le32 "$9")$(le32 "${10}")\\000\\000\\000\\000\\000\\000\\000\\000$(le32 4242)\\000\\000\\000\\000" > "$1"
}
