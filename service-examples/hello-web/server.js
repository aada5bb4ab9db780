// hello-web for node: answer every request with "Hello World".
// No daemonizing, no pidfile, no log files: supervise keeps it running and
// multilog (see log/run) stamps and rotates what it prints.
// With a listen file (see ./listen), supervise holds the socket and hands it
// over as fd 3 (LISTEN_FDS, LISTEN_PID: systemd's socket activation): then a
// restart refuses no connection.  Without one, it binds PORT itself.
const http = require('http');
const port = Number(process.env.PORT || 5000);
const fromSupervise = Number(process.env.LISTEN_FDS) >= 1 && Number(process.env.LISTEN_PID) === process.pid;
const server = http.createServer((req, res) => {
  console.log(`${req.method} ${req.url}`);
  res.writeHead(200, { 'Content-Type': 'text/plain' });
  res.end('Hello World\n');
});
server.listen(fromSupervise ? { fd: 3 } : port, () =>
  console.log(`hello-web (node ${process.version}) listening on ${fromSupervise ? 'fd 3 (' + process.env.LISTEN_FDNAMES + ')' : 'port ' + port}`));
// Finish the requests in hand, then exit; what arrives meanwhile waits in
// supervise's socket for the next server.
process.on('SIGTERM', () => {
  console.log('hello-web: SIGTERM, exiting');
  server.close(() => process.exit(0));
  server.closeIdleConnections();
  setTimeout(() => process.exit(0), 5000).unref();
});
