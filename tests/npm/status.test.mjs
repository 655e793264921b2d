// The npm package (wasm-pack, Node target) imported by Node against a sandbox.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSandbox } from '../support/sandbox.mjs';
import { installedPackage } from '../support/package.mjs';

const { KinlinkClient, isKinlinkError } = installedPackage();

let sandbox;
before(async () => { sandbox = await startSandbox(); });
after(async () => { await sandbox?.stop(); });

test('status resolves to a plain typed object', async () => {
  const client = new KinlinkClient(sandbox.url);
  const status = await client.kino.system.getStatus();
  assert.match(status.version, /^\d+\.\d+\.\d+/);
  assert.equal('uptime_seconds' in status, false, 'Kino sends no uptime');
  assert.ok(Array.isArray(status.warnings));
});

test('config with the key; X-Api-Key works too', async () => {
  const viaBearer = await new KinlinkClient(sandbox.url, sandbox.apiKey).kino.config.get();
  assert.equal(viaBearer.id, 1);
  assert.equal(viaBearer.api_key, '***');
  const viaHeader = await new KinlinkClient(sandbox.url, sandbox.apiKey, { apiKeyHeader: 'x-api-key' }).kino.config.get();
  assert.equal(viaHeader.id, 1);
});

test('a wrong key rejects with a KinlinkError', async () => {
  const client = new KinlinkClient(sandbox.url, 'wrong');
  await assert.rejects(client.kino.config.get(), (error) => {
    assert.ok(error instanceof Error);
    assert.ok(isKinlinkError(error));
    assert.equal(error.name, 'KinlinkError');
    assert.equal(error.kind, 'unauthorized');
    assert.equal(error.status, 401);
    // Kino's middleware answers 401 with an empty body, so there is no server code.
    assert.ok(error.code == null, `code: ${error.code}`);
    return true;
  });
});

test('an aborted call rejects with kind "aborted"', async () => {
  const client = new KinlinkClient(sandbox.url, sandbox.apiKey);
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(client.kino.system.getStatus({ signal: controller.signal }), (error) => error.kind === 'aborted');
});

test('a malformed URL throws at construction', () => {
  assert.throws(() => new KinlinkClient('not a url'), (error) => error.kind === 'invalid_argument');
});
