#!/bin/sh
# A daemontools-style run-script chain, all links svkit's, then all links
# daemontools': same effect.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/chain-lib.sh"
bin_for_nobody

mkdir "$T/env"
printf 'bar\n' > "$T/env/FOO"
: > "$T/env/GONE"
: > "$T/lk"; chmod 666 "$T/lk"   # setlock runs as nobody when root
probe='echo "FOO=$FOO GONE=${GONE-unset} UID=$UID"; id -u; ulimit -n; ps -o pid=,sid= -p $$ | awk "{ print (\$1 == \$2) }"; ls -l /proc/$$/fd | grep -c lk'
chain() { # chain BINDIR: the chain, as a run script would write it
  d=$1
  if is_root; then set -- "$d/setuidgid" nobody; else set --; fi
  env GONE=x "$d/envdir" "$T/env" "$d/envuidgid" nobody "$@" "$d/softlimit" -o 77 \
    "$d/setlock" "$T/lk" "$d/fghack" "$d/pgrphack" sh -c "$probe"
}
run chain "$BIN"
uid=$(id -u); is_root && uid=$(id -u nobody)
is "$out" "FOO=bar GONE=unset UID=$(id -u nobody)
$uid
77
1
1" "envdir, envuidgid, setuidgid, softlimit, setlock, fghack, pgrphack chained"
is "$rc" 0 "the chain exits 0"
if have_dt envdir && have_dt setlock && have_dt fghack; then
  a=$out
  run chain "$DT"
  is "$a" "$out" "same effect as the daemontools chain"
else skip "no daemontools"; fi
done_testing
