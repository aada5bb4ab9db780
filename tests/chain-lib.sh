# Helpers for the chain-* tests (daemontools set).  Source after lib.sh.
#
# DT is where daemontools' programs are (default /usr/bin); a test comparing
# with daemontools skips when $DT/PROG is not there.
: "${DT:=/usr/bin}"
have_dt() { [ -x "$DT/$1" ] && [ "$DT/$1" != "$BIN/$1" ]; }

# run CMD...: runs CMD; $rc, $out (stdout), $err (stderr).
run() {
  "$@" >"$T/run.out" 2>"$T/run.err"; rc=$?
  out=$(cat "$T/run.out"); err=$(cat "$T/run.err")
}

# same_as_dt DESC PROG ARGS...: run daemontools' PROG and ours the same way;
# check equal stdout and exit code (2 tests; skipped without daemontools).
# An argument "@P" stands for the program (to run it under a wrapper, e.g.
# "env -i @P args"); without one, the program comes first.
same_as_dt() {
  sad_desc=$1; sad_p=$2; shift 2
  if ! have_dt "$sad_p"; then skip "no daemontools $sad_p"; skip "no daemontools $sad_p"; return 0; fi
  sad_run "$DT/$sad_p" "$@"; sad_rc=$rc; sad_out=$out
  sad_run "$BIN/$sad_p" "$@"
  is "$out" "$sad_out" "$sad_p $sad_desc: same output as daemontools"
  is "$rc" "$sad_rc" "$sad_p $sad_desc: same exit code as daemontools ($sad_rc)"
}
sad_run() {
  sr_p=$1; shift
  sr_has=0
  for sr_a; do [ "$sr_a" = @P ] && sr_has=1; done
  if [ $sr_has = 0 ]; then run "$sr_p" "$@"; return; fi
  sr_n=$#
  while [ "$sr_n" -gt 0 ]; do
    sr_a=$1; shift; [ "$sr_a" = @P ] && sr_a=$sr_p
    set -- "$@" "$sr_a"; sr_n=$((sr_n-1))
  done
  run "$@"
}

# like PATTERN STRING DESC
like() {
  case "$2" in
    *$1*) ok 0 "$3" ;;
    *) ok 1 "$3"; printf '#   got:      %s\n#   expected: *%s*\n' "$2" "$1" ;;
  esac
}
