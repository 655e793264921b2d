// KinBot through the npm package against a sandbox: the generated methods reach the sandbox's KinBot
// routes, which answer as the real server does where the sandbox has no behaviour yet.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSandbox } from '../support/sandbox.mjs';
import { installedPackage } from '../support/package.mjs';

const { KinlinkClient, isKinlinkError } = installedPackage();

let sandbox;
before(async () => { sandbox = await startSandbox(); });
after(async () => { await sandbox?.stop(); });

test('an operation the sandbox does not serve rejects with KinBot\'s 501 envelope naming it', async () => {
  const client = new KinlinkClient(sandbox.url, sandbox.apiKey, { maxRetries: 0 });
  await assert.rejects(client.kinbot.kins.list(), (error) => {
    assert.ok(isKinlinkError(error));
    assert.equal(error.status, 501);
    assert.equal(error.code, 'NOT_IMPLEMENTED');
    assert.match(error.message, /GET \/api\/kins \(list_kins\)/);
    return true;
  });
  await assert.rejects(client.kinbot.miniApps.setStorage('app-1', 'greeting', { value: 'hi' }), (error) => error.status === 501 && /storage/.test(error.message));
});

test('without a session KinBot answers 401 UNAUTHORIZED in its envelope', async () => {
  const client = new KinlinkClient(sandbox.url, undefined, { maxRetries: 0 });
  await assert.rejects(client.kinbot.kins.list(), (error) => {
    assert.equal(error.kind, 'unauthorized');
    assert.equal(error.code, 'UNAUTHORIZED');
    assert.match(error.message, /^Authentication required/);
    return true;
  });
});

test('an offset list is walked page by page until the server says no more', async () => {
  const { createServer } = await import('node:http');
  const seen = [];
  const pages = {
    '/api/tasks?limit=2&status=done': { tasks: [{ id: 't1' }, { id: 't2' }], total: 3, hasMore: true },
    '/api/tasks?limit=2&offset=2&status=done': { tasks: [{ id: 't3' }], total: 3, hasMore: false },
  };
  const server = createServer((request, response) => {
    seen.push(request.url);
    const page = pages[request.url];
    response.writeHead(page ? 200 : 404, { 'content-type': 'application/json' });
    response.end(JSON.stringify(page ?? { error: { code: 'NOT_FOUND', message: request.url } }));
  });
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  try {
    const client = new KinlinkClient(`http://127.0.0.1:${server.address().port}`, undefined, { maxRetries: 0 });
    const ids = [];
    for await (const task of client.kinbot.tasks.listAll({ limit: 2, status: 'done' })) ids.push(task.id);
    assert.deepEqual(ids, ['t1', 't2', 't3']);
    assert.deepEqual(seen, Object.keys(pages), 'the offset advanced by the first page, and no third page');
  } finally {
    server.close();
  }
});
