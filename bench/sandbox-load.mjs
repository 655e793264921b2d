// The sandbox figure: requests/s and latency of the release sandbox for a public GET, an authenticated
// GET and concurrent chat streams, each round in a fresh load process, kinds interleaved.
import { runJson } from './child.mjs';
import { join, resolve } from 'node:path';
import { startSandbox } from '../tests/support/sandbox.mjs';
import { summary } from './stats.mjs';

const root = resolve(import.meta.dirname, '..');

export async function sandboxLoad({ bin, rounds, log, seconds = 3, connections = 32, streams = 100 }) {
  const sandbox = await startSandbox({ bin });
  const kinds = [
    { kind: 'status', name: '`GET /api/v1/status` (public)', connections },
    { kind: 'config', name: '`GET /api/v1/config` (authenticated)', connections },
    { kind: 'stream', name: `chat stream, ${streams} at a time`, connections: streams },
  ];
  const samples = Object.fromEntries(kinds.map((k) => [k.kind, []]));
  try {
    for (let round = 0; round < rounds; round++) {
      for (let i = 0; i < kinds.length; i++) {
        const k = kinds[(round + i) % kinds.length];
        const r = await runJson(process.execPath, [join(root, 'bench/consumers/load.mjs'), k.kind, sandbox.url, sandbox.apiKey, String(k.connections), String(seconds)]);
        samples[k.kind].push(r);
        log(`  round ${round + 1}/${rounds} ${k.kind}: ${r.rps.toFixed(0)} req/s, p99 ${r.p99.toFixed(2)} ms`);
      }
    }
  } finally {
    await sandbox.stop();
  }
  return {
    seconds, connections, streams,
    rows: kinds.map((k) => ({
      name: k.name,
      rps: summary(samples[k.kind].map((r) => r.rps)),
      p50: summary(samples[k.kind].map((r) => r.p50)),
      p99: summary(samples[k.kind].map((r) => r.p99)),
    })),
  };
}
