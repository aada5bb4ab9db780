# hello-web for python3: answer every request with "Hello World".
# Run with python3 -u so every line reaches the log at once.
# With a listen file (see ./listen), supervise holds the socket and hands it
# over as fd 3 (LISTEN_FDS, LISTEN_PID: systemd's socket activation): then a
# restart refuses no connection.  Without one, it binds PORT itself.
import os, signal, socket, sys, threading
from http.server import BaseHTTPRequestHandler, HTTPServer

class Hello(BaseHTTPRequestHandler):
    def do_GET(self):
        body = b"Hello World\n"
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, fmt, *args):
        print("%s %s" % (self.command, self.path), flush=True)

port = int(os.environ.get("PORT", "5000"))
if os.environ.get("LISTEN_PID") == str(os.getpid()) and int(os.environ.get("LISTEN_FDS", "0")) >= 1:
    server = HTTPServer(("", port), Hello, bind_and_activate=False)
    server.socket = socket.socket(fileno=3)
    where = "fd 3 (%s)" % os.environ.get("LISTEN_FDNAMES", "")
else:
    HTTPServer.allow_reuse_address = True
    server = HTTPServer(("", port), Hello)
    where = "port %d" % port

# Finish the request in hand, then exit (shutdown waits for serve_forever,
# so it runs in a thread of its own).
def bye(signum, frame):
    print("hello-web: SIGTERM, exiting", flush=True)
    threading.Thread(target=server.shutdown).start()

signal.signal(signal.SIGTERM, bye)
print("hello-web (python3 %s) listening on %s" % (sys.version.split()[0], where), flush=True)
server.serve_forever(poll_interval=0.1)
