# svkit bench: processes.  Everything the driver starts stays below it (it is
# a child subreaper) and is stopped, then killed, by pid; /proc readers.

import ctypes
import fcntl
import os
import select
import signal
import subprocess
import time

# ---- processes -----------------------------------------------------------------

def mono():
    return time.monotonic_ns()


class Timeout(Exception):
    pass


def on_alarm(sig, frame):
    raise Timeout('bench time budget exhausted')


def on_term(sig, frame):
    raise KeyboardInterrupt


def fs_of(path):
    """'ext4 on /dev/vda, no journal' for the file system holding path."""
    best = ('', '?', '?')
    try:
        for line in open('/proc/self/mountinfo'):
            f = line.split()
            sep = f.index('-')
            mnt, fstype, src = f[4], f[sep + 1], f[sep + 2]
            if (path == mnt or path.startswith(mnt.rstrip('/') + '/')) and len(mnt) >= len(best[0]):
                best = (mnt, fstype, src)
    except (OSError, ValueError, IndexError):
        pass
    out = '%s on %s' % (best[1], best[2])
    if best[1] == 'ext4':
        dev = os.path.basename(best[2])
        try:
            j = any(e.startswith(dev + '-') for e in os.listdir('/proc/fs/jbd2'))
        except OSError:
            j = False
        out += ', journal' if j else ', no journal'
    return out


def spread_subdirs(d):
    """Set ext4's TOPDIR flag (chattr +T) on d, so that each directory made
    in it lands in a block group of its own.  On an ext4 without a journal,
    creating a file costs a buffer lookup per inode freed in its group in the
    last 60-360 s: without this, the trees of earlier rounds, of earlier
    sections and of other people's runs slow down whichever implementation
    comes next, in proportion to the files it creates (doc/benchmarks.md).
    Returns what was done, for the results header."""
    FS_IOC_GETFLAGS, FS_IOC_SETFLAGS, FS_TOPDIR_FL = 0x80086601, 0x40086602, 0x00020000
    try:
        fd = os.open(d, os.O_RDONLY | os.O_DIRECTORY)
    except OSError as e:
        return 'not set (%s)' % e.strerror
    try:
        flags = int.from_bytes(fcntl.ioctl(fd, FS_IOC_GETFLAGS, bytes(8))[:4], 'little')
        fcntl.ioctl(fd, FS_IOC_SETFLAGS, (flags | FS_TOPDIR_FL).to_bytes(4, 'little') + bytes(4))
        return 'set'
    except OSError as e:
        return 'not set (%s)' % e.strerror
    finally:
        os.close(fd)


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
