#!/bin/sh
# supervise as root binds port 80 from the listen file; run drops to nobody
# with setuidgid before exec'ing the server, which then serves port 80
# without root or CAP_NET_BIND_SERVICE.
. "$(dirname "$0")/lib.sh"
. "$TESTS/supervise-lib.sh"
. "$TESTS/listen-lib.sh"
is_root || skip_all "not root"
[ -x /usr/bin/python3 ] || skip_all "no /usr/bin/python3 (a python3 that nobody can run)"
id nobody >/dev/null 2>&1 || skip_all "no account nobody"
have ss || skip_all "no ss to see whether port 80 is free"
[ -z "$(ss -Htln 'sport = :80')" ] || skip_all "port 80 is in use on this machine"
bin_for_nobody || bail "cannot make $BIN reachable for nobody"

cp "$LS/server.py" "$T/server.py" && chmod 644 "$T/server.py"
mkservice "$T/s" "exec '$BIN/setuidgid' nobody /usr/bin/python3 '$T/server.py'"
echo "tcp:127.0.0.1:80" > "$T/s/listen"
sv_start "$T/s"
wait_for 20000 answers tcp:127.0.0.1:80; ok $? "the server answers on port 80"
pid=$(svc_pid "$T/s")
uid=$(awk '/^Uid:/ { print $2, $3, $4, $5 }' "/proc/$pid/status")
n=$(id -u nobody)
is "$uid" "$n $n $n $n" "the server runs as nobody (real, effective, saved, fs uid)"
cap=$(awk '/^CapEff:/ { print $2 }' "/proc/$pid/status")
is "$cap" 0000000000000000 "with no capability at all"
"$BIN/svc" -t "$T/s"
newpid() { p=$(svc_pid "$T/s"); [ "$p" != "$pid" ] && [ "$p" != 0 ]; }
wait_for 20000 newpid; ok $? "svc -t restarts it"
wait_for 20000 answers tcp:127.0.0.1:80; ok $? "and the new server, as nobody, serves port 80 again"
"$BIN/svc" -dx "$T/s"; wait_for 20000 dead "$svpid"; ok $? "supervise exits"
refused tcp:127.0.0.1:80; ok $? "port 80 is closed"
done_testing
