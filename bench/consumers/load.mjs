// One round of the sandbox figure: CONNECTIONS keep-alive loops send one kind of request for SECONDS.
//   node load.mjs KIND URL KEY CONNECTIONS SECONDS     KIND: status | config | stream
// prints {"requests", "rps", "p50", "p99"} (latencies in ms; for streams, until the last byte).
import http from 'node:http';
import { performance } from 'node:perf_hooks';

const [kind, url, key, connections, seconds] = process.argv.slice(2);
const agent = new http.Agent({ keepAlive: true, maxSockets: Number(connections) });
const target = new URL(url);
const chat = JSON.stringify({ model: 'sandbox-echo', messages: [{ role: 'user', content: 'load test reply' }], stream: true });
const requests = {
  status: { method: 'GET', path: '/api/v1/status', headers: {} },
  config: { method: 'GET', path: '/api/v1/config', headers: { authorization: `Bearer ${key}` } },
  stream: { method: 'POST', path: '/v1/chat/completions', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: chat },
};
const spec = requests[kind];

function once() {
  return new Promise((resolve, reject) => {
    const req = http.request({ hostname: target.hostname, port: target.port, agent, method: spec.method, path: spec.path, headers: spec.headers }, (res) => {
      if (res.statusCode !== 200) reject(new Error(`${kind}: HTTP ${res.statusCode}`));
      res.on('data', () => {});
      res.on('end', resolve);
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(spec.body);
  });
}

const latencies = [];
const end = performance.now() + Number(seconds) * 1000;
async function loop() {
  while (performance.now() < end) {
    const start = performance.now();
    await once();
    latencies.push(performance.now() - start);
  }
}
const start = performance.now();
await Promise.all(Array.from({ length: Number(connections) }, loop));
const elapsed = (performance.now() - start) / 1000;
latencies.sort((a, b) => a - b);
const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
agent.destroy();
process.stdout.write(`${JSON.stringify({ requests: latencies.length, rps: latencies.length / elapsed, p50: at(0.5), p99: at(0.99) })}\n`);
