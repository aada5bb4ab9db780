# svkit bench, section 1: logger throughput (multilog, svlogd, s6-log, cat).

import os
import random
import shutil
import subprocess
import time

from benchconf import IMPLS, LOGGER, OUT, P, RU, env_for, have, rotate
from benchproc import teardown_all, wait_pidfd

# ---- 1. logger throughput ------------------------------------------------------

SCRIPTS = [('t s16777215 n5', ['t', 's16777215', 'n5'], True),
           ('s16777215 n5', ['s16777215', 'n5'], False),
           ('t s1000000 n20', ['t', 's1000000', 'n20'], True)]


def make_data(n):
    path = os.path.join(OUT, 'lines-%d.txt' % n)
    ok = path + '.ok'
    if os.path.exists(ok) and os.path.exists(path) and open(ok).read().strip() == str(os.path.getsize(path)):
        return path
    rng = random.Random(20261121)
    alphabet = b'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,:;-_=/'
    pool = bytes(alphabet[rng.randrange(len(alphabet))] for _ in range(8192))
    parts = []
    for i in range(n):
        ln = rng.randint(20, 200)       # bytes, newline included
        off = rng.randrange(0, 8192 - 200)
        parts.append(b'%07d ' % i + pool[off:off + ln - 9] + b'\n')
    with open(path + '.tmp', 'wb') as f:
        f.write(b''.join(parts))
    os.rename(path + '.tmp', path)
    with open(ok, 'w') as f:
        f.write(str(os.path.getsize(path)))
    return path


def logger_argv(impl, script, tflag, logdir):
    if impl == 'runit':
        with open(os.path.join(logdir, 'config'), 'w') as f:
            f.write('\n'.join(x for x in script if x != 't') + '\n')
        return [LOGGER[impl]] + (['-t'] if tflag else []) + [logdir]
    return [LOGGER[impl]] + script + [logdir]


def check_logdir(logdir, total):
    """Lines lost: the kept files must hold lines first..total-1, in order,
    each exactly once (older whole files are deleted by the n rule)."""
    names = sorted(x for x in os.listdir(logdir) if x.startswith('@'))
    if os.path.exists(os.path.join(logdir, 'current')):
        names.append('current')
    count, first, last = 0, None, None
    for nm in names:
        with open(os.path.join(logdir, nm), 'rb') as f:
            data = f.read()
        if not data:
            continue
        count += data.count(b'\n')
        if first is None:
            first = seq_of(data[:data.find(b'\n')])
        last = seq_of(data[data.rfind(b'\n', 0, len(data) - 1) + 1:].rstrip(b'\n'))
    if first is None:
        return total
    lost = (total - first) - count
    if last != total - 1:
        lost = max(lost, total - 1 - (last or 0))
    return lost


def seq_of(line):
    if line.startswith(b'@'):
        line = line.split(b' ', 1)[1] if b' ' in line else b''
    try:
        return int(line[:7])
    except ValueError:
        return -1


def run_logger(impl, scriptname, script, tflag, mode, data, nbytes, tmp, errf):
    logdir = os.path.join(tmp, 'log-%s' % impl)
    shutil.rmtree(logdir, ignore_errors=True)
    os.mkdir(logdir)
    if impl == 'cat':
        argv = ['/bin/cat']
        out = open(os.path.join(logdir, 'current'), 'wb')
    else:
        argv = logger_argv(impl, script, tflag, logdir)
        out = subprocess.DEVNULL
    ruf = os.path.join(tmp, 'ru.out')
    argv = [RU, ruf] + argv
    cat = None
    # nobody's run waits behind the writeback of the one before it
    os.sync()
    t0 = time.monotonic()
    if mode == 'file':
        with open(data, 'rb') as fin:
            p = subprocess.Popen(argv, stdin=fin, stdout=out, stderr=errf, cwd=tmp, env=env_for(impl))
    else:
        cat = subprocess.Popen(['/bin/cat', data], stdout=subprocess.PIPE, stderr=errf)
        p = subprocess.Popen(argv, stdin=cat.stdout, stdout=out, stderr=errf, cwd=tmp, env=env_for(impl))
        cat.stdout.close()
    end = wait_pidfd(p.pid, 120)
    t1 = time.monotonic()
    if end is None:
        teardown_all()
        return None
    p.wait()
    if cat:
        cat.wait()
    if out is not subprocess.DEVNULL:
        out.close()
    try:
        with open(ruf) as f:
            ut, st, rss, status = f.read().split()
        os.unlink(ruf)
    except (OSError, ValueError):
        return None
    ru = dict(cpu=float(ut) + float(st), rss=int(rss), status=int(status))
    wall = t1 - t0
    lost = check_logdir(logdir, P['lines'])
    shutil.rmtree(logdir, ignore_errors=True)
    return dict(mbs=nbytes / 1e6 / wall, cpu=ru['cpu'], rss=ru['rss'], lost=lost, rc=ru['status'])


def bench_logger(R, tmp):
    data = make_data(P['lines'])
    nbytes = os.path.getsize(data)
    impls = [i for i in IMPLS if have(LOGGER[i])] + ['cat']
    missing = [i for i in IMPLS if i not in impls]
    if missing:
        R.note('logger: not installed: ' + ', '.join('%s (%s)' % (m, LOGGER[m]) for m in missing))
    errf = open(os.path.join(tmp, 'logger.err'), 'ab')
    sec = 'logger %dk lines %.0f MB' % (P['lines'] // 1000, nbytes / 1e6)
    k = 0
    for scriptname, script, tflag in SCRIPTS:
        for mode in ('file', 'pipe'):
            for rep in range(P['logreps']):
                for impl in rotate(impls, k):
                    r = run_logger(impl, scriptname, script, tflag, mode, data, nbytes, tmp, errf)
                    fig = '%s, %s' % (scriptname, 'stdin file' if mode == 'file' else 'stdin pipe')
                    if r is None:
                        R.add(sec, fig + ' MB/s', impl, None, 'MB/s', 'higher')
                        continue
                    R.add(sec, fig + ' MB/s', impl, r['mbs'], 'MB/s', 'higher')
                    R.add(sec, fig + ' CPU', impl, r['cpu'], 's')
                    R.add(sec, fig + ' peak RSS', impl, r['rss'], 'kB')
                    if impl != 'cat':
                        R.add(sec, 'lines lost (all runs)', impl, r['lost'], 'lines', agg='sum')
                    if r['rc'] != 0:
                        R.note('logger %s (%s, %s) exited with status %d' % (impl, scriptname, mode, r['rc']))
                k += 1
    errf.close()
