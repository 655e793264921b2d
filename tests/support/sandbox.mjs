// Starts a sandbox server for one test file: a free port, a fresh data directory, and a guaranteed stop.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

const root = resolve(import.meta.dirname, '../..');

export async function startSandbox({ faults = false, staticDir = null, corsAny = false, args = [], bin: binary = null } = {}) {
  const bin = binary ?? process.env.KINLINK_SANDBOX_BIN ?? join(root, 'target/debug/kinlink-sandbox');
  if (!existsSync(bin)) throw new Error(`sandbox binary not found at ${bin}; build it with cargo build -p kinlink-sandbox`);
  const dataDir = mkdtempSync(join(tmpdir(), 'kinlink-sandbox-'));
  const readyFile = join(dataDir, 'ready.json');
  const argv = ['--port', '0', '--data', dataDir, '--ready-file', readyFile, ...args];
  if (faults) argv.push('--faults');
  if (staticDir) argv.push('--static', staticDir);
  if (corsAny) argv.push('--cors-origin', '*');
  const child = spawn(bin, argv, { stdio: ['ignore', 'ignore', 'inherit'] });
  let exited = null;
  child.on('exit', (code) => { exited = code ?? 'signal'; });
  for (let i = 0; i < 300 && !existsSync(readyFile); i++) {
    if (exited !== null) throw new Error(`sandbox exited early (${exited})`);
    await delay(50);
  }
  if (!existsSync(readyFile)) { child.kill('SIGKILL'); throw new Error('sandbox did not become ready in 15 s'); }
  const { url, api_key: apiKey, kinbot_email: kinbotEmail } = JSON.parse(readFileSync(readyFile, 'utf8'));
  const stop = async () => {
    if (exited === null) {
      const done = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await done;
      clearTimeout(timer);
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  return { url, apiKey, kinbotEmail, stop };
}
