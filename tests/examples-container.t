#!/bin/sh
# service-examples/container: the entrypoint runs svscan as PID 1.  docker
# cannot run here, so a PID namespace stands in for the container:
# `unshare -p -f --mount-proc entrypoint` (root only).
. "$(dirname "$0")/lib.sh"
. "$TESTS/examples-lib.sh"
need svscan supervise svstat multilog envdir
C=$EX/container

# The Dockerfile (static checks: docker is not available to run it).
grep -q '^ENTRYPOINT \["/entrypoint"\]' "$C/Dockerfile"; ok $? "Dockerfile: ENTRYPOINT is /entrypoint"
srcs=$(sed -n 's/^COPY \(--from=[^ ]* \)\{0,1\}\([^ ]*\) .*/\1\2/p' "$C/Dockerfile" | grep -v '^--from=' | grep -v '^\.$')
r=0
for s in $srcs; do [ -e "$REPO/$s" ] || { r=1; diag "COPY source missing: $s"; }; done
[ -n "$srcs" ]; ok $(($? | r)) "Dockerfile: every COPY source exists in the tree ($(echo $srcs))"
grep -q 'make install PREFIX=/usr/local DESTDIR=/out' "$C/Dockerfile"; ok $? "Dockerfile: installs with make install DESTDIR"
[ -x "$C/entrypoint" ]; ok $? "entrypoint is executable"
out=$(env SVSCAN_DIR="$T/nonexistent" "$C/entrypoint" 2>&1); r=$?
is "$r" 100 "entrypoint refuses a missing scan directory (exit 100)"

is_root || skip_rest "not root: cannot make a PID namespace"
have unshare || skip_rest "unshare is not installed"
unshare -p -f --mount-proc true 2>/dev/null || skip_rest "unshare -p -f --mount-proc does not work here"

P=$(free_port)
ex_copy hello-web
echo "$P" > "$SCAN/hello-web/env/PORT"
echo "tcp:0.0.0.0:$P" > "$SCAN/hello-web/listen"
# A service that leaves an orphan behind: PID 1 must reap it.
mkservice "$SCAN/orphans" 'sh -c "(sleep 0.2; echo done > ./orphan.done) & exit 0"
exec sleep 2147483647'
spawn env PATH="$BIN:$PATH" SVSCAN_DIR="$SCAN" unshare -p -f --mount-proc --kill-child "$C/entrypoint" 2>"$T/entry.err"
u_pid=$spawn_pid
child() { ps -o pid= --ppid "$u_pid" 2>/dev/null | tr -d ' '; }
wait_for 5000 sh -c "[ -n \"\$(ps -o pid= --ppid $u_pid)\" ]"
init=$(child)
[ -n "$init" ]; ok $? "the container's init started (host pid $init)"
nspid=$(sed -n 's/^NSpid:.*[[:space:]]\([0-9]*\)$/\1/p' "/proc/$init/status" 2>/dev/null)
is "$nspid" 1 "it is PID 1 in its namespace"
# unshare's child is unshare, then the entrypoint script, then svscan
comm_is() { [ "$(cat "/proc/$1/comm" 2>/dev/null)" = "$2" ]; }
wait_for 5000 comm_is "$init" svscan; ok $? "PID 1 is svscan (the entrypoint exec'd it)"

wait_for 10000 is_up "$SCAN/hello-web"; ok $? "hello-web is up inside"
wait_for 10000 says_hello "$P"; ok $? "hello-web answers on port $P"
descendants() {
  ps -eo pid=,ppid=,stat= | awk -v root="$1" -v want="${2:-}" '
    { kid[$2] = kid[$2] " " $1; st[$1] = $3 }
    END { todo = root; while (todo != "") { n = split(todo, a, " "); todo = "";
            for (i = 1; i <= n; i++) { m = split(kid[a[i]], b, " ");
              for (j = 1; j <= m; j++) { if (want == "" || st[b[j]] ~ want) print b[j]; todo = todo " " b[j] } } } }'
}
reaped() { [ -s "$SCAN/orphans/orphan.done" ] && [ -z "$(descendants "$init" '^Z')" ]; }
wait_for 10000 reaped; ok $? "the orphan was reaped: no zombie in the container"
grep -q 'not PID 1' "$T/entry.err"; ok $((! $?)) "the entrypoint did not warn about not being PID 1"

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
done_testing
