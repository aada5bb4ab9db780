# hello-web for python3: answer every request with "Hello World".
# Run with python3 -u so every line reaches the log at once.
import os, signal, sys
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

def bye(signum, frame):
    print("hello-web: SIGTERM, exiting", flush=True)
    sys.exit(0)

signal.signal(signal.SIGTERM, bye)
port = int(os.environ.get("PORT", "5000"))
HTTPServer.allow_reuse_address = True
server = HTTPServer(("", port), Hello)
print("hello-web (python3 %s) listening on port %d" % (sys.version.split()[0], port), flush=True)
server.serve_forever()
