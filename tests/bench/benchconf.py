# svkit bench: configuration, program tables, parameters (QUICK or full).
# Part of the bench driver; see bench.py and doc/benchmarks.md.

import os

QUICK = os.environ.get('QUICK', '') not in ('', '0')
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
BIN = os.environ.get('SVKIT_BIN') or os.path.join(ROOT, 'bin')
OUT = os.environ.get('BENCH_OUT') or os.path.join(ROOT, 'build', 'bench')   # helpers, data, results
STAMP = os.path.join(OUT, 'stamp')
RU = os.path.join(OUT, 'ru')
PEERPATH = '/usr/bin:/bin:/usr/sbin:/sbin'
ONLY = set(os.environ.get('BENCH_ONLY', '').split(',')) - {''}

P = dict(
    lines=200000 if QUICK else 1000000,
    logreps=1 if QUICK else 5,
    restart_rounds=5 if QUICK else 20,
    control_rounds=3 if QUICK else 10,
    tree_rounds=1 if QUICK else 3,
    start_n=200,
    start_rounds=1 if QUICK else 7,
    idle_n=200 if QUICK else 1000,
    idle_secs=3 if QUICK else 30,
    settle=1.0 if QUICK else 2.0,
    pick_fast=3 if QUICK else 10,
    pick_slow=1 if QUICK else 3,
    s6_noa_timeout=2.0 if QUICK else 6.0,
    scale_n=1000 if QUICK else 10000,
    junk_n=40000,
    junk_rounds=3 if QUICK else 10,
    budget=240 if QUICK else 1500,
)

# BENCH_P='idle_n=1000,idle_secs=1' overrides parameters (development).
for kv in os.environ.get('BENCH_P', '').split(','):
    if '=' in kv:
        k, v = kv.split('=', 1)
        P[k.strip()] = float(v) if '.' in v else int(v)

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


def rotate(lst, k):
    k %= max(1, len(lst))
    return lst[k:] + lst[:k]
