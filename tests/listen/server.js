// The node twin of server.py, for the bench's pm2 rows: boots in BOOT
// seconds (default 0.3), answers every request with "ok"; fd 3 when
// LISTEN_FDS says so, else 127.0.0.1:PORT; on TERM (pm2 sends INT too)
// finishes the requests in hand, then exits.
const http = require('http');
const boot = Number(process.env.BOOT || 0.3) * 1000;
setTimeout(() => {
  const server = http.createServer((req, res) => { res.writeHead(200); res.end('ok\n'); });
  const fd3 = Number(process.env.LISTEN_FDS) >= 1 && Number(process.env.LISTEN_PID) === process.pid;
  server.listen(fd3 ? { fd: 3 } : { host: '127.0.0.1', port: Number(process.env.PORT) }, () => {
    if (process.send) process.send('ready');
  });
  const bye = () => { server.close(() => process.exit(0)); server.closeIdleConnections(); };
  process.on('SIGTERM', bye);
  process.on('SIGINT', bye);
}, boot);
