#!/bin/sh
# envdir: one variable per file, compared with daemontools' envdir.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/chain-lib.sh"
bin_for_nobody

E=$T/env
mkdir "$E"
printf 'hello  \t \nsecond line\n' > "$E/TRIMMED"   # first line, trailing blanks cut
: > "$E/EMPTYFILE"                                  # 0 bytes: unset
printf '\n' > "$E/EMPTYLINE"                        # empty first line: set to ""
printf 'a\0b\0\n' > "$E/NULS"                       # NUL -> newline
printf 'no newline' > "$E/NONL"
printf '  leading kept' > "$E/LEAD"
printf 'x\0 \t\n' > "$E/NULTRAIL"
printf 'secret\n' > "$E/.hidden"                    # dot-files skipped
awk 'BEGIN { for (i = 0; i < 20000; i++) printf "y"; printf "\nz\n" }' > "$E/LONG"
printf 'new\n' > "$E/REPLACED"

envof() { env -i EMPTYFILE=was REPLACED=old KEPT=yes .hidden=no "$@"; }
# var NAME: the value of NAME under our envdir, "<unset>" if absent
var() {
  envof "$BIN/envdir" "$E" sh -c 'if [ -n "${'"$1"'+x}" ]; then printf "[%s]" "$'"$1"'"; else printf "<unset>"; fi'
}

run envof "$BIN/envdir" "$E" true
is "$rc" 0 "envdir runs the program"
is "$(var TRIMMED)" "[hello]" "first line, trailing spaces and tabs removed"
is "$(var EMPTYFILE)" "<unset>" "empty file unsets the variable"
is "$(var EMPTYLINE)" "[]" "a file holding an empty line sets an empty value"
is "$(var NULS)" "[a
b
]" "NUL bytes become newlines"
is "$(var NULTRAIL)" "[x
]" "blanks are trimmed before NULs become newlines"
is "$(var NONL)" "[no newline]" "a last line without newline is used"
is "$(var LEAD)" "[  leading kept]" "leading blanks are kept"
is "$(var REPLACED)" "[new]" "an existing variable is replaced"
is "$(var KEPT)" "[yes]" "other variables are left alone"
is "$(envof "$BIN/envdir" "$E" env | grep -c '^\.hidden=secret')" 0 "dot-files are skipped"
is "$(var LONG | wc -c | tr -d ' ')" 20002 "long first line read whole"

if have_dt envdir; then
  a=$(envof "$DT/envdir" "$E" env -0 | sort -z | od -c)
  b=$(envof "$BIN/envdir" "$E" env -0 | sort -z | od -c)
  is "$b" "$a" "same environment as daemontools envdir"
else skip "no daemontools envdir"; fi

# exit codes and messages
run "$BIN/envdir"; is "$rc" 100 "no arguments: usage, 100"
run "$BIN/envdir" "$E"; is "$rc" 100 "no program: usage, 100"
run "$BIN/envdir" "$T/nonexistent" true
is "$rc" 111 "missing directory: 111"
like "$T/nonexistent" "$err" "missing directory: message names it"
same_as_dt "missing directory" envdir "$T/nonexistent" true
run "$BIN/envdir" "$E" "$T/no-such-program"
is "$rc" 111 "failed exec: 111"
like "no-such-program" "$err" "failed exec: message names the program"
run "$BIN/envdir" "$E" sh -c 'exit 5'; is "$rc" 5 "exit code of the program is passed on"

mkdir "$T/env2"; printf 'v\n' > "$T/env2/OK"; mkdir "$T/env2/SUBDIR"
run "$BIN/envdir" "$T/env2" true
is "$rc" 111 "an unreadable entry (a directory): 111"
like "env2/SUBDIR" "$err" "the message names the file"
same_as_dt "unreadable entry" envdir "$T/env2" true

# a dangling symlink counts as an empty file: the variable is removed
mkdir "$T/env3"; ln -s "$T/nowhere" "$T/env3/DANGLING"
run env DANGLING=x "$BIN/envdir" "$T/env3" env
case "$out" in *DANGLING=*) ok 1 "dangling symlink unsets";; *) ok 0 "dangling symlink unsets";; esac

# a name with '=' cannot be a variable name
mkdir "$T/env4"; printf 'v\n' > "$T/env4/A=B"
run "$BIN/envdir" "$T/env4" true
is "$rc" 100 "file name with = is refused (100)"
like "A=B" "$err" "the message names the file"

if ! is_root; then
  mkdir "$T/env5"; printf 'v\n' > "$T/env5/LOCKED"; chmod 000 "$T/env5/LOCKED"
  run "$BIN/envdir" "$T/env5" true
  is "$rc" 111 "unreadable file: 111"
  like "LOCKED" "$err" "unreadable file: message names it"
elif have setpriv || [ -x "$BIN/setuidgid" ]; then
  mkdir "$T/env5"; printf 'v\n' > "$T/env5/LOCKED"; chmod 000 "$T/env5/LOCKED"
  run "$BIN/setuidgid" nobody "$BIN/envdir" "$T/env5" true
  is "$rc" 111 "unreadable file (as nobody): 111"
  like "env5/LOCKED" "$err" "unreadable file: message names it"
fi
# Bounded reads (issue 13, item 14): at most 131072 bytes of a first line,
# Linux's limit on one environment string; a longer one is refused (100),
# never read into memory without end.  Each run has a deadline (timeout 20)
# and an address-space bound far below what /dev/zero would eat (not under
# ASan, which reserves terabytes of address space for itself).
vlimit=100000; grep -q __asan_init "$BIN/envdir" && vlimit=unlimited
bounded() { timeout 20 sh -c 'ulimit -v "$0"; exec "$@"' "$vlimit" "$@"; }
mkdir "$T/env6"; ln -s /dev/zero "$T/env6/ZERO"
run bounded "$BIN/envdir" "$T/env6" true
is "$rc" 100 "a symlink to /dev/zero: refused, exit 100, within 20 s and 100 MB"
is "$err" "envdir: fatal: unable to read $T/env6/ZERO: first line longer than 131072 bytes" "the message names the file and the bound"
mkdir "$T/env7"; dd if=/dev/zero of="$T/env7/HUGE" bs=1M count=0 seek=4096 2>/dev/null
run bounded "$BIN/envdir" "$T/env7" true
is "$rc" 100 "a 4 GiB file without a newline: refused, exit 100"
mkdir "$T/env8"; printf 'short\n' > "$T/env8/BIGTAIL"; dd if=/dev/zero of="$T/env8/BIGTAIL" bs=1M count=0 seek=4096 2>/dev/null
run bounded "$BIN/envdir" "$T/env8" sh -c 'printf %s "$BIGTAIL"'
is "$rc:$out" "0:short" "a short first line in a 4 GiB file is read, the rest is not"
# the longest value the kernel passes for V: 131072 - "V=" - NUL
mkdir "$T/env9"; awk 'BEGIN { for (i = 0; i < 131069; i++) printf "v"; printf "\n" }' > "$T/env9/V"
run bounded "$BIN/envdir" "$T/env9" sh -c 'echo ${#V}'
is "$rc:$out" "0:131069" "a 131069-byte value (the most Linux passes as V=...) works"
mkdir "$T/env10"; awk 'BEGIN { for (i = 0; i < 131073; i++) printf "v"; printf "\n" }' > "$T/env10/V"
run bounded "$BIN/envdir" "$T/env10" true
is "$rc" 100 "a first line of 131073 bytes is refused (100)"
awk 'BEGIN { for (i = 0; i < 131072; i++) printf "v" }' > "$T/env10/V"
run bounded "$BIN/envdir" "$T/env10" true
is "$rc" 111 "131072 bytes without a newline are read; the kernel then refuses V=... (exec: 111)"
like "Argument list too long" "$err" "... and says so"
done_testing
