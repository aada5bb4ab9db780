#!/bin/sh
# service-examples/container: the image's layout (/service with hello-web,
# its logger and an essential file; /etc/svkit/init.d; /entrypoint) run
# without Docker: a new PID namespace stands in for the container
# (`unshare -p -f --mount-proc entrypoint`, root only), with SVSCAN_DIR and
# SVKIT_INIT_DIR pointing at copies of /service and /etc/svkit/init.d.
. "$(dirname "$0")/lib.sh"
. "$TESTS/examples-lib.sh"
need svscan supervise svstat svc svok multilog envdir
C=$EX/container

# The Dockerfile (static checks: docker is not available to run it).
D=$C/Dockerfile
grep -q '^ENTRYPOINT \["/entrypoint"\]' "$D"; ok $? "Dockerfile: ENTRYPOINT is /entrypoint"
srcs=$(sed -n 's/^COPY \(--from=[^ ]* \)\{0,1\}\([^ ]*\) .*/\1\2/p' "$D" | grep -v '^--from=' | grep -v '^\.$')
r=0
for s in $srcs; do [ -e "$REPO/$s" ] || { r=1; diag "COPY source missing: $s"; }; done
[ -n "$srcs" ]; ok $(($? | r)) "Dockerfile: every COPY source exists in the tree ($(echo $srcs))"
is "$(grep -c '^FROM debian:bookworm-slim' "$D")" 2 "Dockerfile: two stages, both on debian:bookworm-slim"
grep -q '^FROM debian:bookworm-slim AS build' "$D" && grep -q '^COPY --from=build /out/usr/local/bin/ /usr/local/bin/' "$D"
ok $? "Dockerfile: the runtime stage copies bin/ from the build stage"
grep -q 'make install PREFIX=/usr/local DESTDIR=/out' "$D"; ok $? "Dockerfile: installs with make install DESTDIR"
grep -q 'touch /service/hello-web/essential' "$D"; ok $? "Dockerfile: hello-web is essential"
grep -q '^COPY service-examples/container/init.d /etc/svkit/init.d' "$D"; ok $? "Dockerfile: init scripts in /etc/svkit/init.d"
grep -q '"svok", "/service/hello-web"' "$C/pod.yaml" && grep -q 'svstat -o ready /service/hello-web' "$C/pod.yaml"
ok $? "pod.yaml: svok liveness and svstat -o ready readiness probes"
[ -x "$C/entrypoint" ]; ok $? "entrypoint is executable"
out=$(env SVSCAN_DIR="$T/nonexistent" "$C/entrypoint" 2>&1); r=$?
is "$r" 100 "entrypoint refuses a missing scan directory (exit 100)"

is_root || skip_rest "not root: cannot make a PID namespace"
have unshare || skip_rest "unshare is not installed"
unshare -p -f --mount-proc true 2>/dev/null || skip_rest "unshare -p -f --mount-proc does not work here"

# the image: /service/hello-web (+ essential), /etc/svkit/init.d
INITD=$T/etc/svkit/init.d
mkdir -p "$INITD"
cp "$C"/init.d/* "$INITD/"
ex_copy hello-web
touch "$SCAN/hello-web/essential"
P=$(free_port)
# a second init script, to see the order; and a service that leaves an
# orphan behind: PID 1 must reap it
printf '#!/bin/sh\necho "20-order: PORT file says $(cat "$SVSCAN_DIR/hello-web/env/PORT")" >> %s/init.log\n' "$T" > "$INITD/20-order"
chmod 755 "$INITD/20-order"
mkservice "$SCAN/orphans" 'sh -c "(sleep 0.2; echo done > ./orphan.done) & exit 0"
exec sleep 2147483647'

# container: `docker run IMAGE` with CMD -k 20 and -e PORT
start_container() {
  spawn env PATH="$BIN:$PATH" SVSCAN_DIR="$SCAN" SVKIT_INIT_DIR="$INITD" PORT="$1" \
    unshare -p -f --mount-proc --kill-child "$C/entrypoint" -k 20 2>"$T/entry.err"
  u_pid=$spawn_pid
}
child() { ps -o pid= --ppid "$u_pid" 2>/dev/null | tr -d ' '; }
has_child() { [ -n "$(child)" ]; }
comm_is() { [ "$(cat "/proc/$1/comm" 2>/dev/null)" = "$2" ]; }
descendants() {
  ps -eo pid=,ppid=,stat= | awk -v root="$1" -v want="${2:-}" '
    { kid[$2] = kid[$2] " " $1; st[$1] = $3 }
    END { todo = root; while (todo != "") { n = split(todo, a, " "); todo = "";
            for (i = 1; i <= n; i++) { m = split(kid[a[i]], b, " ");
              for (j = 1; j <= m; j++) { if (want == "" || st[b[j]] ~ want) print b[j]; todo = todo " " b[j] } } } }'
}

# 1. an init script fails: the container exits with its code, no service runs
start_container "not-a-port"
wait_for 20000 exited "$u_pid"; ok $? "PORT=not-a-port: the container stops at once"
wait "$u_pid"; is "$?" 64 "with 10-port's exit code, 64"
grep -q '10-port: fatal: PORT=not-a-port is not a port number' "$T/entry.err"; ok $? "10-port says why"
grep -q 'entrypoint: fatal: .*10-port exited 64; no service started' "$T/entry.err"; ok $? "the entrypoint says so"
[ ! -e "$T/init.log" ]; ok $? "the later init script did not run"
[ ! -e "$SCAN/hello-web/supervise" ] && [ ! -e "$SCAN/orphans/supervise" ]; ok $? "no service was started"

# 2. the init scripts succeed, in order; svscan is PID 1
start_container "$P"
wait_for 10000 has_child
init=$(child)
[ -n "$init" ]; ok $? "the container's init started (host pid $init)"
nspid=$(sed -n 's/^NSpid:.*[[:space:]]\([0-9]*\)$/\1/p' "/proc/$init/status" 2>/dev/null)
is "$nspid" 1 "it is PID 1 in its namespace"
wait_for 5000 comm_is "$init" svscan; ok $? "PID 1 is svscan (the entrypoint exec'd it after the init scripts)"
is "$(cat "$T/init.log" 2>/dev/null)" "20-order: PORT file says $P" "init.d ran in order: 10-port wrote PORT before 20-order read it"
wait_for 10000 svstat_up "$SCAN/hello-web"; ok $? "hello-web is up inside"
wait_for 10000 says_hello "$P"; ok $? "hello-web answers on port $P"
"$BIN/svok" "$SCAN/hello-web"; ok $? "liveness probe: svok exits 0"
ready() { [ "$("$BIN/svstat" -o ready "$SCAN/hello-web")" = true ]; }
wait_for 10000 ready; ok $? "readiness probe: svstat -o ready says true"
reaped() { [ -s "$SCAN/orphans/orphan.done" ] && [ -z "$(descendants "$init" '^Z')" ]; }
wait_for 10000 reaped; ok $? "the orphan was reaped: no zombie in the container"
grep -q 'not PID 1' "$T/entry.err"; ok $((! $?)) "the entrypoint did not say it is not PID 1"

# docker stop: SIGTERM to PID 1.
all=$(descendants "$init")
kill -TERM "$init"
wait_for 20000 exited "$u_pid"; ok $? "docker stop (TERM to PID 1): the container exits"
wait "$u_pid"; is "$?" 0 "with exit code 0"
wait_for 5000 grep -q 'SIGTERM, exiting' "$SCAN/hello-web/log/main/current"
ok $? "hello-web was stopped with TERM and its last line reached the log"
gone() { for p in $all; do alive "$p" && ! dead "$p" && return 1; done; return 0; }
n=$(echo $all | wc -w)
[ "$n" -ge 4 ] && wait_for 5000 gone; ok $? "nothing of the container is left ($n processes were in it)"

# 3. the essential app stops for good (svc -d; it answers TERM with exit 0):
#    everything stops and the container exits with the app's code
rm -f "$T/init.log" "$SCAN/orphans/orphan.done"
start_container "$P"
wait_for 10000 has_child
wait_for 10000 svstat_up "$SCAN/hello-web" && wait_for 10000 says_hello "$P"; ok $? "a new container: hello-web answers"
wait_for 10000 svstat_up "$SCAN/orphans"
lines=$(grep -c 'SIGTERM, exiting' "$SCAN/hello-web/log/main/current")
"$BIN/svc" -d "$SCAN/hello-web"
wait_for 20000 exited "$u_pid"; ok $? "svc -d hello-web (essential): the container stops"
wait "$u_pid"; is "$?" 0 "with hello-web's exit code, 0"
is "$(grep -c 'SIGTERM, exiting' "$SCAN/hello-web/log/main/current")" $((lines + 1)) "hello-web's last line reached its log"
done_testing
