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

from benchconf import (CONTROL, IMPLS, ONLY, OUT, P, QUICK, ROOT, RU, SCANNER, STAMP, SUPERVISE, SVCTL,
                       control_argv, env_for, have, rotate, scan_argv)
from benchlog import bench_logger
from benchtree import bench_tree
from benchinit import bench_init
from benchstat import bench_status
from benchsvlogs import bench_svlogs
from benchlisten import bench_listen
from benchproc import (Timeout, children_map, cpu_ns, ctxsw, finish, fs_of, mono, on_alarm, on_term,
                       proc_table, raise_limits, read_stamps, set_subreaper, smaps, spread_subdirs,
                       teardown_all, wait_pidfd, wait_until)
from benchreport import Results, machine_info, render_md, render_text, targets

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
        # The tree stays until the whole run ends (main removes tmp): freeing
        # its 2,000 inodes now would slow down every file creation near them
        # for minutes on an ext4 without a journal (see spread_subdirs).
        teardown_all()


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


PEER_MAX_SERVICES = 1000   # daemontools svscan.c SERVICES, runit runsvdir.c MAXSERVICES


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
                for k in range(P['pick_fast'] if have(SVCTL['s6']) else 0):
                    R.add(sec, fig + ' (s6: with s6-svscanctl -a)', impl, s.pickup(k + 1, 10, ctl=True), 'ms')
                continue
            slow = impl in ('daemontools', 'runit')
            for k in range(P['pick_slow'] if slow else P['pick_fast']):
                if slow and n + k + 1 > PEER_MAX_SERVICES:
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


def bench_junk(R, tmp):
    """svkit's svscan -t 0 with junk_n plain files beside one service: each
    round sends SIGALRM (a full rescan), renames a new service in, and
    measures the time until it ran and svscan's CPU for the round."""
    if not have(SCANNER['svkit']):
        R.note('junk: no svkit svscan (%s)' % SCANNER['svkit'])
        return
    errf = open(os.path.join(tmp, 'junk.err'), 'ab')
    n = P['junk_n']
    sec = 'rescan with %d junk entries' % n
    base = tempfile.mkdtemp(prefix='junk-', dir=tmp)
    scan, stage = os.path.join(base, 'scan'), os.path.join(base, 'stage')
    os.mkdir(scan)
    os.mkdir(stage)
    for k in range(n):
        open(os.path.join(scan, 'junk%d' % k), 'w').close()

    def service(d):
        os.mkdir(d)
        os.symlink(STAMP, os.path.join(d, 'run'))
    service(os.path.join(scan, 'first'))
    p = subprocess.Popen([SCANNER['svkit'], '-t', '0', scan], cwd=base, stdin=subprocess.DEVNULL,
                         stdout=errf, stderr=errf)
    try:
        t0 = mono()
        st = wait_until(lambda: read_stamps(os.path.join(scan, 'first', 'stamps')), 120, 0.01)
        R.add(sec, 'start-up: scanner start -> the service ran', 'svkit',
              None if not st else (st[0][0] - t0) / 1e6, 'ms')
        if not st:
            return
        time.sleep(P['settle'])
        for k in range(P['junk_rounds']):
            d = os.path.join(stage, 'new%d' % k)
            service(d)
            c0 = cpu_ns(p.pid)
            t0 = mono()
            os.kill(p.pid, signal.SIGALRM)
            dst = os.path.join(scan, 'new%d' % k)
            os.rename(d, dst)
            st = wait_until(lambda: read_stamps(os.path.join(dst, 'stamps')), 60, 0.001)
            c1 = cpu_ns(p.pid)
            R.add(sec, 'SIGALRM rescan + new service -> it ran', 'svkit', None if not st else (st[0][0] - t0) / 1e6,
                  'ms')
            if st and c0 is not None and c1 is not None:
                R.add(sec, 'svscan CPU per rescan', 'svkit', (c1 - c0) / 1e6, 'ms')
    finally:
        teardown_all()
        errf.close()


# ---- main ------------------------------------------------------------------------

SECTIONS = [('logger', bench_logger), ('supervise', bench_supervise), ('tree', bench_tree), ('start', bench_start),
            ('idle', bench_idle), ('scale', bench_scale), ('junk', bench_junk), ('status', bench_status),
            ('init', bench_init), ('svlogs', bench_svlogs), ('listen', bench_listen)]


def update_doc(md):
    """BENCH_DOC=1: put this run's table under doc/benchmarks.md's last heading."""
    doc = os.path.join(ROOT, 'doc', 'benchmarks.md')
    head = '## Latest full run'
    try:
        with open(doc) as f:
            text = f.read()
    except OSError:
        return
    i = text.find(head)
    if i < 0:
        return
    body = [l for l in md[1:]]
    with open(doc + '.new', 'w') as f:
        f.write(text[:i] + head + '\n' + '\n'.join(body).rstrip('\n') + '\n')
    os.rename(doc + '.new', doc)
    print('bench: wrote the table into %s' % doc)


def main():
    os.makedirs(OUT, exist_ok=True)
    for helper in (STAMP, RU):
        if not have(helper):
            print('bench: fatal: %s is missing (bench.sh builds it)' % helper, file=sys.stderr)
            return 111
    if not set_subreaper():
        print('bench: warning: cannot become a child subreaper', file=sys.stderr)
    raise_limits()
    # Other people's builds share this machine: as root, run the bench and
    # everything it measures at nice -10 (all implementations alike), so
    # that their load disturbs the figures less.  BENCH_NICE=0 disables it.
    try:
        nice = int(os.environ.get('BENCH_NICE', '-10' if os.geteuid() == 0 else '0'))
        if nice:
            os.nice(nice)
    except (OSError, ValueError):
        nice = 0
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
    R.header('niceness: %d' % os.getpriority(os.PRIO_PROCESS, 0))
    tmp = tempfile.mkdtemp(prefix='svkit-bench.')
    R.header('scratch: %s, %s, TOPDIR flag %s' % (tmp, fs_of(tmp), spread_subdirs(tmp)))
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
            R.header('section %s: %.1f s' % (name, time.monotonic() - t))
    except (Timeout, KeyboardInterrupt) as e:
        R.note('stopped early: %s' % (str(e) or 'interrupted by a signal'))
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
          '- svkit: %s; bench processes at nice %d' % (info['svkit'], os.getpriority(os.PRIO_PROCESS, 0)),
          '']
    md += ['- note: %s' % n for n in R.notes]
    tg = targets(R)
    md += ['', render_md(head, lines), '', 'Targets (issues 2, 3, 4), this run:', '']
    md += ['- ' + t for t in tg] + ['']
    with open(os.path.join(OUT, 'latest%s.md' % ('-quick' if QUICK else '')), 'w') as f:
        f.write('\n'.join(md))
    R.f.write('\n' + txt + '\n\n' + '\n'.join(tg) + '\n')
    R.f.close()
    if os.environ.get('BENCH_DOC') and not QUICK and rc == 0:
        update_doc(md)
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
