#!/usr/bin/env python3
# A test server for the listen file: boots in BOOT seconds (default 0.3),
# then answers every HTTP request on every socket with "ok".  Uses fd 3 when supervise
# hands it over (LISTEN_FDS, LISTEN_PID: socket activation), else binds
# ADDR:PORT itself (argv), as a server without supervise's help does.
# SIGTERM: finish the request in hand, then exit (a graceful server; one
# that exits from the signal handler loses a connection it has just
# accepted: Python runs the handler between accept() and the next line).
import os, select, signal, socket, sys, time

stop = False

def term(signum, frame):
    global stop
    stop = True

signal.signal(signal.SIGTERM, term)
wake_r, wake_w = os.pipe()
os.set_blocking(wake_w, False)
signal.set_wakeup_fd(wake_w)
time.sleep(float(os.environ.get("BOOT", "0.3")))
if os.environ.get("LISTEN_PID") == str(os.getpid()) and int(os.environ.get("LISTEN_FDS", "0")) >= 1:
    socks = [socket.socket(fileno=3 + i) for i in range(int(os.environ["LISTEN_FDS"]))]
else:
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((sys.argv[1], int(sys.argv[2])))
    s.listen(1024)
    socks = [s]
print("listening", flush=True)
while not stop:
    ready = [x for x in select.select(socks + [wake_r], [], [])[0] if x != wake_r]
    if not ready:
        continue
    c, _ = ready[0].accept()
    try:
        c.settimeout(5)
        data = b""
        while b"\r\n\r\n" not in data:
            d = c.recv(4096)
            if not d:
                break
            data += d
        c.sendall(b"HTTP/1.0 200 OK\r\nContent-Length: 3\r\n\r\nok\n")
    except OSError:
        pass
    c.close()
sys.exit(0)
