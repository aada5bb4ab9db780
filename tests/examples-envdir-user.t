#!/bin/sh
# service-examples/envdir-user: envdir ./env, setuidgid (as root), softlimit.
. "$(dirname "$0")/lib.sh"
. "$TESTS/examples-lib.sh"
need svscan supervise svstat multilog envdir setuidgid softlimit

ex_copy envdir-user
if is_root; then
  want_user=$(cat "$SCAN/envdir-user/env/SERVICE_USER")
  id "$want_user" >/dev/null 2>&1 || skip_all "root, but there is no account $want_user"
else
  want_user=$(id -un)
fi
ex_svscan
cd "$SCAN" || bail "no scan dir"
wait_for 10000 svstat_up envdir-user; ok $? "envdir-user is up"
wait_for 10000 grep -q 'envdir-user: running as' envdir-user/log/main/current
ok $? "it logged its report"
line=$(grep 'envdir-user: running as' envdir-user/log/main/current | head -n 1)
diag "$line"
case $line in *"running as $want_user (uid $(id -u "$want_user"))"*) r=0 ;; *) r=1 ;; esac
ok $r "runs as $want_user ($(is_root && echo 'setuidgid from root' || echo 'an ordinary user keeps its own account'))"
case $line in *"GREETING=$(cat envdir-user/env/GREETING),"*) r=0 ;; *) r=1 ;; esac
ok $r "envdir put env/GREETING into the environment"
case $line in *"open files limit 256") r=0 ;; *) r=1 ;; esac
ok $r "softlimit -o 256 set the open-files limit"
p=$(svpid envdir-user)
is "$([ -n "$p" ] && ps -o user= -p "$p" | tr -d ' ')" "$want_user" "the supervised process itself (pid $p) belongs to $want_user"
cd / || exit 1
stop_svscan "envdir-user"
done_testing
