# Helpers for tests/listen-*.t (sourced after lib.sh and supervise-lib.sh):
# services with a listen file, served by tests/listen/server.py and loaded
# by tests/listen/load.py.

LS=$TESTS/listen

# free_port: a random high TCP port nobody listens on.
free_port() {
  fp_seed=$$
  while :; do
    fp=$(awk -v s="$fp_seed" 'BEGIN { srand(s); print 20000 + int(rand() * 40000) }')
    if ! have ss || [ -z "$(ss -Htln "sport = :$fp" 2>/dev/null)" ]; then echo "$fp"; return; fi
    fp_seed=$((fp_seed + 7919))
  done
}

# answers ADDR: one request to ADDR (tcp:HOST:PORT or unix:PATH) is answered.
answers() {
  python3 - "$1" <<'PY'
import socket, sys
a = sys.argv[1]
try:
    if a.startswith("unix:"):
        c = socket.socket(socket.AF_UNIX); c.settimeout(5); c.connect(a[5:])
    else:
        h, p = a[4:].rsplit(":", 1); c = socket.create_connection((h, int(p)), timeout=5)
    c.sendall(b"GET / HTTP/1.0\r\n\r\n")
    d = b""
    while True:
        x = c.recv(4096)
        if not x: break
        d += x
    sys.exit(0 if b" 200 " in d else 1)
except OSError:
    sys.exit(1)
PY
}
refused() { ! answers "$1"; }

# load_start ADDR: a request loop against ADDR in the background (pid in
# load_pid, output in $T/load.out); load_stop ends it and sets ok_n and fail_n.
load_start() {
  rm -f "$T/load.stop"
  spawn python3 "$LS/load.py" "$1" "$T/load.stop" > "$T/load.out"
  load_pid=$spawn_pid
}
load_stop() {
  touch "$T/load.stop"
  wait_for 30000 dead "$load_pid"
  ok_n=$(sed -n 's/^ok \([0-9]*\) failed.*/\1/p' "$T/load.out")
  fail_n=$(sed -n 's/^ok [0-9]* failed \([0-9]*\)$/\1/p' "$T/load.out")
}
# answered: the number of requests answered so far
answered() { tr -cd . < "$T/load.out" | wc -c | tr -d ' '; }
# more_answered N: more than N requests answered
more_answered() { [ "$(answered)" -gt "$1" ]; }
