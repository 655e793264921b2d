// Kino config updates and paginated history through the npm package.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSandbox } from '../support/sandbox.mjs';
import { installedPackage } from '../support/package.mjs';

const { KinlinkClient } = installedPackage();

let sandbox;
let client;
before(async () => {
  sandbox = await startSandbox();
  client = new KinlinkClient(sandbox.url, sandbox.apiKey);
});
after(async () => { await sandbox?.stop(); });

test('config.update changes only what it is given; a value of the wrong type is the server\'s 422', async () => {
  const before = await client.kino.config.get();
  const after = await client.kino.config.update({ auto_search_interval: 30, media_library_path: '' });
  assert.equal(after.auto_search_interval, 30);
  assert.equal(after.movie_naming_format, before.movie_naming_format);
  await assert.rejects(client.kino.config.update({ auto_search_interval: 'often' }), (e) => e.status === 422 && e.kind === 'bad_request' && /auto_search_interval/.test(e.message));
});

test('history pages and the async iterator walks every page', async () => {
  for (let i = 0; i < 4; i++) await client.kino.config.update({ stall_timeout: 40 + i });
  const page = await client.kino.history.list({ limit: 2 });
  assert.equal(page.results.length, 2);
  assert.equal(page.has_more, true);
  assert.equal(typeof page.next_cursor, 'string');
  assert.equal(page.results[0].event_type, 'config_changed');

  const ids = [];
  for await (const entry of client.kino.history.listAll({ limit: 2 })) ids.push(entry.id);
  assert.deepEqual(ids, [5, 4, 3, 2, 1]);

  let seen = 0;
  const stream = client.kino.history.listAll({ limit: 1 });
  for await (const _entry of stream) { seen += 1; if (seen === 2) break; }
  assert.equal(seen, 2);
  assert.equal((await stream.next()).done, true, 'break stops the walk');
});
