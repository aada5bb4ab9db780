#!/usr/bin/env python3
# svkit bench driver (issue 7): svkit against daemontools, runit and s6 on the
# same work in the same run, alternating implementations, medians, and
# svkit's ratio to the best peer.  Run through tests/bench/bench.sh (make bench).
#
# Process hygiene: this process makes itself a child subreaper, so everything
# it starts stays below it; every phase ends by stopping (SIGSTOP) and then
# killing (SIGKILL), by pid, every descendant of this process, and reaping it.
# Nothing is ever looked up or killed by name.  All files live in a private
# temp dir, removed at the end; raw results go to build/bench/results-*.txt.

import ctypes
import datetime
import os
import random
import select
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

QUICK = os.environ.get('QUICK', '') not in ('', '0')
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
BIN = os.environ.get('SVKIT_BIN') or os.path.join(ROOT, 'bin')
OUT = os.path.join(ROOT, 'build', 'bench')
STAMP = os.path.join(OUT, 'stamp')
RU = os.path.join(OUT, 'ru')
PEERPATH = '/usr/bin:/bin:/usr/sbin:/sbin'
ONLY = set(os.environ.get('BENCH_ONLY', '').split(',')) - {''}

P = dict(
    lines=200000 if QUICK else 1000000,
    logreps=1 if QUICK else 3,
    restart_rounds=5 if QUICK else 20,
    control_rounds=3 if QUICK else 10,
    start_n=200,
    start_rounds=1 if QUICK else 3,
    idle_n=200 if QUICK else 1000,
    idle_secs=3 if QUICK else 30,
    settle=1.0 if QUICK else 2.0,
    pick_fast=3 if QUICK else 10,
    pick_slow=1 if QUICK else 3,
    s6_noa_timeout=2.0 if QUICK else 6.0,
    scale_n=1000 if QUICK else 10000,
    budget=240 if QUICK else 1500,
)

# BENCH_P='idle_n=1000,idle_secs=1' overrides parameters (development).
for kv in os.environ.get('BENCH_P', '').split(','):
    if '=' in kv:
        k, v = kv.split('=', 1)
        P[k.strip()] = type(P[k.strip()])(v)

IMPLS = ['svkit', 'daemontools', 'runit', 's6']
PEERS = IMPLS[1:]


def svk(p):
    return os.path.join(BIN, p)


SUPERVISE = {'svkit': svk('supervise'), 'daemontools': '/usr/bin/supervise',
             'runit': '/usr/bin/runsv', 's6': '/usr/bin/s6-supervise'}
SCANNER = {'svkit': svk('svscan'), 'daemontools': '/usr/bin/svscan',
           'runit': '/usr/bin/runsvdir', 's6': '/usr/bin/s6-svscan'}
CONTROL = {'svkit': svk('svc'), 'daemontools': '/usr/bin/svc',
           'runit': '/usr/bin/sv', 's6': '/usr/bin/s6-svc'}
LOGGER = {'svkit': svk('multilog'), 'daemontools': '/usr/bin/multilog',
          'runit': '/usr/bin/svlogd', 's6': '/usr/bin/s6-log'}
SVCTL = {'s6': '/usr/bin/s6-svscanctl'}


def have(path):
    return os.path.isfile(path) and os.access(path, os.X_OK)


def scan_argv(impl, d, n):
    if impl == 's6':
        return [SCANNER[impl], '-c', str(max(1000, 2 * n + 100)), d]
    return [SCANNER[impl], d]


def control_argv(impl, op, d):
    if impl == 'runit':
        return [CONTROL[impl], {'t': 'term', 'd': 'down', 'u': 'up'}[op], d]
    return [CONTROL[impl], '-' + op, d]


def env_for(impl):
    e = dict(os.environ)
    e['PATH'] = PEERPATH   # peers' scanners exec supervise/runsv from PATH
    return e


def mono():
    return time.monotonic_ns()


def rotate(lst, k):
    k %= max(1, len(lst))
    return lst[k:] + lst[:k]


class Timeout(Exception):
    pass


def on_alarm(sig, frame):
    raise Timeout('bench time budget exhausted')


def on_term(sig, frame):
    raise KeyboardInterrupt


# ---- processes -----------------------------------------------------------------

def proc_table():
    t = {}
    for d in os.listdir('/proc'):
        if not d.isdigit():
            continue
        try:
            with open('/proc/%s/stat' % d, 'rb') as f:
                s = f.read()
        except OSError:
            continue
        r = s.rindex(b')')
        t[int(d)] = int(s[r + 2:].split(b' ', 3)[1])
    return t


def children_map(table):
    kids = {}
    for p, pp in table.items():
        kids.setdefault(pp, []).append(p)
    return kids


def descendants(root, table=None):
    kids = children_map(table if table is not None else proc_table())
    out, stack = [], [root]
    while stack:
        for c in kids.get(stack.pop(), ()):
            out.append(c)
            stack.append(c)
    return out


def reap():
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def sigall(pids, sig):
    for p in pids:
        try:
            os.kill(p, sig)
        except OSError:
            pass


def teardown_all():
    """Stop, then kill, every descendant of this process (by pid); reap."""
    me = os.getpid()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        ds = descendants(me)
        if not ds:
            reap()
            return True
        sigall(ds, signal.SIGSTOP)
        ds = descendants(me)       # whatever forked before it was stopped
        sigall(ds, signal.SIGSTOP)
        sigall(ds, signal.SIGKILL)
        time.sleep(0.02)
        reap()
    return False


def set_subreaper():
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(36, 1, 0, 0, 0) == 0   # PR_SET_CHILD_SUBREAPER
    except Exception:
        return False


def raise_limits():
    import resource
    for lim in (resource.RLIMIT_NOFILE, resource.RLIMIT_NPROC):
        soft, hard = resource.getrlimit(lim)
        try:
            resource.setrlimit(lim, (hard, hard))
        except (ValueError, OSError):
            pass


def wait_pidfd(pid, timeout):
    """Wait until pid exits (zombie or gone).  Returns mono() then, or None."""
    try:
        fd = os.pidfd_open(pid)
    except OSError:
        return mono()
    try:
        po = select.poll()
        po.register(fd, select.POLLIN)
        if po.poll(int(timeout * 1000)):
            return mono()
        return None
    finally:
        os.close(fd)


def wait_until(pred, timeout, interval=0.001):
    end = time.monotonic() + timeout
    while True:
        v = pred()
        if v:
            return v
        if time.monotonic() >= end:
            return None
        time.sleep(interval)


def finish(c, timeout=10):
    """Reap a client process; kill it (by pid) if it hangs."""
    try:
        return c.wait(timeout)
    except subprocess.TimeoutExpired:
        c.kill()
        return c.wait()


def read_stamps(path):
    try:
        with open(path, 'rb') as f:
            data = f.read()
    except OSError:
        return []
    out = []
    for line in data.split(b'\n'):
        f = line.split(b' ', 2)
        if len(f) == 3:
            out.append((int(f[0]), int(f[1]), f[2].decode(errors='replace')))
    return out


def status_fields(pid):
    d = {}
    try:
        with open('/proc/%d/status' % pid) as f:
            for line in f:
                k, _, v = line.partition(':')
                d[k] = v.strip()
    except OSError:
        return None
    return d


def cpu_ns(pid):
    try:
        with open('/proc/%d/schedstat' % pid) as f:
            return int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def ctxsw(pid):
    d = status_fields(pid)
    if not d:
        return None
    return int(d.get('voluntary_ctxt_switches', 0)) + int(d.get('nonvoluntary_ctxt_switches', 0))


def smaps(pid):
    d = {}
    try:
        with open('/proc/%d/smaps_rollup' % pid) as f:
            for line in f:
                k, _, v = line.partition(':')
                v = v.split()
                if v and v[0].isdigit():
                    d[k] = int(v[0])
    except OSError:
        return None
    return d


# ---- results -------------------------------------------------------------------

class Results:
    def __init__(self, path):
        self.path = path
        self.f = open(path, 'w')
        self.rows = {}
        self.order = []
        self.notes = []

    def header(self, text):
        self.f.write('# ' + text + '\n')
        self.f.flush()

    def add(self, section, metric, impl, value, unit, better='lower', agg='median'):
        self.f.write('%s\t%s\t%s\t%s\t%s\n' % (section, metric, impl,
                     'timeout' if value is None else '%.6g' % value, unit))
        self.f.flush()
        key = (section, metric, agg)
        if key not in self.rows:
            self.rows[key] = dict(unit=unit, better=better, agg=agg, vals={})
            self.order.append(key)
        self.rows[key]['vals'].setdefault(impl, []).append(value)

    def get(self, section_prefix, metric, impl, agg='median'):
        for (sec, met, ag), r in self.rows.items():
            if sec.startswith(section_prefix) and met == metric and ag == agg:
                return self.summarize(r['vals'].get(impl, []), agg)[0]
        return None

    def note(self, text):
        self.notes.append(text)
        self.header('note: ' + text)
        print('bench: ' + text, flush=True)

    @staticmethod
    def summarize(vals, agg):
        if not vals:
            return None, ''
        real = [v for v in vals if v is not None]
        if len(real) < len(vals):
            if not real:
                return None, 'never'
            tag = '(%d/%d timeout)' % (len(vals) - len(real), len(vals))
        else:
            tag = ''
        if agg == 'max':
            return max(real), tag
        if agg == 'sum':
            return sum(real), tag
        return statistics.median(real), tag

    def table(self):
        cols = IMPLS + ['cat']
        present = [c for c in cols if any(c in r['vals'] for r in self.rows.values())]
        head = ['section', 'figure', 'unit'] + present + ['svkit/best peer']
        lines = []
        for key in self.order:
            r = self.rows[key]
            cells = [key[0], key[1] + ('' if r['agg'] == 'median' else ' (%s)' % r['agg']), r['unit']]
            nums = {}
            for c in present:
                v, tag = self.summarize(r['vals'].get(c, []), r['agg'])
                if c in r['vals']:
                    nums[c] = v
                    cells.append(tag if v is None else fmtnum(v) + (' ' + tag if tag else ''))
                else:
                    cells.append('n/a')
            peers = [nums[p] for p in PEERS if nums.get(p) is not None]
            ratio = ''
            if nums.get('svkit') is not None and peers:
                best = max(peers) if r['better'] == 'higher' else min(peers)
                ratio = '%.2f' % (nums['svkit'] / best) if best else ('0 vs 0' if nums['svkit'] == 0 else 'inf')
            cells.append(ratio + (' (%s is better)' % r['better'] if ratio else ''))
            lines.append(cells)
        return head, lines


def targets(R):
    """The performance targets of issues 2, 3 and 4, checked on this run."""
    out = []

    def check(desc, ok, figures):
        out.append('%s: %s (%s)' % ('met' if ok else ('MISSED' if ok is not None else 'not measured'),
                                    desc, figures))
    g = R.get
    sv, dt = g('restart latency', 'SIGKILL -> run restarted', 'svkit'), \
        g('restart latency', 'SIGKILL -> run restarted', 'daemontools')
    check('restart latency median <= 0.8 x daemontools supervise',
          None if sv is None or dt is None else sv <= 0.8 * dt,
          'svkit %s ms, daemontools %s ms' % (fmtnum(sv or 0), fmtnum(dt or 0)))
    pv = g('200 services', 'private per supervisor', 'svkit')
    check('private memory per idle supervise <= 50 kB', None if pv is None else pv <= 50,
          'svkit %s kB' % fmtnum(pv or 0))
    idle = '%d services' % P['idle_n']
    fig = 'idle %gs: ' % P['idle_secs']
    a, b = g(idle, fig + 'context switches, scanner', 'svkit'), \
        g(idle, fig + 'context switches, all supervisors', 'svkit')
    check('zero context switches in svscan and every supervise, %d idle services, %gs'
          % (P['idle_n'], P['idle_secs']), None if a is None or b is None else a == 0 and b == 0,
          'svscan %s, supervisors %s' % (a, b))
    pk = g(idle, 'pickup of a renamed-in service (no command)', 'svkit')
    check('pickup of a new service among %d, median < 20 ms' % P['idle_n'],
          None if pk is None else pk < 20, 'svkit %s ms' % fmtnum(pk or 0))
    st, dts = g('200 services', 'start-up: scanner start -> every run started', 'svkit'), \
        g('200 services', 'start-up: scanner start -> every run started', 'daemontools')
    check('start-up of 200 services no slower than daemontools svscan',
          None if st is None or dts is None else st <= dts,
          'svkit %s ms, daemontools %s ms' % (fmtnum(st or 0), fmtnum(dts or 0)))
    up = g('scale', 'services up', 'svkit')
    check('%d services start under one svscan' % P['scale_n'], None if up is None else up >= P['scale_n'],
          '%s up' % up)
    fig = 't s16777215 n5, stdin file MB/s'
    ml, s6 = g('logger', fig, 'svkit'), g('logger', fig, 's6')
    check('multilog t s16777215 n5 (stdin file) >= 5 x s6-log MB/s',
          None if ml is None or s6 is None else ml >= 5 * s6,
          'svkit %s MB/s, s6-log %s MB/s' % (fmtnum(ml or 0), fmtnum(s6 or 0)))
    lost = g('logger', 'lines lost (all runs)', 'svkit', 'sum')
    check('multilog loses no line', None if lost is None else lost == 0, '%s lost' % lost)
    return out


def fmtnum(v):
    if v == 0:
        return '0'
    a = abs(v)
    if a >= 100:
        return '%.0f' % v
    if a >= 10:
        return '%.1f' % v
    if a >= 1:
        return '%.2f' % v
    return '%.3g' % v


def render_text(head, lines):
    w = [max(len(str(x[i])) for x in [head] + lines) for i in range(len(head))]
    out = ['  '.join(str(c).ljust(w[i]) for i, c in enumerate(head))]
    out.append('  '.join('-' * w[i] for i in range(len(head))))
    for l in lines:
        out.append('  '.join(str(c).ljust(w[i]) for i, c in enumerate(l)))
    return '\n'.join(out)


def render_md(head, lines):
    out = ['| ' + ' | '.join(head) + ' |', '|' + '|'.join('---' for _ in head) + '|']
    for l in lines:
        out.append('| ' + ' | '.join(str(c) for c in l) + ' |')
    return '\n'.join(out)


# ---- machine -------------------------------------------------------------------

def machine_info():
    info = {}
    info['date'] = datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC')
    info['nproc'] = str(os.cpu_count())
    model = '?'
    try:
        for line in open('/proc/cpuinfo'):
            if line.startswith('model name'):
                model = line.split(':', 1)[1].strip()
                break
    except OSError:
        pass
    info['cpu'] = model
    try:
        for line in open('/proc/meminfo'):
            if line.startswith('MemTotal'):
                info['ram'] = '%.1f GiB' % (int(line.split()[1]) / 1048576)
    except OSError:
        pass
    info['kernel'] = os.uname().release
    try:
        info['loadavg'] = open('/proc/loadavg').read().split()[0:3]
    except OSError:
        pass
    vers = []
    for pkg in ('daemontools', 'runit', 's6', 'skalibs-dev'):
        try:
            v = subprocess.run(['dpkg-query', '-W', '-f', '${Version}', pkg], capture_output=True,
                               text=True, timeout=10).stdout.strip()
        except Exception:
            v = ''
        vers.append('%s %s' % (pkg, v or 'not installed'))
    info['packages'] = ', '.join(vers)
    try:
        info['svkit'] = subprocess.run(['git', '-C', ROOT, 'log', '-1', '--format=%h %cd', '--date=iso'],
                                       capture_output=True, text=True, timeout=10).stdout.strip()
    except Exception:
        info['svkit'] = '?'
    return info


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
                    fig = '%s, %s' % (scriptname, 'stdin file' if mode == 'file' else 'cat |')
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


# ---- 2/3. restart and control latency -------------------------------------------

class Sup:
    def __init__(self, impl, base, errf):
        self.impl = impl
        self.dir = os.path.join(base, impl, 'svc')
        os.makedirs(self.dir)
        os.symlink(STAMP, os.path.join(self.dir, 'run'))
        self.stamps = os.path.join(self.dir, 'stamps')
        self.p = subprocess.Popen([SUPERVISE[impl], self.dir], cwd=os.path.join(base, impl),
                                  stdin=subprocess.DEVNULL, stdout=errf, stderr=errf, env=env_for(impl))

    def last(self):
        s = read_stamps(self.stamps)
        return s[-1] if s else None

    def count(self):
        return len(read_stamps(self.stamps))

    def wait_ran(self, secs):
        """Wait until the current run has been up for secs."""
        last = self.last()
        if last is None:
            return None
        left = last[0] + int(secs * 1e9) - mono()
        if left > 0:
            time.sleep(left / 1e9)
        return last

    def wait_new(self, n0, timeout=5.0):
        return wait_until(lambda: self.count() > n0 and self.last(), timeout)


def bench_supervise(R, tmp):
    errf = open(os.path.join(tmp, 'supervise.err'), 'ab')
    impls = [i for i in IMPLS if have(SUPERVISE[i])]
    missing = [i for i in IMPLS if i not in impls]
    if missing:
        R.note('supervise: not installed: ' + ', '.join('%s (%s)' % (m, SUPERVISE[m]) for m in missing))
    base = os.path.join(tmp, 'sup')
    sups = {i: Sup(i, base, errf) for i in impls}
    for i, s in list(sups.items()):
        if not wait_until(s.last, 10, 0.01):
            R.note('supervise: %s never started its service; left out' % i)
            del sups[i]
    impls = [i for i in impls if i in sups]
    sec = 'restart latency'
    for rnd in range(P['restart_rounds']):
        for impl in rotate(impls, rnd):
            s = sups[impl]
            last = s.wait_ran(1.1)
            if last is None:
                continue
            n0 = s.count()
            t0 = mono()
            try:
                os.kill(last[1], signal.SIGKILL)
            except OSError:
                R.note('restart: %s: service pid %d already gone' % (impl, last[1]))
                continue
            new = s.wait_new(n0)
            v = None if not new else (new[0] - t0) / 1e6
            R.add(sec, 'SIGKILL -> run restarted', impl, v, 'ms')
            R.add(sec, 'SIGKILL -> run restarted', impl, v, 'ms', agg='max')
    sec = 'control latency'
    cimpls = [i for i in impls if have(CONTROL[i])]
    for i in impls:
        if i not in cimpls:
            R.note('control: %s has no %s' % (i, CONTROL[i]))
    for rnd in range(P['control_rounds']):
        for op in ('t', 'du'):
            for impl in rotate(cimpls, rnd):
                s = sups[impl]
                last = s.wait_ran(1.1)
                if last is None or not os.path.exists('/proc/%d' % last[1]):
                    R.note('control: %s: no running service to control' % impl)
                    continue
                if op == 't':
                    n0 = s.count()
                    t0 = mono()
                    c = subprocess.Popen(control_argv(impl, 't', s.dir), stdout=subprocess.DEVNULL, stderr=errf)
                    new = s.wait_new(n0)
                    finish(c)
                    R.add(sec, '-t until new run started', impl, None if not new else (new[0] - t0) / 1e6, 'ms')
                    continue
                try:
                    pfd = os.pidfd_open(last[1])
                except OSError:
                    pfd = None
                t0 = mono()
                c = subprocess.Popen(control_argv(impl, 'd', s.dir), stdout=subprocess.DEVNULL, stderr=errf)
                t1 = None
                if pfd is not None:
                    po = select.poll()
                    po.register(pfd, select.POLLIN)
                    if po.poll(5000):
                        t1 = mono()
                    os.close(pfd)
                finish(c)
                R.add(sec, '-d until process gone', impl, None if t1 is None else (t1 - t0) / 1e6, 'ms')
                n0 = s.count()
                t0 = mono()
                c = subprocess.Popen(control_argv(impl, 'u', s.dir), stdout=subprocess.DEVNULL, stderr=errf)
                new = s.wait_new(n0)
                finish(c)
                R.add(sec, '-u until run started', impl, None if not new else (new[0] - t0) / 1e6, 'ms')
    teardown_all()
    errf.close()


# ---- 4-7. scanner sessions -------------------------------------------------------

class Scan:
    def __init__(self, impl, n, tmp, errf):
        self.impl, self.n = impl, n
        self.base = tempfile.mkdtemp(prefix='scan-%s-' % impl, dir=tmp)
        self.scan = os.path.join(self.base, 'scan')
        self.stage = os.path.join(self.base, 'stage')
        self.all = os.path.join(self.base, 'allstamps')
        os.mkdir(self.scan)
        os.mkdir(self.stage)
        open(self.all, 'w').close()
        for k in range(n):
            d = os.path.join(self.scan, 's%05d' % k)
            os.mkdir(d)
            os.symlink(STAMP, os.path.join(d, 'run'))
            os.symlink('../../allstamps', os.path.join(d, 'stamps'))
        self.errf = errf
        self.p = None

    def start(self, timeout):
        """Start the scanner; return ms until the last of the n services ran."""
        self.t0 = mono()
        self.p = subprocess.Popen(scan_argv(self.impl, self.scan, self.n), cwd=self.base,
                                  stdin=subprocess.DEVNULL, stdout=self.errf, stderr=self.errf,
                                  env=env_for(self.impl))

        seen = [0]

        def up():      # incremental: the driver must not compete for the CPU
            with open(self.all, 'rb') as f:
                f.seek(seen[1])
                data = f.read()
            seen[0] += data.count(b'\n')
            seen[1] += len(data)
            return seen[0] >= self.n
        seen.append(0)
        if not wait_until(up, timeout, 0.02):
            self.up = len({s[2] for s in read_stamps(self.all)})
            return None
        st = read_stamps(self.all)
        self.up = len({s[2] for s in st})
        return (max(s[0] for s in st) - self.t0) / 1e6

    def supervisors(self):
        return children_map(proc_table()).get(self.p.pid, [])

    def pickup(self, k, timeout, ctl=False):
        name = 'new%03d' % k
        d = os.path.join(self.stage, name)
        os.mkdir(d)
        os.symlink(STAMP, os.path.join(d, 'run'))
        dst = os.path.join(self.scan, name)
        t0 = mono()
        os.rename(d, dst)
        if ctl:
            subprocess.run([SVCTL['s6'], '-a', self.scan], stderr=self.errf, timeout=10)
        st = wait_until(lambda: read_stamps(os.path.join(dst, 'stamps')), timeout, 0.001)
        return None if not st else (st[0][0] - t0) / 1e6

    def free_slot(self, name):
        """Take service NAME out of the scan directory and stop its
        supervisor; then let a 5 s rescan forget it."""
        d = os.path.join(self.scan, name)
        sup = None
        for p in self.supervisors():
            try:
                if os.readlink('/proc/%d/cwd' % p) == d:
                    sup = p
            except OSError:
                pass
        if sup is None:
            return False
        gone = os.path.join(self.stage, 'gone-' + name)
        os.rename(d, gone)
        argv = [CONTROL['daemontools'], '-dx', gone] if self.impl == 'daemontools' \
            else [CONTROL['runit'], 'exit', gone]
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=self.errf, timeout=10, env=env_for(self.impl))
        if wait_pidfd(sup, 10) is None:
            return False
        time.sleep(5.5)
        return True

    def close(self):
        teardown_all()
        shutil.rmtree(self.base, ignore_errors=True)


def mem_of(pids):
    out = []
    for p in pids:
        m = smaps(p)
        if m:
            out.append((m.get('Pss', 0), m.get('Private_Clean', 0) + m.get('Private_Dirty', 0), m.get('Rss', 0)))
    return out


def scanners(R):
    impls = [i for i in IMPLS if have(SCANNER[i])]
    missing = [i for i in IMPLS if i not in impls]
    if missing:
        R.note('scanner: not installed: ' + ', '.join('%s (%s)' % (m, SCANNER[m]) for m in missing))
    return impls


def bench_start(R, tmp):
    errf = open(os.path.join(tmp, 'scan.err'), 'ab')
    impls = scanners(R)
    n = P['start_n']
    sec = '%d services' % n
    for rnd in range(P['start_rounds']):
        for impl in rotate(impls, rnd):
            s = Scan(impl, n, tmp, errf)
            try:
                ms = s.start(30)
                R.add(sec, 'start-up: scanner start -> every run started', impl, ms, 'ms')
                if ms is None:
                    R.note('%s: only %d of %d services came up' % (impl, s.up, n))
                    continue
                time.sleep(P['settle'])
                sv = s.supervisors()
                mem = mem_of(sv)
                if mem:
                    R.add(sec, 'Pss per supervisor', impl, statistics.median(m[0] for m in mem), 'kB')
                    R.add(sec, 'private per supervisor', impl, statistics.median(m[1] for m in mem), 'kB')
                sm = mem_of([s.p.pid])
                if sm:
                    R.add(sec, 'scanner Pss', impl, sm[0][0], 'kB')
            finally:
                s.close()
    errf.close()


def bench_idle(R, tmp):
    errf = open(os.path.join(tmp, 'idle.err'), 'ab')
    impls = scanners(R)
    n = P['idle_n']
    sec = '%d services' % n
    rng = random.Random(7)
    for impl in impls:
        s = Scan(impl, n, tmp, errf)
        try:
            ms = s.start(60)
            R.add(sec, 'start-up: scanner start -> every run started', impl, ms, 'ms')
            if ms is None:
                R.note('%s: only %d of %d services came up' % (impl, s.up, n))
                continue
            time.sleep(P['settle'])
            procs = [s.p.pid] + s.supervisors()
            c0 = {p: (cpu_ns(p), ctxsw(p)) for p in procs}
            time.sleep(P['idle_secs'])
            c1 = {p: (cpu_ns(p), ctxsw(p)) for p in procs}
            cpu = sum(c1[p][0] - c0[p][0] for p in procs if c0[p][0] is not None and c1[p][0] is not None)
            sw = {p: c1[p][1] - c0[p][1] for p in procs if c0[p][1] is not None and c1[p][1] is not None}
            fig = 'idle %gs: ' % P['idle_secs']
            R.add(sec, fig + 'CPU, scanner + all supervisors', impl, cpu / 1e6, 'ms')
            R.add(sec, fig + 'context switches, scanner', impl, sw.get(s.p.pid, 0), 'count')
            R.add(sec, fig + 'context switches, all supervisors', impl,
                  sum(v for p, v in sw.items() if p != s.p.pid), 'count')
            R.add(sec, fig + 'supervisors that woke up', impl,
                  sum(1 for p, v in sw.items() if p != s.p.pid and v), 'count')
            # pickup of a new service renamed into the scan directory
            fig = 'pickup of a renamed-in service'
            if impl == 's6':
                v = s.pickup(0, P['s6_noa_timeout'])
                R.add(sec, fig + ' (no command)', impl, v, 'ms')
                if v is None:
                    R.note('s6-svscan did not pick up a new service within %gs without s6-svscanctl -a'
                           % P['s6_noa_timeout'])
                for k in range(P['pick_fast']):
                    R.add(sec, fig + ' (s6: with s6-svscanctl -a)', impl, s.pickup(k + 1, 10, ctl=True), 'ms')
                continue
            slow = impl in ('daemontools', 'runit')
            for k in range(P['pick_slow'] if slow else P['pick_fast']):
                if slow:
                    # daemontools' svscan and runsvdir hold at most 1000
                    # services (compiled in): free a slot first, so that
                    # the new service is the 1000th.
                    if not s.free_slot('s00000' if k == 0 else 'new%03d' % (k - 1)):
                        R.note('pickup: %s: could not free a slot; sample skipped' % impl)
                        continue
                    time.sleep(rng.uniform(0, 5))   # random phase against the 5 s poll
                R.add(sec, fig + ' (no command)', impl, s.pickup(k, 12), 'ms')
        finally:
            s.close()
    errf.close()


def bench_scale(R, tmp):
    if not have(SCANNER['svkit']):
        R.note('scale: no svkit svscan (%s)' % SCANNER['svkit'])
        return
    errf = open(os.path.join(tmp, 'scale.err'), 'ab')
    n = P['scale_n']
    sec = 'scale %d services' % n
    s = Scan('svkit', n, tmp, errf)
    try:
        ms = s.start(max(60, n / 50))
        R.add(sec, 'start-up: scanner start -> every run started', 'svkit', ms, 'ms')
        R.add(sec, 'services up', 'svkit', s.up, 'count', 'higher')
        time.sleep(P['settle'])
        sv = s.supervisors()
        mem = mem_of(sv)
        sm = mem_of([s.p.pid])
        if mem:
            R.add(sec, 'supervisors running', 'svkit', len(mem), 'count', 'higher')
            R.add(sec, 'Pss total, svscan + supervisors', 'svkit',
                  (sum(m[0] for m in mem) + (sm[0][0] if sm else 0)) / 1024, 'MiB')
            R.add(sec, 'private total, svscan + supervisors', 'svkit',
                  (sum(m[1] for m in mem) + (sm[0][1] if sm else 0)) / 1024, 'MiB')
            R.add(sec, 'private per supervisor', 'svkit', statistics.median(m[1] for m in mem), 'kB')
        if sm:
            R.add(sec, 'svscan Pss', 'svkit', sm[0][0], 'kB')
    finally:
        s.close()
    errf.close()


# ---- main ------------------------------------------------------------------------

SECTIONS = [('logger', bench_logger), ('supervise', bench_supervise), ('start', bench_start),
            ('idle', bench_idle), ('scale', bench_scale)]


def main():
    os.makedirs(OUT, exist_ok=True)
    for helper in (STAMP, RU):
        if not have(helper):
            print('bench: fatal: %s is missing (bench.sh builds it)' % helper, file=sys.stderr)
            return 111
    if not set_subreaper():
        print('bench: warning: cannot become a child subreaper', file=sys.stderr)
    raise_limits()
    signal.signal(signal.SIGALRM, on_alarm)
    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGHUP, on_term)
    signal.alarm(P['budget'])
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime('%Y%m%dT%H%M%SZ')
    R = Results(os.path.join(OUT, 'results-%s%s.txt' % (stamp, '-quick' if QUICK else '')))
    info = machine_info()
    for k, v in info.items():
        R.header('%s: %s' % (k, v))
    R.header('params: %s' % P)
    tmp = tempfile.mkdtemp(prefix='svkit-bench.')
    rc = 0
    started = time.monotonic()
    try:
        for name, fn in SECTIONS:
            if ONLY and name not in ONLY:
                continue
            t = time.monotonic()
            print('bench: %s ...' % name, flush=True)
            try:
                fn(R, tmp)
            except (Timeout, KeyboardInterrupt):
                raise
            except Exception as e:   # one broken program must not sink the other sections
                import traceback
                R.note('section %s failed: %s: %s (at %s)' % (name, type(e).__name__, e,
                       traceback.extract_tb(e.__traceback__)[-1][1]))
            finally:
                teardown_all()
            print('bench: %s done in %.1fs' % (name, time.monotonic() - t), flush=True)
    except (Timeout, KeyboardInterrupt) as e:
        R.note('stopped early: %s' % (e or 'interrupted'))
        rc = 1
    finally:
        signal.alarm(0)
        teardown_all()
        shutil.rmtree(tmp, ignore_errors=True)
    info2 = machine_info()
    head, lines = R.table()
    txt = render_text(head, lines)
    md = ['# svkit bench %s' % ('(QUICK)' if QUICK else ''), '',
          '- date: %s; wall time %.0f s' % (info['date'], time.monotonic() - started),
          '- machine: %s CPUs, %s, RAM %s, kernel %s' % (info['nproc'], info['cpu'], info.get('ram', '?'),
                                                        info['kernel']),
          '- load average at start / end: %s / %s' % (' '.join(info.get('loadavg', [])),
                                                      ' '.join(info2.get('loadavg', []))),
          '- peers: %s' % info['packages'],
          '- svkit: %s' % info['svkit'], '']
    md += ['- note: %s' % n for n in R.notes]
    tg = targets(R)
    md += ['', render_md(head, lines), '', 'Targets (issues 2, 3, 4), this run:', '']
    md += ['- ' + t for t in tg] + ['']
    with open(os.path.join(OUT, 'latest%s.md' % ('-quick' if QUICK else '')), 'w') as f:
        f.write('\n'.join(md))
    R.f.write('\n' + txt + '\n\n' + '\n'.join(tg) + '\n')
    R.f.close()
    print()
    print('\n'.join(md[:7]))
    for n in R.notes:
        print('note: ' + n)
    print()
    print(txt)
    print('\ntargets:')
    for t in tg:
        print('  ' + t)
    print('\nraw results: %s' % R.path)
    return rc


if __name__ == '__main__':
    sys.exit(main())
