# svkit bench: the process tree section (issue 15).  Each supervisor runs the
# same service: a run script that does not exec (sh stays, as `npm start`),
# with a background child, a child that ignores TERM and a grandchild that
# escaped with `setsid -f`: 4 processes a generation.  Figures: how many
# processes of the old generation are still alive once the restarted one
# runs (restart command), and how many are left after the down command.
# Processes are counted by a marker in their environment, never by name;
# everything they leave is killed by pid in teardown_all (the driver is a
# child subreaper, so orphans come back to it under the peers).

import os
import subprocess
import time

from benchconf import CONTROL, IMPLS, P, STAMP, SUPERVISE, control_argv, env_for, have
from benchproc import finish, teardown_all, wait_until

RUN = '''#!/bin/sh
[ -n "${SVKIT_TREE:-}" ] || exec env SVKIT_TREE="$(cat mark)" ./run
g=gen.$$
sh -c 'echo $$ >> "$1"; exec sleep 1000' sh "$g" &
sh -c 'trap "" TERM; echo $$ >> "$1"; exec sleep 1000' sh "$g" &
setsid -f sh -c 'echo $$ >> "$1"; exec sleep 1000' sh "$g"
echo $$ >> "$g"
wait
'''
GEN = 4


def marked(mark):
    want = b'SVKIT_TREE=' + mark.encode()
    out = []
    for d in os.listdir('/proc'):
        if not d.isdigit():
            continue
        try:
            with open('/proc/%s/environ' % d, 'rb') as f:
                if want in f.read().split(b'\0'):
                    out.append(int(d))
        except OSError:
            pass
    return out


def gens(d):
    """{run pid: [pids]} of the generations that wrote all their pids."""
    out = {}
    for f in os.listdir(d):
        if f.startswith('gen.'):
            with open(os.path.join(d, f)) as fh:
                pids = [int(x) for x in fh.read().split()]
            if len(pids) >= GEN:
                out[int(f[4:])] = pids
    return out


def bench_tree(R, tmp):
    errf = open(os.path.join(tmp, 'tree.err'), 'ab')
    impls = [i for i in IMPLS if have(SUPERVISE[i]) and have(CONTROL[i])]
    if not have('/usr/bin/setsid'):
        R.note('tree: setsid not installed; section skipped')
        return
    if not any(have(os.path.join(p, 'pm2')) for p in os.environ.get('PATH', '').split(':')):
        R.note('tree: pm2 not installed, not measured')
    sec = 'process tree'
    for rnd in range(P['tree_rounds']):
        for impl in impls:
            d = os.path.join(tmp, 'tree', '%s-%d' % (impl, rnd), 'svc')
            os.makedirs(d)
            mark = 'bench-%d-%s-%d' % (os.getpid(), impl, rnd)
            with open(os.path.join(d, 'mark'), 'w') as f:
                f.write(mark + '\n')
            with open(os.path.join(d, 'run'), 'w') as f:
                f.write(RUN)
            os.chmod(os.path.join(d, 'run'), 0o755)
            sup = subprocess.Popen([SUPERVISE[impl], d], cwd=os.path.dirname(d), stdin=subprocess.DEVNULL,
                                   stdout=errf, stderr=errf, env=env_for(impl))
            try:
                first = wait_until(lambda: gens(d), 10, 0.01)
                if not first:
                    R.note('tree: %s never started its service' % impl)
                    continue
                old = set(next(iter(first.values())))
                c = subprocess.Popen(control_argv(impl, 't', d), stdout=subprocess.DEVNULL, stderr=errf)
                finish(c)
                new = wait_until(lambda: [p for g, p in gens(d).items() if not old & set(p)], 15, 0.01)
                if not new:
                    R.note('tree: %s did not restart its service' % impl)
                    R.add(sec, 'old processes alive after restart (-t), of %d' % GEN, impl, None, 'count')
                    continue
                left = len(old & set(marked(mark)))
                R.add(sec, 'old processes alive after restart (-t), of %d' % GEN, impl, left, 'count')
                c = subprocess.Popen(control_argv(impl, 'd', d), stdout=subprocess.DEVNULL, stderr=errf)
                finish(c)
                # svkit stops the leftovers, KILLing the TERM-ignoring one
                # after 3 s; the peers never do: give everyone 5 s.
                t0 = time.monotonic()
                wait_until(lambda: not marked(mark), 5, 0.02)
                R.add(sec, 'processes left after -t then down (-d), 2 generations of %d' % GEN, impl, len(marked(mark)), 'count')
                if impl == 'svkit':
                    R.add(sec, 'down (-d) until the whole tree is gone', impl, time.monotonic() - t0, 's')
            finally:
                teardown_all()
    errf.close()
