#!/bin/sh
# `make bench`: build the two bench helpers, install missing peers when root,
# raise the soft limits to the hard ones, and run the driver (bench.py).
# QUICK=1 gives the short run (under 2 minutes).
set -u
cd "$(dirname "$0")/../.." || exit 111
out=build/bench
mkdir -p "$out" || exit 111
CC=${CC:-cc}
for h in stamp ru; do
  if [ ! -x "$out/$h" ] || [ "tests/bench/$h.c" -nt "$out/$h" ]; then
    $CC -std=c99 -D_GNU_SOURCE -O2 -Wall -Wextra -Werror -static -o "$out/$h" "tests/bench/$h.c" 2>/dev/null ||
    $CC -std=c99 -D_GNU_SOURCE -O2 -Wall -Wextra -Werror -o "$out/$h" "tests/bench/$h.c" ||
    { echo "bench: fatal: unable to build $out/$h" >&2; exit 111; }
  fi
done

command -v python3 >/dev/null 2>&1 || { echo "bench: fatal: python3 is required" >&2; exit 100; }

missing=
[ -x /usr/bin/supervise ] && [ -x /usr/bin/multilog ] || missing="$missing daemontools"
[ -x /usr/bin/runsv ] && [ -x /usr/bin/svlogd ] || missing="$missing runit"
[ -x /usr/bin/s6-supervise ] && [ -x /usr/bin/s6-log ] || missing="$missing s6"
if [ -n "$missing" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "bench: installing the peers:$missing"
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing ||
    { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing; } ||
    echo "bench: warning: unable to install$missing; measuring what is installed" >&2
  else
    echo "bench: warning: not installed:$missing (run as root to install them); measuring what is installed" >&2
  fi
fi

# Thousands of services need descriptors and processes: bench.py raises
# the soft limits (nofile, nproc) to the hard ones itself.
exec python3 tests/bench/bench.py
