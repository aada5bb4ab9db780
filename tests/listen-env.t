#!/bin/sh
# What run, finish and the logger get from the listen file: run gets the
# sockets as fds 3.. with LISTEN_FDS, LISTEN_FDNAMES and LISTEN_PID, which
# is still its pid after envdir, softlimit and setuidgid (as root) exec'd;
# finish and the logger (under svscan) get neither the fds nor the
# variables; LISTEN_* inherited by supervise never reach run.
. "$(dirname "$0")/lib.sh"
. "$TESTS/supervise-lib.sh"
. "$TESTS/listen-lib.sh"
for p in svscan envdir softlimit setuidgid svstat; do
  [ -x "$BIN/$p" ] || skip_all "$p is not built in $BIN"
done
bin_for_nobody || bail "cannot make $BIN reachable for nobody"

P=$(free_port)
S=$T/scan
a=$S/a
mkdir -p "$a/env" "$a/log" "$a/out"
chmod 777 "$a/out"
echo bar > "$a/env/FOO"
printf 'tcp:127.0.0.1:%s\nunix:a.sock name=web\n' "$P" > "$a/listen"
if is_root; then drop="setuidgid nobody"; else drop=; fi
cat > "$a/run" <<EOR
#!/bin/sh
exec envdir ./env softlimit -o 1000 $drop sh -c 'echo "\$\$ \${LISTEN_PID:-} \${LISTEN_FDS:-} \${LISTEN_FDNAMES:-} \${FOO:-} \$(id -u)" > out/run.env.new
  ls -l /proc/\$\$/fd > out/run.fd
  mv out/run.env.new out/run.env
  exec sleep 600'
EOR
cat > "$a/finish" <<'EOR'
#!/bin/sh
env > out/finish.env
ls -l /proc/$$/fd > out/finish.fd.new
mv out/finish.fd.new out/finish.fd
EOR
cat > "$a/log/run" <<'EOR'
#!/bin/sh
env > ../out/log.env
ls -l /proc/$$/fd > ../out/log.fd.new
mv ../out/log.fd.new ../out/log.fd
exec cat > /dev/null
EOR
chmod 755 "$a/run" "$a/finish" "$a/log/run"
spawn env PATH="$BIN:$PATH" "$BIN/svscan" "$S" >"$T/svscan.out" 2>&1
svscan_pid=$spawn_pid

wait_for 20000 test -s "$a/out/run.env"; ok $? "run ran through envdir, softlimit${drop:+ and setuidgid}"
set -- $(cat "$a/out/run.env")
pid=$(svc_pid "$a")
is "$2" "$1" "LISTEN_PID ($2) is the pid of the program run exec'd into ($1)"
is "$2" "$pid" "and the pid supervise reports"
is "$3" 2 "LISTEN_FDS=2"
is "$4" "tcp_127.0.0.1_$P:web" "LISTEN_FDNAMES: the address (':' as '_'), then the name given"
is "$5" bar "envdir's variable is there too"
if is_root; then is "$6" "$(id -u nobody)" "setuidgid nobody took effect"; else skip "not root: no setuidgid"; fi
grep -q ' 3 -> socket:' "$a/out/run.fd" && grep -q ' 4 -> socket:' "$a/out/run.fd"
ok $? "fds 3 and 4 of run are sockets"
is "$(grep -c 'socket:' "$a/out/run.fd")" 2 "and run has no other socket"

wait_for 20000 test -s "$a/out/log.fd"; ok $? "the logger ran"
is "$(grep -c 'socket:' "$a/out/log.fd")" 0 "the logger has no socket fd"
is "$(grep -c '^LISTEN_' "$a/out/log.env")" 0 "the logger has no LISTEN_ variable"

"$BIN/svc" -t "$a"
wait_for 20000 test -s "$a/out/finish.fd"; ok $? "finish ran after svc -t"
is "$(grep -c 'socket:' "$a/out/finish.fd")" 0 "finish has no socket fd"
is "$(grep -c '^LISTEN_' "$a/out/finish.env")" 0 "finish has no LISTEN_ variable"
kill -TERM "$svscan_pid"; wait_for 30000 dead "$svscan_pid"; ok $? "svscan stops"

# LISTEN_* in supervise's own environment: run gets ours only
b=$T/b
mkdir -p "$b"
echo "tcp:127.0.0.1:$P" > "$b/listen"
printf '#!/bin/sh\nenv | grep ^LISTEN_ | sort > env.new\nmv env.new env\nexec sleep 600\n' > "$b/run"
chmod 755 "$b/run"
svpid=
sv_t0=$(now_ms)
LISTEN_FDS=7 LISTEN_PID=1 LISTEN_FDNAMES=stale "$BIN/supervise" "$b" 2>>"$b.err" &
svpid=$!; track "$svpid"
wait_for 20000 test -s "$b/env"; ok $? "run started under a supervise that had LISTEN_* itself"
is "$(grep -c . "$b/env")" 3 "run has each variable once"
is "$(sed -n 's/^LISTEN_FDS=//p' "$b/env")" 1 "its LISTEN_FDS is supervise's: 1"
is "$(sed -n 's/^LISTEN_FDNAMES=//p' "$b/env")" "tcp_127.0.0.1_$P" "and LISTEN_FDNAMES"
"$BIN/svc" -dx "$b"; wait_for 20000 dead "$svpid"
done_testing
