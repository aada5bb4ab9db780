#!/bin/sh
# Clients on hostile supervise/ directories (issue 13, items 9 and 10).
# svc never writes through a symlink or into a regular file planted as
# supervise/control; svok, svstat and svc never treat a planted supervise/ok
# as a supervise; svstat and svc -w never block on a FIFO planted as
# supervise/xstatus or supervise/status, and read a bounded amount; svc
# takes any number of DIRs (no stack array sized by argc).
. "$(dirname "$0")/lib.sh"
. "$TESTS/svc-lib.sh"

# prompt CMD...: run CMD with a 10 s deadline; rc and stderr in $rc, $err,
# stdout in $out.  A client that blocks shows as rc 124.
prompt() {
  out=$(timeout 10 "$@" 2>"$T/stderr"); rc=$?
  err=$(cat "$T/stderr")
}
printf 'precious\n' > "$T/victim.orig"

# ---- supervise/control: a symlink, a regular file ----------------------------
D=$T/d
fake_sup "$D" || bail "fake supervise on $D"
cp "$T/victim.orig" "$T/victim"
ln -s "$T/victim" "$D/supervise/control"
prompt "$BIN/svc" -dx "$D"
is "$rc" 111 "control is a symlink: svc exits 111"
is "$err" "svc: warning: $D: supervise/control is not a FIFO: nothing written" "the warning names the DIR"
cmp -s "$T/victim" "$T/victim.orig"; ok $? "the file the symlink points at is unchanged (as root)"
rm -f "$D/supervise/control"
cp "$T/victim.orig" "$D/supervise/control"
prompt "$BIN/svc" -u "$D"
is "$rc" 111 "control is a regular file: svc exits 111"
cmp -s "$D/supervise/control" "$T/victim.orig"; ok $? "nothing written into it"
rm -f "$D/supervise/control"

if is_root && have setpriv; then
  # the same as an ordinary user who may write to the file
  N=$T/n
  fake_sup "$N" || bail "fake supervise on $N"
  cp "$T/victim.orig" "$T/victim.n"
  ln -s "$T/victim.n" "$N/supervise/control"
  chown -R 65534:65534 "$N" "$T/victim.n"
  prompt setpriv --reuid=65534 --regid=65534 --clear-groups "$BIN/svc" -dx "$N"
  is "$rc" 111 "as non-root: a symlink as control, exit 111"
  cmp -s "$T/victim.n" "$T/victim.orig"; ok $? "as non-root: the target is unchanged"
else
  skip "needs root and setpriv to run svc as another user"; skip "idem"
fi

# ---- supervise/ok: a symlink or a regular file is not a supervise ------------
K=$T/k
mkdir -p "$K/supervise"
cp "$T/victim.orig" "$T/victim.k"
ln -s "$T/victim.k" "$K/supervise/ok"
prompt "$BIN/svok" "$K"
is "$rc" 111 "svok: a symlink as ok is an error (111), not a running supervise"
is "$err" "svok: fatal: $K: supervise/ok is not a FIFO" "svok names the DIR"
prompt "$BIN/svstat" "$K"
is "$rc:$out" "111:$K: supervise/ok is not a FIFO" "svstat says so, exit 111"
prompt "$BIN/svc" "$K"
is "$rc:$err" "111:svc: warning: $K: supervise/ok is not a FIFO" "svc DIR (no command) refuses it too"
cmp -s "$T/victim.k" "$T/victim.orig"; ok $? "the symlink's target is unchanged"

# ---- supervise/xstatus, supervise/status: FIFOs, symlinks ---------------------
X=$T/x
fake_sup "$X" || bail "fake supervise on $X"
mkfifo "$X/supervise/xstatus" "$X/supervise/control"
spawn sh -c 'exec 3<>"$1"; exec sleep 100000' sh "$X/supervise/control"
t0=$(now_ms)
prompt "$BIN/svstat" "$X"
is "$rc:$out" "111:$X: unable to read supervise/xstatus: not a regular file" "svstat: a FIFO as xstatus, no block, exit 111"
prompt "$BIN/svstat" -o up "$X"
is "$rc:$err" "111:svstat: warning: $X: unable to read supervise/xstatus: not a regular file" "svstat -o: the same as a warning"
prompt "$BIN/svstat" -j "$X"
is "$rc" 111 "svstat -j: exit 111"
prompt "$BIN/svc" -wu "$X"
is "$rc:$err" "111:svc: warning: $X: unable to read supervise/xstatus: not a regular file" "svc -wu: a FIFO as xstatus, no block, exit 111"
prompt "$BIN/svc" -u -wU -T 60000 "$X"
is "$rc" 111 "svc -u -wU -T 60000: exit 111 at once, not after the timeout"
ok $([ $(( $(now_ms) - t0 )) -lt 30000 ]; echo $?) "all of them returned promptly"

S=$T/s
fake_sup "$S" || bail "fake supervise on $S"
mkfifo "$S/supervise/status"
prompt "$BIN/svstat" "$S"
is "$rc:$out" "111:$S: unable to read supervise/status: not a regular file" "svstat: a FIFO as status (no xstatus), exit 111"
prompt "$BIN/svc" -wd "$S"
is "$rc:$err" "111:svc: warning: $S: unable to read supervise/status: not a regular file" "svc -wd: the same"

rm -f "$X/supervise/xstatus"
ln -s /dev/zero "$X/supervise/xstatus"
prompt "$BIN/svstat" "$X"
is "$rc:$out" "111:$X: unable to read supervise/xstatus: not a regular file" "svstat: a symlink as xstatus (to /dev/zero) is refused"
rm -f "$X/supervise/xstatus"
# a huge regular file: read with a bound
dd if=/dev/zero of="$X/supervise/xstatus" bs=1M count=0 seek=4096 2>/dev/null
# (no address-space bound under ASan, which reserves terabytes for itself)
vlimit=100000; grep -q __asan_init "$BIN/svstat" && vlimit=unlimited
prompt sh -c 'ulimit -v "$0"; exec "$@"' "$vlimit" "$BIN/svstat" "$X"
is "$rc" 111 "a 4 GiB sparse xstatus: exit 111 within 10 s and 100 MB"
case $out in *"file too long"*) ok 0 "it is too long";; *) ok 1 "it is too long"; diag "$out";; esac

# ---- 70,000 DIRs ------------------------------------------------------------------
# Names of at most 3 characters, so that 70,000 of them fit in the argument
# space (a quarter of the stack limit) of a 4 MiB stack, which an array of
# 70,000 DIR records on the stack overflows.
mkdir "$T/many"
# many ARGS...: exec ARGS followed by the 70,000 names, no shell in between
many() {
  (cd "$T/many" && ulimit -s 4096 && exec python3 -c '
import os, sys
c = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
def name(i):
    s = ""
    while True:
        s = c[i % 62] + s
        i //= 62
        if not i: return s
a = sys.argv[1:] + [name(i) for i in range(70000)]
os.execv(a[0], a)' "$@") 2>"$T/stderr"
}
if have python3; then
  many "$BIN/svc" -u; rc=$?
  is "$rc" 111 "svc -u with 70,000 DIRs that do not exist: exit 111, no crash"
  is "$(grep -c ': supervise not running$' "$T/stderr")" 70000 "one warning per DIR"
  is "$(tail -n 1 "$T/stderr")" "svc: warning: id1: supervise not running" "in order, to the last"
  many "$BIN/svc" -wd -T 1000; rc=$?
  is "$rc" 111 "svc -wd with 70,000 DIRs: exit 111, no crash"
  is "$(grep -c ': supervise not running$' "$T/stderr")" 70000 "one warning per DIR"
else
  skip "no python3 to exec with 70,000 arguments"; skip idem; skip idem; skip idem; skip idem
fi
done_testing
