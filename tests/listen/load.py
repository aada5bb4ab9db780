#!/usr/bin/env python3
# load.py tcp:HOST:PORT|unix:PATH STOPFILE [INTERVAL]: one HTTP request after
# another (INTERVAL seconds apart, default 0.01) until STOPFILE exists;
# writes "." for an answered request and "x" for a failed one (refused,
# reset, no answer in 10 s) to stdout, unbuffered.  The last line is
# "ok N failed M".
import os, socket, sys, time

addr, stopfile = sys.argv[1], sys.argv[2]
interval = float(sys.argv[3]) if len(sys.argv) > 3 else 0.01
ok = failed = 0
out = sys.stdout
while not os.path.exists(stopfile):
    try:
        if addr.startswith("unix:"):
            c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            c.settimeout(10)
            c.connect(addr[5:])
        else:
            host, port = addr[4:].rsplit(":", 1)
            c = socket.create_connection((host, int(port)), timeout=10)
        c.sendall(b"GET / HTTP/1.0\r\n\r\n")
        data = b""
        while True:
            d = c.recv(4096)
            if not d:
                break
            data += d
        c.close()
        good = data.startswith(b"HTTP/1.") and b" 200 " in data.split(b"\r\n", 1)[0]
        if not good:
            sys.stderr.write("load.py: bad answer %r\n" % data[:80])
    except OSError as e:
        good = False
        sys.stderr.write("load.py: %.3f %s\n" % (time.time(), e))
    if good:
        ok += 1
    else:
        failed += 1
    out.write("." if good else "x")
    out.flush()
    time.sleep(interval)
out.write("\nok %d failed %d\n" % (ok, failed))
