# svkit bench: results (raw file, medians, the table, the targets) and the
# description of the machine.

import datetime
import os
import statistics
import subprocess

from benchconf import IMPLS, P, PEERS, ROOT

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
        cols = IMPLS + ['cat', 'tini', 'dumb-init']   # tini, dumb-init: benchinit.py
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
        out.append('| ' + ' | '.join(str(c).replace('|', '\\|') for c in l) + ' |')
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
