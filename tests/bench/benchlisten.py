# svkit bench: failed requests over 10 restarts (issue 16), and supervise's
# idle memory with and without a listen file.  Part of the bench driver
# (bench.py SECTIONS).
#
# One server (tests/listen/server.py: boots in 0.3 s, answers HTTP) under
# each supervisor, a steady request loop (tests/listen/load.py, one request
# every 10 ms), `-t` once a second, 10 times; then the failed requests are
# counted.  svkit runs twice: with a listen file (supervise holds the
# socket) and without (the server binds it itself, as under the peers).
# pm2, when installed: `pm2 restart` (fork mode) and `pm2 reload` (cluster
# mode, 2 workers) on the node twin tests/listen/server.js.

import os
import shutil
import signal
import socket
import subprocess
import time

from benchconf import CONTROL, IMPLS, P, ROOT, SUPERVISE, control_argv, env_for, have
from benchproc import smaps, teardown_all, wait_until

LS = os.path.join(ROOT, 'tests', 'listen')
RESTARTS = 10


def free_port():
    s = socket.socket()
    s.bind(('127.0.0.1', 0))
    port = s.getsockname()[1]
    s.close()
    return port


def answers(port):
    try:
        c = socket.create_connection(('127.0.0.1', port), timeout=2)
        c.sendall(b'GET / HTTP/1.0\r\n\r\n')
        d = c.recv(100)
        c.close()
        return b' 200 ' in d
    except OSError:
        return False


def under_load(port, tmp, tag, restart):
    """restart() RESTARTS times, once a second, under load.py; (ok, failed)."""
    stop = os.path.join(tmp, tag + '.stop')
    out = os.path.join(tmp, tag + '.load')
    with open(out, 'w') as f:
        load = subprocess.Popen(['python3', os.path.join(LS, 'load.py'), 'tcp:127.0.0.1:%d' % port, stop],
                                stdout=f, stderr=subprocess.DEVNULL)
    time.sleep(1.0)
    for _ in range(RESTARTS):
        restart()
        time.sleep(1.0)
    wait_until(lambda: answers(port), 10, 0.05)
    time.sleep(0.5)
    open(stop, 'w').close()
    try:
        load.wait(30)
    except subprocess.TimeoutExpired:
        load.kill()
        load.wait()
    last = open(out).read().strip().splitlines()[-1].split()
    return int(last[1]), int(last[3])


def one_supervisor(R, tmp, impl, listen, errf):
    port = free_port()
    tag = impl + ('-listen' if listen else '')
    d = os.path.join(tmp, 'listen', tag)
    os.makedirs(d)
    with open(os.path.join(d, 'run'), 'w') as f:
        f.write('#!/bin/sh\nexec python3 %s 127.0.0.1 %d\n' % (os.path.join(LS, 'server.py'), port))
    os.chmod(os.path.join(d, 'run'), 0o755)
    if listen:
        with open(os.path.join(d, 'listen'), 'w') as f:
            f.write('tcp:127.0.0.1:%d\n' % port)
    p = subprocess.Popen([SUPERVISE[impl], d], cwd=os.path.dirname(d), stdin=subprocess.DEVNULL,
                         stdout=errf, stderr=errf, env=env_for(impl))
    try:
        if not wait_until(lambda: answers(port), 20, 0.05):
            R.note('listen: %s never answered; left out' % tag)
            return None
        return under_load(port, tmp, tag, lambda: subprocess.call(control_argv(impl, 't', d),
                                                                  stdout=subprocess.DEVNULL, stderr=errf))
    finally:
        p.terminate()
        teardown_all()


def pm2_runs(R, tmp, errf):
    pm2 = shutil.which('pm2')
    node = shutil.which('node')
    if not pm2 or not node:
        R.note('listen: pm2 %s: no pm2 figures' % ('is not installed' if not pm2 else 'has no node'))
        return {}
    out = {}
    for mode in ('restart', 'reload'):
        port = free_port()
        env = dict(os.environ, PM2_HOME=os.path.join(tmp, 'pm2-' + mode), PORT=str(port))
        args = [pm2, 'start', os.path.join(LS, 'server.js'), '--name', 'bench', '--kill-timeout', '5000']
        if mode == 'reload':
            args += ['-i', '2']
        subprocess.call(args, env=env, stdout=errf, stderr=errf)
        try:
            if not wait_until(lambda: answers(port), 30, 0.05):
                R.note('listen: pm2 (%s) never answered' % mode)
                continue
            out[mode] = under_load(port, tmp, 'pm2-' + mode, lambda: subprocess.call(
                [pm2, mode, 'bench'], env=env, stdout=errf, stderr=errf))
        finally:
            subprocess.call([pm2, 'kill'], env=env, stdout=errf, stderr=errf)
            teardown_all()
    return out


def idle_memory(R, tmp, errf):
    """supervise's private memory, idle, service up: no listen file, then one."""
    for listen in (False, True):
        d = os.path.join(tmp, 'listen', 'idle-' + ('with' if listen else 'without'))
        os.makedirs(d)
        with open(os.path.join(d, 'run'), 'w') as f:
            f.write('#!/bin/sh\nexec sleep 600\n')
        os.chmod(os.path.join(d, 'run'), 0o755)
        if listen:
            with open(os.path.join(d, 'listen'), 'w') as f:
                f.write('tcp:127.0.0.1:%d\nunix:web.sock\n' % free_port())
        p = subprocess.Popen([SUPERVISE['svkit'], d], stdin=subprocess.DEVNULL, stdout=errf, stderr=errf)
        try:
            wait_until(lambda: os.path.exists(os.path.join(d, 'supervise', 'pid')) and
                       open(os.path.join(d, 'supervise', 'pid')).read().strip(), 10, 0.01)
            # a restart too: the sockets' second hand-over
            subprocess.call([CONTROL['svkit'], '-t', d])
            time.sleep(P['settle'])
            m = smaps(p.pid) or {}
            which = 'with listen (2 sockets)' if listen else 'no listen file'
            R.add('listen', 'idle supervise: Rss, ' + which, 'svkit', m.get('Rss'), 'kB')
            # private dirty: what each supervise costs of its own (its code
            # is clean and shared by every supervise of the machine)
            R.add('listen', 'idle supervise: private dirty, ' + which, 'svkit', m.get('Private_Dirty'), 'kB')
        finally:
            p.terminate()
            teardown_all()


def bench_listen(R, tmp):
    errf = open(os.path.join(tmp, 'listen.err'), 'ab')
    sec = 'listen'
    fig = 'failed requests over %d restarts (0.3 s boot)' % RESTARTS
    try:
        for impl in IMPLS:
            if not have(SUPERVISE[impl]):
                R.note('listen: %s is not installed' % impl)
                continue
            for listen in ((False, True) if impl == 'svkit' else (False,)):
                r = one_supervisor(R, tmp, impl, listen, errf)
                if r is None:
                    continue
                R.add(sec, fig + (', svkit with a listen file' if listen else ''), impl, r[1], 'requests')
                R.note('listen: %s%s: %d answered, %d failed over %d restarts'
                       % (impl, ' with listen' if listen else '', r[0], r[1], RESTARTS))
        for mode, r in pm2_runs(R, tmp, errf).items():
            R.note('listen: pm2 %s%s: %d answered, %d failed over %d restarts'
                   % (mode, ' (cluster mode, 2 workers)' if mode == 'reload' else ' (fork mode)', r[0], r[1], RESTARTS))
        idle_memory(R, tmp, errf)
    finally:
        errf.close()
