// The generated Kino methods for real, against a sandbox: reads and a partial update, an operation the
// sandbox does not serve (501 in Kino's envelope), and a cursor walk over every page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { startSandbox } from '../support/sandbox.mjs';
import { installedPackage } from '../support/package.mjs';

const { KinlinkClient, isKinlinkError } = installedPackage();

let sandbox;
let client;
before(async () => {
  sandbox = await startSandbox();
  client = new KinlinkClient(sandbox.url, sandbox.apiKey);
});
after(async () => { await sandbox?.stop(); });

test('generated reads resolve with the server\'s JSON', async () => {
  const status = await client.kino.system.getStatus();
  assert.match(status.version, /^\d+\.\d+\.\d+/);
  assert.ok(Array.isArray(status.warnings));
  assert.equal(typeof status.setup_required, 'boolean');

  const config = await client.kino.config.get();
  assert.equal(config.id, 1);
  assert.equal(config.api_key, '***');
});

test('a generated update sends only what it is given', async () => {
  const before = await client.kino.config.get();
  const after = await client.kino.config.update({ stall_timeout: before.stall_timeout + 1 });
  assert.equal(after.stall_timeout, before.stall_timeout + 1);
  assert.equal(after.movie_naming_format, before.movie_naming_format);
});

test('an operation the sandbox does not serve rejects with its 501 envelope', async () => {
  await assert.rejects(client.kino.movies.get(7, { maxRetries: 0 }), (error) => {
    assert.ok(isKinlinkError(error));
    assert.equal(error.status, 501);
    assert.equal(error.kind, 'server');
    assert.equal(error.code, 'not_implemented');
    assert.match(error.message, /GET \/api\/v1\/movies\/\{id\}/);
    return true;
  });
  // A walker fails the same way on its first page.
  const walk = async () => { for await (const _movie of client.kino.movies.listAll({ limit: 5 }, { maxRetries: 0 })) { /* nothing */ } };
  await assert.rejects(walk(), (error) => isKinlinkError(error) && error.status === 501);
});

test('the generated history walker reads every page, newest first', async () => {
  const walk = async (query) => {
    const ids = [];
    for await (const entry of client.kino.history.listAll(query)) ids.push(entry.id);
    return ids;
  };
  const initial = await walk();
  for (let i = 0; i < 5; i++) await client.kino.config.update({ stall_timeout: 50 + i });

  const page = await client.kino.history.list({ limit: 2 });
  assert.equal(page.results.length, 2);
  assert.equal(page.has_more, true);
  assert.equal(typeof page.next_cursor, 'string');
  const second = await client.kino.history.list({ limit: 2, cursor: page.next_cursor });
  assert.ok(second.results[0].id < page.results[1].id, 'the cursor continues after the first page');

  const ids = await walk({ limit: 2, event_type: 'config_changed' });
  assert.equal(ids.length, initial.length + 5);
  assert.deepEqual(ids.slice(0, 4), [...page.results, ...second.results].map((e) => e.id));
  assert.deepEqual(ids, [...ids].sort((a, b) => b - a), 'newest first');

  // A page size past the server's maximum is clamped by the pager, not refused.
  assert.deepEqual(await walk({ limit: 500 }), ids);
});

test('breaking out of a generated walker stops it', async () => {
  const stream = client.kino.history.listAll({ limit: 1 });
  let seen = 0;
  for await (const _entry of stream) { seen += 1; break; }
  assert.equal(seen, 1);
  assert.equal((await stream.next()).done, true);
});

test('arguments the transport cannot send are refused before sending', async () => {
  await assert.rejects(client.kino.backups.restoreUpload([{ name: 'file', data: 'not bytes' }]), (e) => isKinlinkError(e) && e.kind === 'invalid_argument' && /Uint8Array/.test(e.message));
  await assert.rejects(client.kino.backups.restoreUpload([{ name: 'a\r\nX-Injected: 1', value: 'v' }]), (e) => isKinlinkError(e) && e.kind === 'invalid_argument');
  await assert.rejects(client.kino.history.list({ limit: 10n }), (e) => isKinlinkError(e) && e.kind === 'invalid_argument');
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(client.kino.system.getHealth({ signal: controller.signal }), (e) => isKinlinkError(e) && e.kind === 'aborted');
});

test('the WebSocket operation gives its URL on the same server', () => {
  assert.equal(client.kino.websocket.url(), `${sandbox.url.replace(/^http/, 'ws')}/api/v1/ws`);
});

test('a multipart operation sends its form parts, framed by the boundary it announces', async () => {
  let seen;
  const server = createServer((request, response) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      seen = { method: request.method, url: request.url, type: request.headers['content-type'], body: Buffer.concat(chunks) };
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"ok":true,"message":"restored"}');
    });
  });
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  try {
    const local = new KinlinkClient(`http://127.0.0.1:${server.address().port}`, 'key');
    const archive = new Uint8Array([0x1f, 0x8b, 0x08, 0x00]);
    const reply = await local.kino.backups.restoreUpload([
      { name: 'note', value: 'nightly' },
      { name: 'file', data: archive, filename: 'kino.tar.gz', contentType: 'application/gzip' },
    ]);
    assert.deepEqual(reply, { ok: true, message: 'restored' });
    assert.equal(`${seen.method} ${seen.url}`, 'POST /api/v1/backups/restore-upload');
    const boundary = /^multipart\/form-data; boundary=(.+)$/.exec(seen.type)?.[1];
    assert.ok(boundary, seen.type);
    // Parsed the way the platform parses forms: a Response reading the body as FormData.
    const form = await new Response(seen.body, { headers: { 'content-type': seen.type } }).formData();
    assert.equal(form.get('note'), 'nightly');
    const file = form.get('file');
    assert.equal(file.name, 'kino.tar.gz');
    assert.equal(file.type, 'application/gzip');
    assert.deepEqual(new Uint8Array(await file.arrayBuffer()), archive);
  } finally {
    server.close();
  }
});

