# svkit bench: the init of a container (issue 17).  Time from SIGTERM (what
# `docker stop` sends to PID 1) to the exit of the init:
#   - svkit's svscan and s6-svscan over the same 10 logged services (same run
#     and log/run scripts: `exec sleep`, `exec cat`), both stopping everything
#     in order and exiting;
#   - one process: svscan with one service against tini and dumb-init
#     running the same process directly (what `docker run --init` does).
# The inits run as ordinary children of the driver (no pid namespace, no
# root needed); TERM is sent by pid, the exit seen through a pidfd.  A round
# starts when every service process runs.  Everything left is killed by pid
# in teardown_all.

import os
import subprocess

from benchconf import P, QUICK, SCANNER, env_for, have, rotate, scan_argv
from benchproc import descendants, finish, mono, teardown_all, wait_pidfd, wait_until

NSVC = 10
ROUNDS = 3 if QUICK else 10
SINGLE = {'tini': ['/usr/bin/tini', '--'], 'dumb-init': ['/usr/bin/dumb-init']}


def script(path, body):
    with open(path, 'w') as f:
        f.write('#!/bin/sh\n' + body + '\n')
    os.chmod(path, 0o755)


def make_tree(d, n, logged):
    os.makedirs(d)
    for i in range(n):
        s = os.path.join(d, 's%d' % i)
        os.makedirs(os.path.join(s, 'log') if logged else s)
        script(os.path.join(s, 'run'), 'exec sleep 100000')
        if logged:
            script(os.path.join(s, 'log', 'run'), 'exec cat > /dev/null')


def comms(root):
    out = {}
    for p in descendants(root):
        try:
            with open('/proc/%d/comm' % p) as f:
                c = f.read().strip()
        except OSError:
            continue
        out[c] = out.get(c, 0) + 1
    return out


def term_to_exit(argv, env, errf, want):
    """Start argv, wait until its descendants include want ({comm: n}), send
    TERM, return the ms until it exited (None if it never got ready or never
    exited within 30 s)."""
    p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=errf, stderr=errf, env=env)
    try:
        ready = wait_until(lambda: all(comms(p.pid).get(c, 0) >= n for c, n in want.items()), 30, 0.005)
        if not ready:
            return None
        t0 = mono()
        os.kill(p.pid, 15)
        t1 = wait_pidfd(p.pid, 30)
        finish(p, 5)
        return None if t1 is None else (t1 - t0) / 1e6
    finally:
        teardown_all()


def bench_init(R, tmp):
    errf = open(os.path.join(tmp, 'init.err'), 'ab')
    scanners = [i for i in ('svkit', 's6') if have(SCANNER[i])]
    if 's6' not in scanners:
        R.note('init: s6-svscan not installed (%s); svkit alone for the 10 services' % SCANNER['s6'])
    singles = [i for i in SINGLE if have(SINGLE[i][0])]
    for m in SINGLE:
        if m not in singles:
            R.note('init: %s not installed (%s); not measured' % (m, SINGLE[m][0]))
    sec = 'container init'
    fig = 'TERM to exit, %d logged services' % NSVC
    for rnd in range(ROUNDS):
        for impl in rotate(scanners, rnd):
            d = os.path.join(tmp, 'init', '%s-%d' % (impl, rnd))
            make_tree(d, NSVC, True)
            ms = term_to_exit(scan_argv(impl, d, NSVC), env_for(impl), errf, {'sleep': NSVC, 'cat': NSVC})
            R.add(sec, fig, impl, ms, 'ms')
    fig = 'TERM to exit, one process'
    for rnd in range(ROUNDS):
        for impl in rotate(['svkit'] + singles, rnd):
            if impl == 'svkit':
                d = os.path.join(tmp, 'init1', 'svkit-%d' % rnd)
                make_tree(d, 1, False)
                argv = scan_argv('svkit', d, 1)
            else:
                argv = SINGLE[impl] + ['sleep', '100000']
            ms = term_to_exit(argv, env_for(impl), errf, {'sleep': 1})
            R.add(sec, fig, impl, ms, 'ms')
    errf.close()
