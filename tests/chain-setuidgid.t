#!/bin/sh
# setuidgid and envuidgid: accounts, groups, environment, exit codes.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/chain-lib.sh"

# usage and unknown accounts (any user)
run "$BIN/setuidgid"; is "$rc" 100 "setuidgid without arguments: usage, 100"
run "$BIN/setuidgid" nobody; is "$rc" 100 "setuidgid without a program: usage, 100"
run "$BIN/setuidgid" no-such-account-xyz true
is "$rc" 111 "setuidgid: unknown account exits 111"
like "no-such-account-xyz" "$err" "setuidgid: the message names the account"
same_as_dt "unknown account" setuidgid no-such-account-xyz true
run "$BIN/envuidgid"; is "$rc" 100 "envuidgid without arguments: usage, 100"
run "$BIN/envuidgid" no-such-account-xyz true
is "$rc" 111 "envuidgid: unknown account exits 111"
like "no-such-account-xyz" "$err" "envuidgid: the message names the account"
same_as_dt "unknown account" envuidgid no-such-account-xyz true

# envuidgid: UID and GID, nothing else (no GIDLIST, as daemontools)
run "$BIN/envuidgid" nobody env
is "$(printf '%s\n' "$out" | grep -E '^(UID|GID|GIDLIST)=' | sort | tr '\n' ' ')" \
  "GID=$(id -g nobody) UID=$(id -u nobody) " "envuidgid sets UID and GID of the account"
is "$rc" 0 "envuidgid: exit code of the program"
run env -i PATH="$PATH" "$BIN/envuidgid" nobody env
is "$(printf '%s\n' "$out" | grep -Ev '^(PATH|UID|GID)=' | wc -l | tr -d ' ')" 0 "envuidgid adds no other variable"
if have_dt envuidgid; then
  run env -i PATH="$PATH" "$DT/envuidgid" nobody env; a=$(printf '%s\n' "$out" | sort)
  run env -i PATH="$PATH" "$BIN/envuidgid" nobody env; b=$(printf '%s\n' "$out" | sort)
  is "$b" "$a" "envuidgid: same environment as daemontools"
else skip "no daemontools envuidgid"; fi
run "$BIN/envuidgid" nobody sh -c 'exit 7'; is "$rc" 7 "envuidgid: exit code of the program is passed on"
run "$BIN/envuidgid" nobody "$T/no-such-program"
is "$rc" 111 "envuidgid: failed exec exits 111"
like "no-such-program" "$err" "envuidgid: failed exec names the program"

run "$BIN/setuidgid" nobody "$T/no-such-program"
if is_root; then
  is "$rc" 111 "setuidgid: failed exec exits 111"
  like "no-such-program" "$err" "setuidgid: failed exec names the program"
else
  is "$rc" 111 "setuidgid as non-root: cannot change ids, 111"
  skip "not root"
fi

if ! is_root; then
  for i in 1 2 3 4 5 6 7 8 9 10 11; do skip "setuidgid needs root"; done
  done_testing
fi

nuid=$(id -u nobody); ngid=$(id -g nobody)
run "$BIN/setuidgid" nobody id -u; is "$out" "$nuid" "setuidgid nobody: uid"
run "$BIN/setuidgid" nobody id -g; is "$out" "$ngid" "setuidgid nobody: gid"
run "$BIN/setuidgid" nobody id -G; is "$out" "$ngid" "setuidgid nobody: no supplementary group but the primary one"
same_as_dt "nobody: id" setuidgid nobody id
run "$BIN/setuidgid" nobody sh -c 'exit 9'; is "$rc" 9 "setuidgid: exit code of the program is passed on"
# as a non-root user, setuidgid cannot switch: 111, like daemontools
run "$BIN/setuidgid" nobody "$BIN/setuidgid" root true
is "$rc" 111 "setuidgid run by a non-root user exits 111"

# an account with supplementary groups, if the system has one
acct=$(getent group 2>/dev/null | awk -F: '$4 != "" { split($4, a, ","); print a[1]; exit }')
if [ -n "$acct" ] && id "$acct" >/dev/null 2>&1; then
  want=$(id -G "$acct" | tr ' ' '\n' | sort -n | tr '\n' ' ')
  run "$BIN/setuidgid" -s "$acct" id -G
  is "$(printf '%s' "$out" | tr ' ' '\n' | sort -n | tr '\n' ' ')" "$want" "setuidgid -s $acct: all the account's groups ($want)"
  run "$BIN/setuidgid" "$acct" id -G
  is "$out" "$(id -g "$acct")" "setuidgid $acct without -s: only the primary group"
else
  skip "no account with supplementary groups"; skip "no account with supplementary groups"
fi
done_testing
