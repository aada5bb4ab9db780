#!/bin/sh
# svc writes exactly the control bytes given, in order, to each DIR; checked
# with a stand-in that reads supervise/control (no real supervise needed).
. "$(dirname "$0")/lib.sh"
. "$TESTS/svc-lib.sh"
plan 8

# reader DIR N: hold DIR/supervise/control open and copy its first N bytes to DIR/got
reader() {
  mkdir -p "$1/supervise"
  [ -p "$1/supervise/control" ] || mkfifo "$1/supervise/control"
  rm -f "$1/got" "$1/open"
  spawn sh -c 'exec 3<>"$1/supervise/control"; : > "$1/open"; exec head -c "$2" <&3 > "$1/got"' sh "$1" "$2"
  rpid=$spawn_pid
  wait_for 5000 test -e "$1/open"
}
got() { wait_for 5000 dead "$rpid"; cat "$1/got"; }

A=$T/a; B=$T/b
reader "$A" 18
"$BIN/svc" -udoOxrpchaitkq12yb "$A"; is $? 0 "svc with every command letter"
is "$(got "$A")" "udoOxrpchaitkq12yb" "every byte, in the order given"
reader "$A" 4
"$BIN/svc" -t -h -d -x "$A"; is $? 0 "separate options"
is "$(got "$A")" "thdx" "in command-line order"
reader "$A" 2; ra=$rpid
reader "$B" 2; rb=$rpid
"$BIN/svc" -dx "$A" "$B"; is $? 0 "two DIRs"
rpid=$ra; is "$(got "$A")" "dx" "first DIR got the bytes"
rpid=$rb; is "$(got "$B")" "dx" "second DIR got the bytes"

# one write(2) per DIR, so a supervise never sees half a command list
if have strace; then
  reader "$A" 3
  strace -f -e trace=write -o "$T/strace" "$BIN/svc" -d -u -x "$A" >/dev/null 2>&1
  is "$(grep -Eo 'write\([0-9]+, "(d|du|dux|u|ux|x)"' "$T/strace" | sed 's/.*, //')" '"dux"' "one write for three bytes"
else
  skip "strace is not installed"
fi
