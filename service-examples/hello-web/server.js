// hello-web for node: answer every request with "Hello World".
// No daemonizing, no pidfile, no log files: supervise keeps it running and
// multilog (see log/run) stamps and rotates what it prints.
const http = require('http');
const port = Number(process.env.PORT || 5000);
http.createServer((req, res) => {
  console.log(`${req.method} ${req.url}`);
  res.writeHead(200, { 'Content-Type': 'text/plain' });
  res.end('Hello World\n');
}).listen(port, () => console.log(`hello-web (node ${process.version}) listening on port ${port}`));
process.on('SIGTERM', () => { console.log('hello-web: SIGTERM, exiting'); process.exit(0); });
