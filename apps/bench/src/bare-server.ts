import { createServer } from 'node:http';

/**
 * The ceiling: a bare node:http server answering every request with the same
 * small JSON body. API scenarios are reported as a fraction of its throughput
 * on the same machine in the same run.
 */
const body = JSON.stringify({ status: 'ok', service: 'bare' });
const headers = { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) };

createServer((_req, res) => {
  res.writeHead(200, headers);
  res.end(body);
}).listen(Number(process.env.PORT), '127.0.0.1');
