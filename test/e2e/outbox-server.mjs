// A local SMS gateway for the outbox tests: answers each POST per MODE (ok, fail, busy, slow), and
// appends what it received (key, signature, body) as a JSON line to LOG. Prints its port on stdout.
import http from 'node:http';
import fs from 'node:fs';

const mode = process.env.MODE ?? 'ok';
const log = process.env.LOG;
let n = 0;
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    n++;
    const body = Buffer.concat(chunks).toString('utf8');
    const current = mode === 'flaky' ? (n % 3 === 0 ? 'fail' : 'ok') : mode;
    if (log) fs.appendFileSync(log, JSON.stringify({ key: req.headers['idempotency-key'], signature: req.headers['x-pitstop-signature'] ?? null, body, answered: current }) + '\n');
    if (current === 'slow') return setTimeout(() => res.end('late'), 5000);
    if (current === 'busy') {
      res.writeHead(429, { 'retry-after': '120' });
      return res.end('slow down');
    }
    res.writeHead(current === 'fail' ? 500 : 200, { 'content-type': 'application/json' });
    res.end('{}');
  });
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`));
