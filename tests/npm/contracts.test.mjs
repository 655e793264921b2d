// Every operation of each API's contract (Kino's and KinBot's), called through the npm package's
// generated method against a local server that records what arrives: the HTTP method, the path with
// each parameter in place, the query parameter names and the body must be the contract's. The list of
// operations is the contract's (contracts/*.json); the generator's table (<api>.operations.json) only
// says which method to call for each, and must name every operation once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { installedPackage, installedPackageDir } from '../support/package.mjs';

const root = resolve(import.meta.dirname, '../..');
const { KinlinkClient, isKinlinkError } = installedPackage();

const APIS = [
  { name: 'kino', contract: 'contracts/kino.json', overlay: 'contracts/kino.overlay.json', rootInterface: 'KinoApi', cursorWalkers: 6 },
  { name: 'kinbot', contract: 'contracts/kinbot.contract.json', overlay: 'contracts/kinbot.overlay.json', rootInterface: 'KinBotApi', cursorWalkers: 0 },
];

// Answers every request with an empty page, which every kind of method accepts: JSON methods parse it,
// bodiless ones drop it, byte methods return it, walkers see the last page.
let received = [];
const server = createServer((request, response) => {
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    received.push({
      method: request.method,
      url: new URL(request.url, 'http://recorder'),
      headers: request.headers,
      body: Buffer.concat(chunks).toString('utf8'),
    });
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end('{"results":[],"has_more":false}');
  });
});
let client;
let origin;
before(async () => {
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  origin = `127.0.0.1:${server.address().port}`;
  client = new KinlinkClient(`http://${origin}`, 'contract-key', { maxRetries: 0 });
});
after(() => new Promise((done) => server.close(done)));

for (const api of APIS) {
  const contract = JSON.parse(readFileSync(join(root, api.contract), 'utf8'));
  const table = JSON.parse(readFileSync(join(root, `sdk/src/js/generated/${api.name}.operations.json`), 'utf8'));
  const operations = Object.entries(contract.operations);

  const templateNames = (path) => [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
  // A value per path parameter that needs encoding, so a method that skipped the one encoder would show.
  const pathValue = (name) => `${name} v/1`;
  const expectedPath = (path) => path.replace(/\{([^}]+)\}/g, (_, name) => encodeURIComponent(pathValue(name)));
  const queryNames = (op) => op.parameters.filter((p) => p.in === 'query').map((p) => p.name);
  const isJsonBody = (op) => op.request_body && Object.keys(op.request_body.content).includes('application/json');
  const isFormBody = (op) => op.request_body && !isJsonBody(op) && Object.keys(op.request_body.content).includes('multipart/form-data');
  const isPaginated = (op) => ['cursor', 'limit'].every((name) => queryNames(op).includes(name));

  /** The arguments the contract implies: path parameters in path order, then the query or the body. */
  function argumentsFor(op, limit) {
    const args = templateNames(op.path).map(pathValue);
    const names = queryNames(op);
    if (names.length > 0) args.push(Object.fromEntries(names.map((name) => [name, name === 'limit' ? limit : `q ${name}`])));
    const probe = `${op.method} ${op.path}`;
    if (isJsonBody(op)) args.push({ probe });
    else if (isFormBody(op)) args.push([{ name: 'probe', value: probe }]);
    else if (op.request_body) args.push({ data: probe, contentType: 'text/plain' });
    return args;
  }

  function methodOf(key) {
    const rows = table.filter((row) => row.operation === key);
    assert.equal(rows.length, 1, `${key} has one row in ${api.name}.operations.json`);
    const [row] = rows;
    const handle = client[api.name][row.handle];
    assert.ok(handle, `client.${api.name}.${row.handle} exists for ${key}`);
    assert.equal(typeof handle[row.method], 'function', `client.${api.name}.${row.handle}.${row.method} is a method for ${key}`);
    return { row, handle };
  }

  /** Checks the one request a call made against the operation `key` of the contract. */
  function assertSent(key, op, { limit } = {}) {
    assert.equal(received.length, 1, `${key}: one request`);
    const [sent] = received;
    received = [];
    assert.equal(sent.method, op.method, `${key}: HTTP method`);
    assert.equal(sent.url.pathname, expectedPath(op.path), `${key}: path`);
    assert.equal(sent.headers.authorization, 'Bearer contract-key', `${key}: the transport's credentials`);
    const names = queryNames(op);
    const sentNames = [...sent.url.searchParams.keys()].sort();
    if (limit === undefined) {
      assert.deepEqual(sentNames, [...names].sort(), `${key}: query parameter names`);
      for (const name of names) assert.equal(sent.url.searchParams.get(name), name === 'limit' ? 'q limit' : `q ${name}`, `${key}: ${name}`);
    } else {
      // A walker's first page: the pager's limit (clamped) and no cursor yet, the other parameters as given.
      assert.deepEqual(sentNames, names.filter((name) => name !== 'cursor').sort(), `${key}: walker query names`);
      assert.equal(sent.url.searchParams.get('limit'), String(limit), `${key}: walker page size`);
    }
    if (isJsonBody(op)) {
      assert.equal(sent.headers['content-type'], 'application/json', `${key}: JSON body`);
      assert.deepEqual(JSON.parse(sent.body), { probe: key }, `${key}: body`);
    } else if (isFormBody(op)) {
      // A multipart form, its part framed by the boundary it announces.
      const boundary = /^multipart\/form-data; boundary=(.+)$/.exec(sent.headers['content-type'])?.[1];
      assert.ok(boundary, `${key}: a multipart body`);
      assert.equal(sent.body, `--${boundary}\r\nContent-Disposition: form-data; name="probe"\r\n\r\n${key}\r\n--${boundary}--\r\n`, `${key}: the form`);
    } else if (op.request_body) {
      // Any other media type: the bytes as given, with the content type the caller named.
      assert.equal(sent.headers['content-type'], 'text/plain', `${key}: raw body`);
      assert.equal(sent.body, key, `${key}: the raw body`);
    } else {
      assert.equal(sent.body, '', `${key}: no body`);
    }
  }

  test(`${api.name}: the generator names every operation of the contract once, and nothing else`, () => {
    assert.ok(operations.length > 0);
    assert.deepEqual(table.map((row) => row.operation).sort(), operations.map(([key]) => key).sort());
  });

  test(`${api.name}: every operation sends its method, path, parameters and body`, async () => {
    let sending = 0;
    let unsent = 0;
    for (const [key, op] of operations) {
      const { row, handle } = methodOf(key);
      received = [];
      const result = handle[row.method](...argumentsFor(op, 'q limit'));
      if (row.response === 'websocket') {
        assert.equal(result, `ws://${origin}${expectedPath(op.path)}`, `${key}: the WebSocket URL`);
        assert.equal(received.length, 0);
        unsent += 1;
        continue;
      }
      const value = await result;
      assertSent(key, op);
      sending += 1;
      if (row.response === 'empty') assert.equal(value, undefined, `${key}: resolves with nothing`);
      if (row.response === 'json' || row.response === 'json_or_empty') assert.deepEqual(value, { results: [], has_more: false }, `${key}: the parsed body`);
      if (row.response === 'bytes') {
        assert.equal(value.status, 200);
        assert.equal(value.contentType, 'application/json');
        assert.ok(value.body instanceof Uint8Array, `${key}: the body's bytes`);
      }
    }
    assert.equal(sending + unsent, operations.length);
    assert.equal(unsent, table.filter((row) => row.response === 'websocket').length, 'only WebSocket URLs send nothing');
  });

  test(`${api.name}: every paginated list has a walker that pages through the transport`, async () => {
    // Cursor lists (Kino's) by their parameters; limit/offset lists (KinBot's) as the overlay names them.
    const overlay = JSON.parse(readFileSync(join(root, api.overlay), 'utf8'));
    const byOffset = Object.entries(overlay.conventions.pagination.operations ?? {})
      .filter(([, paging]) => paging.style === 'offset' && paging.items !== null)
      .map(([id]) => id);
    const paginated = operations.filter(([, op]) => isPaginated(op));
    const offsetLists = operations.filter(([, op]) => byOffset.includes(op.operation_id));
    assert.equal(paginated.length, api.cursorWalkers, `${paginated.length} cursor lists`);
    assert.equal(offsetLists.length, byOffset.length, 'every offset list of the overlay is an operation');
    assert.deepEqual(table.filter((row) => row.all !== null).map((row) => row.operation).sort(), [...paginated, ...offsetLists].map(([key]) => key).sort());
    for (const [key, op] of paginated) {
      const { row, handle } = methodOf(key);
      received = [];
      const items = [];
      for await (const item of handle[row.all](...argumentsFor(op, 500))) items.push(item);
      assert.deepEqual(items, []);
      assertSent(key, op, { limit: 100 });
    }
  });


  test(`${api.name}: the declarations never fall back to any`, () => {
    const declarations = readFileSync(join(installedPackageDir(), 'dist/all/kinlink.d.ts'), 'utf8');
    const uses = declarations.split('\n').filter((line) => /(:|<|\||,)\s*any\b|\bany\[\]/.test(line.replace(/\/\*\*.*|^\s*\*.*/, '')));
    assert.deepEqual(uses, []);
    // Each method in the interface its handle is declared with on KinoApi.
    const block = (name) => declarations.match(new RegExp(`export interface ${name}\\b[^{]*\\{\\n([\\s\\S]*?)\\n\\}`))?.[1] ?? '';
    const root = block(api.rootInterface);
    for (const row of table) {
      const handleType = root.match(new RegExp(`readonly ${row.handle}: (\\w+);`))?.[1];
      assert.ok(handleType, `${api.rootInterface} declares ${row.handle}`);
      for (const method of [row.method, row.all].filter(Boolean)) {
        assert.match(block(handleType), new RegExp(`^\\s+${method}\\(`, 'm'), `${row.operation}: ${handleType}.${method} is declared`);
      }
    }
  });
}

test('a missing path parameter is refused before anything is sent', async () => {
  received = [];
  await assert.rejects(client.kino.movies.get(undefined), (e) => isKinlinkError(e) && e.kind === 'invalid_argument' && /path parameter id is missing/.test(e.message));
  assert.equal(received.length, 0);
});
