#!/bin/sh
# svscanboot [dir]: run "svscan DIR 2>&1 | readproctitle service errors: ..."
# with DIR = the argument, else $SVSCANDIR, else /service.  svscan,
# readproctitle and svc are the svkit programs installed beside this script,
# whatever else PATH holds (a system daemontools may be installed too).

case "$0" in
  */*) here=${0%/*} ;;
  *) here=. ;;
esac
here=$(cd "$here" && pwd -P) || exit 111
dir=${1:-${SVSCANDIR:-/service}}
[ -d "$dir" ] || { echo "svscanboot: fatal: unable to use scan directory $dir: not a directory" >&2 ; exit 111 ; }

# svkit's own directory first, so that run scripts find svkit's
# chain-loaders; then daemontools' list.
PATH=$here:/command:/usr/local/bin:/usr/local/sbin:/bin:/sbin:/usr/bin:/usr/sbin:/usr/X11R6/bin

exec </dev/null >/dev/null 2>/dev/null

# Supervisors left over from a previous svscanboot would keep their service
# directories locked: ask them to bring their services down and exit, so
# that the new svscan starts fresh ones (as daemontools' svscanboot does).
if [ -x "$here/svc" ] ; then
  "$here/svc" -dx "$dir"/* "$dir"/*/log
fi

env - PATH="$PATH" "$here/svscan" "$dir" 2>&1 | \
env - PATH="$PATH" "$here/readproctitle" service errors: ................................................................................................................................................................................................................................................................................................................................................................................................................
