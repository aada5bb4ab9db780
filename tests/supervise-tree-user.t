#!/bin/sh
# tests/supervise-tree.t again, with supervise (and so the service) run as
# the ordinary account nobody: no privilege is needed to be a child
# subreaper, read one's own processes in /proc and stop them.  Run by an
# ordinary user, supervise-tree.t itself is that test.
. "$(dirname "$0")/lib.sh"
is_root || skip_all "not root: tests/supervise-tree.t runs as this ordinary user"
have setpriv || skip_all "setpriv not installed"
id nobody >/dev/null 2>&1 || skip_all "no user nobody"
# (supervise-tree.t, through tree-lib.sh, runs a copy of bin/ that nobody
# can reach when the clone is in a private directory)
rm -rf "$T"
trap - EXIT
TREE_USER=nobody exec sh "$TESTS/supervise-tree.t"
