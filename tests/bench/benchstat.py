# svkit bench: the status section (issue 18).  Each implementation supervises
# the same N services (a sleeping run script); the figure is the wall time of
# asking the status of all N, as a user would: one call of svkit's svstat,
# daemontools' svstat or runit's `sv status` with every directory, and for
# s6-svstat (one directory a call) a loop of N calls.  svkit's modes are
# measured apart: -o up,pid (status files only), the default line (also
# counts processes in /proc), -j, -t and -m (processes, memory, CPU: one
# walk of /proc for all N).

import os
import subprocess
import time

from benchconf import BIN, IMPLS, P, SUPERVISE, env_for, have, rotate
from benchproc import teardown_all, wait_until

RUN = '#!/bin/sh\nexec sleep 100000\n'
STATUS = {'daemontools': '/usr/bin/svstat', 'runit': '/usr/bin/sv', 's6': '/usr/bin/s6-svstat'}


def argvs(impl, dirs):
    """The calls that report on every dir: a list of argv."""
    if impl == 'daemontools':
        return [[STATUS[impl]] + dirs]
    if impl == 'runit':
        return [[STATUS[impl], 'status'] + dirs]
    if impl == 's6':
        return [[STATUS[impl], d] for d in dirs]
    return [[os.path.join(BIN, 'svstat')] + impl.split()[1:] + dirs]


def timed(calls):
    t0 = time.monotonic()
    for a in calls:
        subprocess.run(a, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env_for('svkit'))
    return time.monotonic() - t0


def bench_status(R, tmp):
    n = P.get('stat_n', 50)
    rounds = P.get('stat_rounds', 5 if P['restart_rounds'] < 20 else 15)
    errf = open(os.path.join(tmp, 'status.err'), 'ab')
    impls = [i for i in IMPLS if have(SUPERVISE[i]) and (i == 'svkit' or have(STATUS[i]))]
    missing = [i for i in IMPLS if i not in impls]
    if missing:
        R.note('status: not installed: ' + ', '.join(missing))
    dirs = {}
    try:
        for impl in impls:
            base = os.path.join(tmp, 'status', impl)
            dirs[impl] = []
            for k in range(n):
                d = os.path.join(base, 's%03d' % k)
                os.makedirs(d)
                with open(os.path.join(d, 'run'), 'w') as f:
                    f.write(RUN)
                os.chmod(os.path.join(d, 'run'), 0o755)
                subprocess.Popen([SUPERVISE[impl], d], cwd=base, stdin=subprocess.DEVNULL,
                                 stdout=errf, stderr=errf, env=env_for(impl))
                dirs[impl].append(d)
        svstat = os.path.join(BIN, 'svstat')

        def allup(impl):
            # svkit's svstat reads daemontools' and runit's status; s6 has its own
            if impl == 's6':
                return all(subprocess.run([STATUS['s6'], '-o', 'up', d], stdout=subprocess.PIPE,
                                          stderr=subprocess.DEVNULL).stdout.strip() == b'true'
                           for d in dirs[impl])
            r = subprocess.run([svstat, '-o', 'up'] + dirs[impl], stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL)
            return r.stdout.split() == [b'true'] * n

        for impl in list(impls):
            if not wait_until(lambda: allup(impl), 30, 0.05):
                R.note('status: %s did not bring its %d services up; left out' % (impl, n))
                impls.remove(impl)
        sec = 'status of %d services' % n
        modes = [('svkit -o up,pid', 'svstat -o up,pid (status files only)'),
                 ('svkit -j', 'svstat -j (all fields, /proc walked once)'),
                 ('svkit -t', 'svstat -t (table: CPU, memory)'),
                 ('svkit -m', 'svstat -m (Prometheus)')]
        for rnd in range(rounds):
            for impl in rotate(impls, rnd):
                d = dirs[impl]
                calls = argvs(impl, d)
                R.add(sec, 'one status call for all (s6: %d calls), default output' % n, impl,
                      timed(calls) * 1e3, 'ms')
                if impl == 'svkit':
                    for m, label in modes:
                        R.add(sec, label, impl, timed(argvs(m, d)) * 1e3, 'ms')
    finally:
        teardown_all()
        errf.close()
