# svkit bench, section svlogs (issue 18): following a log fed flat out.
# svkit's `svlogs -f` against what a daemontools user runs for the same job,
# `tail -F current | tai64nlocal` (GNU tail, daemontools' tai64nlocal).
# runit and s6 have no log follower of their own: noted, not measured.

import os
import shutil
import subprocess
import time

from benchconf import LOGGER, P, have, rotate, svk
from benchlog import make_data
from benchproc import cpu_ns, descendants, status_fields, teardown_all, wait_until

TAI64NLOCAL_DT = '/usr/bin/tai64nlocal'


def follower_argv(impl, logdir):
    if impl == 'svkit':
        return [svk('svlogs'), '-f', '-n', '0', logdir]
    return ['/bin/sh', '-c', 'exec tail -q -n 0 -F "$1/current" | exec %s' % TAI64NLOCAL_DT, 'sh', logdir]


def tail_has(path, marker):
    try:
        with open(path, 'rb') as f:
            f.seek(0, 2)
            n = f.tell()
            f.seek(max(0, n - 8192))
            return marker in f.read()
    except OSError:
        return False


def count_lines(path):
    n = 0
    with open(path, 'rb') as f:
        while True:
            b = f.read(1 << 20)
            if not b:
                return n
            n += b.count(b'\n')


def stamped_data(data):
    """data with a TAI64N label on every line, as multilog t stores it."""
    path = data + '.stamped'
    if os.path.exists(path) and os.path.getmtime(path) >= os.path.getmtime(data):
        return path
    base = (1 << 62) + 10 + int(time.time())
    with open(data, 'rb') as fin, open(path + '.tmp', 'wb') as fout:
        for i, line in enumerate(fin):
            fout.write(b'@%016x%08x ' % (base + i // 100000, (i % 100000) * 10000) + line)
    os.rename(path + '.tmp', path)
    return path


def run_follow(impl, mode, data, nbytes, tmp, errf):
    logdir = os.path.join(tmp, 'flog')
    shutil.rmtree(logdir, ignore_errors=True)
    os.mkdir(logdir)
    open(os.path.join(logdir, 'current'), 'wb').close()
    outp = os.path.join(tmp, 'follow.out')
    out = open(outp, 'wb')
    f = subprocess.Popen(follower_argv(impl, logdir), stdout=out, stderr=errf)
    out.close()
    procs = lambda: [f.pid] + descendants(f.pid)
    # started and asleep, waiting for the first line
    if not wait_until(lambda: all((status_fields(p) or {}).get('State', 'R')[:1] == 'S' for p in procs())
                      and len(procs()) >= (1 if impl == 'svkit' else 3), 10, 0.01):
        teardown_all()
        return None
    time.sleep(0.2)
    cpu0 = sum(cpu_ns(p) or 0 for p in procs())
    marker = b'%07d ' % (P['lines'] - 1)
    os.sync()
    t0 = time.monotonic()
    rc = 0
    if mode == 'multilog':
        with open(data, 'rb') as fin:
            rc = subprocess.run([LOGGER['svkit'], 't', 's16777215', 'n20', logdir], stdin=fin, stderr=errf).returncode
    else:
        # appended as fast as the kernel takes it: the follower is the bottleneck
        with open(data, 'rb') as fin, open(os.path.join(logdir, 'current'), 'ab') as fout:
            while True:
                b = fin.read(1 << 20)
                if not b:
                    break
                fout.write(b)
    tfeed = time.monotonic()
    ok = wait_until(lambda: tail_has(outp, marker), 120, 0.002)
    t1 = time.monotonic()
    ps = procs()
    cpu = (sum(cpu_ns(p) or 0 for p in ps) - cpu0) / 1e9
    rss = sum(int((status_fields(p) or {}).get('VmHWM', '0 kB').split()[0]) for p in ps)
    teardown_all()
    f.wait()
    if not ok or rc != 0:
        return None
    lines = count_lines(outp)
    os.unlink(outp)
    shutil.rmtree(logdir, ignore_errors=True)
    mb = nbytes / 1e6
    return dict(mbs=mb / (t1 - t0), lag=t1 - tfeed, cpu_ms_mb=cpu * 1000 / mb, rss=rss,
                lost=P['lines'] - lines, feed=mb / (tfeed - t0))


def bench_svlogs(R, tmp):
    data = make_data(P['lines'])
    nbytes = os.path.getsize(data)
    impls = ['svkit']
    if have(TAI64NLOCAL_DT) and have('/usr/bin/tail'):
        impls.append('daemontools')
    else:
        R.note('svlogs: no %s or tail: the daemontools follower is not measured' % TAI64NLOCAL_DT)
    R.note('svlogs: runit and s6 have no log follower; daemontools column = tail -F current | tai64nlocal')
    errf = open(os.path.join(tmp, 'svlogs.err'), 'ab')
    stamped = stamped_data(data)
    for mode, src, what in (('multilog', data, 'multilog t fed flat out'),
                            ('append', stamped, 'stamped lines appended in 1 MB writes')):
        nb = os.path.getsize(src)
        sec = 'svlogs -f, %s, %.0f MB' % (what, nb / 1e6)
        follow_runs(R, sec, impls, mode, src, nb, tmp, errf)
    errf.close()


def follow_runs(R, sec, impls, mode, data, nbytes, tmp, errf):
    for rep in range(P['logreps']):
        for impl in rotate(impls, rep):
            r = run_follow(impl, mode, data, nbytes, tmp, errf)
            if r is None:
                R.add(sec, 'followed MB/s', impl, None, 'MB/s', 'higher')
                continue
            R.add(sec, 'followed MB/s', impl, r['mbs'], 'MB/s', 'higher')
            R.add(sec, 'lag after the feed ends', impl, r['lag'] * 1000, 'ms')
            R.add(sec, 'CPU per MB followed', impl, r['cpu_ms_mb'], 'ms/MB')
            R.add(sec, 'peak RSS', impl, r['rss'], 'kB')
            R.add(sec, 'lines lost (all runs)', impl, r['lost'], 'lines', agg='sum')
            R.add(sec, 'feed MB/s', impl, r['feed'], 'MB/s', 'higher')
