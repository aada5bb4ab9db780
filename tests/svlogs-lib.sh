# Helpers for the svlogs-* tests.  Source after lib.sh.

# tai SEC NSEC: the TAI64N label multilog t writes at Unix time SEC.NSEC.
tai() { printf '@%016x%08x' $((0x4000000000000000 + 10 + $1)) "$2"; }
# iso SEC NSEC: the stamp multilog T writes (UTC).
iso() { printf '%s.%09dZ' "$(date -u -d "@$1" +%Y-%m-%dT%H:%M:%S)" "$2"; }
# logline SEC NSEC TEXT: one line as multilog t stores it
logline() { printf '%s %s\n' "$(tai "$1" "$2")" "$3"; }
# svc_with_log DIR: a service directory whose log directory is DIR/log/main
svc_with_log() { mkdir -p "$1/log/main"; printf '#!/bin/sh\nexec true\n' > "$1/run"; }
# has FILE TEXT: FILE holds a line containing TEXT
has() { grep -qF -- "$2" "$1"; }
# count FILE TEXT: lines of FILE containing TEXT
count() { grep -cF -- "$2" "$1"; }
