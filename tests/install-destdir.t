#!/bin/sh
# make install / uninstall with PREFIX and DESTDIR, into a temporary DESTDIR.
# Install only (make -o all): never rebuild bin/ under other tests' feet.
. "$(dirname "$0")/lib.sh"
REPO=$(cd "$TESTS/.." && pwd)
unset MAKEFLAGS MFLAGS MAKELEVEL
have make || skip_all "make is not installed"
case $BIN in
  "$REPO/build/san/bin") SAN=SANITIZE=1 ;;
  *) SAN=SANITIZE=0 ;;
esac
[ "$SAN" = SANITIZE=1 ] && OUT=$REPO/build/san/bin || OUT=$REPO/bin

progs=$(cd "$REPO/src" && for d in */; do d=${d%/}; [ "$d" = lib ] || echo "$d"; done)
mans=$(cd "$REPO/doc" 2>/dev/null && ls *.8 2>/dev/null)
missing=
for p in $progs; do [ -x "$OUT/$p" ] || missing="$missing $p"; done
is "$missing" "" "every program in src/ is built in $OUT (else make install cannot work)"

inst() { make -s -C "$REPO" -o all $SAN "$@" >"$T/make.out" 2>&1 || { sed 's/^/# /' "$T/make.out"; return 1; }; }
D=$T/d
inst install DESTDIR="$D" PREFIX=/usr/local; ok $? "make install DESTDIR=... PREFIX=/usr/local"
r=0
for p in $progs; do
  f=$D/usr/local/bin/$p
  if [ ! -f "$f" ]; then diag "missing $f"; r=1; continue; fi
  m=$(stat -c %a "$f")
  [ "$m" = 755 ] || { diag "$f has mode $m"; r=1; }
  cmp -s "$f" "$OUT/$p" || { diag "$f differs from $OUT/$p"; r=1; }
done
ok $r "every program is in DESTDIR/usr/local/bin, mode 755, identical to $OUT ($(echo $progs | wc -w))"
r=0
for m in $mans; do
  f=$D/usr/local/share/man/man8/$m
  if [ ! -f "$f" ]; then diag "missing $f"; r=1; continue; fi
  [ "$(stat -c %a "$f")" = 644 ] || { diag "$f has mode $(stat -c %a "$f")"; r=1; }
  cmp -s "$f" "$REPO/doc/$m" || { diag "$f differs"; r=1; }
done
[ -n "$mans" ] || diag "no man pages in doc/ yet"
ok $r "every man page is in DESTDIR/usr/local/share/man/man8, mode 644 ($(echo $mans | wc -w))"
extra=$(find "$D" -type f | sed "s,^$D/usr/local/,," | grep -v '^bin/\|^share/man/man8/')
is "$extra" "" "nothing else is installed"
[ ! -e "$D/usr/bin" ] && [ ! -e "$D/bin" ]; ok $? "nothing outside PREFIX"

inst uninstall DESTDIR="$D" PREFIX=/usr/local; ok $? "make uninstall"
is "$(find "$D" -type f | wc -l | tr -d ' ')" 0 "uninstall removes every installed file"

# Another PREFIX.
D2=$T/d2
inst install DESTDIR="$D2" PREFIX=/opt/svkit; ok $? "make install PREFIX=/opt/svkit"
r=0
for p in $progs; do [ -x "$D2/opt/svkit/bin/$p" ] || r=1; done
ok $r "programs land in PREFIX/bin"
[ ! -e "$D2/usr" ]; ok $? "and nothing under /usr"
inst uninstall DESTDIR="$D2" PREFIX=/opt/svkit
is "$(find "$D2" -type f | wc -l | tr -d ' ')" 0 "uninstall with the same PREFIX removes them"
done_testing
