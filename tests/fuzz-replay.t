#!/bin/sh
# Replays the fuzz corpus and the regression inputs (tests/fuzz/corpus/NAME,
# tests/fuzz/regress/NAME) through every fuzz target, built here WITHOUT
# libFuzzer: target + tests/fuzz/replay.c, with ASan+UBSan when the compiler
# has them.  A crash, sanitizer report or failed oracle fails the test.
. "$(dirname "$0")/lib.sh"

ROOT=$(cd "$TESTS/.." && pwd)
FZ=$ROOT/tests/fuzz
CC=${CC:-cc}
have "$CC" || skip_all "no C compiler ($CC)"
CFLAGS="-std=c99 -Wall -Wextra -D_GNU_SOURCE -I$ROOT/src/lib -g -O1"
printf 'int main(void){return 0;}\n' > "$T/probe.c"
"$CC" $CFLAGS -o "$T/probe" "$T/probe.c" -lskarnet >/dev/null 2>&1 || skip_all "cannot link with skalibs"
SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
if "$CC" $CFLAGS $SAN -o "$T/probe" "$T/probe.c" -lskarnet >/dev/null 2>&1 && "$T/probe"; then
  diag "building with $SAN"
else
  diag "compiler lacks ASan/UBSan: plain build"; SAN=
fi
ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export ASAN_OPTIONS UBSAN_OPTIONS
TMPDIR=$T; export TMPDIR

# the library once
mkdir -p "$T/lib"
libok=0
for f in "$ROOT"/src/lib/*.c; do
  "$CC" $CFLAGS $SAN -c -o "$T/lib/$(basename "$f" .c).o" "$f" 2>"$T/lib.err" || libok=1
done
ok $libok "src/lib builds for the replay drivers" || sed 's/^/# /' "$T/lib.err"
"$CC" $CFLAGS $SAN -c -o "$T/replay.o" "$FZ/replay.c" 2>"$T/replay.err"
ok $? "replay driver builds" || sed 's/^/# /' "$T/replay.err"

# The driver can fail: a target that aborts on the input "boom".
cat > "$T/boom.c" <<'EOC'
#include <stdlib.h>
#include <string.h>
#include "fuzz.h"
int LLVMFuzzerTestOneInput (uint8_t const *d, size_t n)
{ if (n == 4 && !memcmp(d, "boom", 4)) abort() ; return 0 ; }
EOC
"$CC" $CFLAGS -I"$FZ" -o "$T/boom" "$T/boom.c" "$T/replay.o" $SAN 2>/dev/null
mkdir -p "$T/in"; printf fine > "$T/in/a"; printf boom > "$T/in/b"
"$T/boom" "$T/in/a" >/dev/null 2>&1
ok $? "replay: a harmless input passes"
"$T/boom" "$T/in" >/dev/null 2>&1
r=$?
[ $r -ne 0 ]; ok $? "replay: an input that crashes the target fails the run (status $r)"

for src in "$FZ"/*.c; do
  name=$(basename "$src" .c)
  [ "$name" = replay ] && continue
  "$CC" $CFLAGS $SAN -I"$FZ" -o "$T/$name" "$src" "$T/replay.o" "$T"/lib/*.o -lskarnet 2>"$T/$name.err"
  if ! ok $? "$name: target builds without libFuzzer"; then
    sed 's/^/# /' "$T/$name.err"; skip "$name: corpus"; skip "$name: regressions"; continue
  fi
  if [ -d "$FZ/corpus/$name" ]; then
    n=$(ls "$FZ/corpus/$name" | wc -l)
    "$T/$name" "$FZ/corpus/$name" >"$T/$name.out" 2>&1
    ok $? "$name: $n corpus inputs replay cleanly" || sed 's/^/# /' "$T/$name.out" | tail -30
  else
    ok 1 "$name: has a corpus in tests/fuzz/corpus/$name"
  fi
  if [ -d "$FZ/regress/$name" ]; then
    n=$(ls "$FZ/regress/$name" | wc -l)
    "$T/$name" "$FZ/regress/$name" >"$T/$name.rout" 2>&1
    ok $? "$name: $n regression inputs replay cleanly" || sed 's/^/# /' "$T/$name.rout" | tail -30
  else
    skip "$name: no regression inputs"
  fi
done
done_testing
