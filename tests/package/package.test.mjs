// The npm package as users install it: the tarball from scripts/package, installed by npm into fresh
// projects (Node ES module, Node CommonJS, TypeScript under two module resolutions, a Vite app loaded in
// Chromium), each running the README's program for it against a sandbox.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { startSandbox } from '../support/sandbox.mjs';
import { consumerProject, packageTarball, readmePrograms } from '../support/package.mjs';
import { launchChromium } from '../support/browser.mjs';

const root = resolve(import.meta.dirname, '../..');
const programs = readmePrograms();
const ENTRIES = ['all', 'openai', 'kino', 'kinbot'];

let sandbox;
before(async () => { sandbox = await startSandbox(); });
after(async () => { await sandbox?.stop(); });

function runNode(dir, file) {
  return execFileSync(process.execPath, [file], {
    cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, KINLINK_URL: sandbox.url, KINLINK_KEY: sandbox.apiKey },
  });
}

test('the README names a program for each consumer', () => {
  for (const file of ['stream.mjs', 'stream.cjs', 'browser.js', 'summary.ts']) assert.ok(programs[file], file);
});

test('the tarball holds every entry, licenses and a manifest with conditional exports', () => {
  const tarball = packageTarball();
  const files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).split('\n').filter(Boolean);
  for (const file of ['package.json', 'README.md', 'LICENSE-MIT', 'LICENSE-APACHE']) assert.ok(files.includes(`package/${file}`), file);
  for (const entry of ENTRIES) {
    for (const file of ['node/kinlink.js', 'node/kinlink_bg.wasm', 'node/index.mjs', 'web/index.js', 'web/kinlink.js',
      'web/kinlink_bg.wasm', 'kinlink.d.ts', 'kinlink.d.mts']) {
      assert.ok(files.includes(`package/dist/${entry}/${file}`), `${entry}/${file}`);
    }
  }
  const manifest = JSON.parse(execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' }));
  assert.equal(manifest.name, 'kinlink');
  assert.equal(manifest.sideEffects, false);
  assert.equal(manifest.dependencies, undefined, 'no dependencies');
  assert.deepEqual(Object.keys(manifest.exports).sort(), ['.', './kinbot', './kino', './openai', './package.json']);
  for (const [path, conditions] of Object.entries(manifest.exports)) {
    if (path === './package.json') continue;
    for (const condition of ['node', 'browser', 'import', 'require', 'default']) assert.ok(conditions[condition], `${path} ${condition}`);
    assert.ok(conditions.node.import.types && conditions.node.require.types, `${path} types`);
  }
  const readme = execFileSync('tar', ['-xzOf', tarball, 'package/README.md'], { encoding: 'utf8' });
  assert.ok(readme.includes(programs['stream.mjs']), "the package's README carries the tested programs");
});

test('Node, ES module: the README program streams a reply and reads Kino status', () => {
  const dir = consumerProject('esm', { files: { 'stream.mjs': programs['stream.mjs'] } });
  const out = runNode(dir, 'stream.mjs');
  assert.match(out, /Hello from an ES module/);
  assert.match(out, /\nKino \d+\.\d+\.\d+\S*: setup_required\n/);
});

test('Node, CommonJS: the README program, one entry per API', () => {
  const dir = consumerProject('cjs', { files: { 'stream.cjs': programs['stream.cjs'] } });
  const out = runNode(dir, 'stream.cjs');
  assert.match(out, /Hello from CommonJS/);
  assert.match(out, /Kino \d+\.\d+\.\d+\S*: setup_required/);
});

test('each entry holds only its API, and a smaller wasm than the whole SDK', async () => {
  const dir = consumerProject('entries', { manifest: { type: 'module' } });
  const load = createRequire(join(dir, 'package.json'));
  const api = (entry) => new (load(entry).KinlinkClient)('http://127.0.0.1:9');
  const has = (client) => ['chat', 'models', 'agents', 'kino', 'kinbot'].filter((name) => client[name] !== undefined);
  assert.deepEqual(has(api('kinlink')), ['chat', 'models', 'agents', 'kino', 'kinbot']);
  assert.deepEqual(has(api('kinlink/openai')), ['chat', 'models', 'agents']);
  assert.deepEqual(has(api('kinlink/kino')), ['kino']);
  assert.deepEqual(has(api('kinlink/kinbot')), ['kinbot']);
  // `import` in Node takes the ES module entry, over the same build.
  const esm = await import(join(dir, 'node_modules/kinlink/dist/openai/node/index.mjs'));
  assert.equal(typeof esm.KinlinkClient, 'function');
  assert.equal(typeof esm.isKinlinkError, 'function');
  const size = (entry) => statSync(join(dir, 'node_modules/kinlink/dist', entry, 'web/kinlink_bg.wasm')).size;
  for (const entry of ['openai', 'kino', 'kinbot']) assert.ok(size(entry) < size('all'), `${entry} ${size(entry)} < all ${size('all')}`);
});

test('TypeScript: the README program and the full consumer type-check under node16 and bundler', () => {
  const base = { strict: true, noEmit: true, target: 'ES2022', lib: ['ES2022', 'DOM'], types: [], skipLibCheck: false };
  const config = (options, files) => JSON.stringify({ compilerOptions: { ...base, ...options }, files });
  const dir = consumerProject('types', {
    manifest: { type: 'module' },
    files: {
      'summary.ts': programs['summary.ts'],
      'consumer.ts': readFileSync(join(root, 'tests/npm/consumer.ts'), 'utf8'),
      // A CommonJS file of the same project: `require` resolves to the CommonJS declarations.
      'require.cts': 'import kino = require("kinlink/kino");\nexport const client: kino.KinlinkClient = new kino.KinlinkClient("http://127.0.0.1:8080");\n',
      'tsconfig.node16.json': config({ module: 'node16', moduleResolution: 'node16' }, ['summary.ts', 'consumer.ts', 'require.cts']),
      'tsconfig.bundler.json': config({ module: 'esnext', moduleResolution: 'bundler' }, ['summary.ts', 'consumer.ts']),
    },
  });
  const tsc = join(root, 'node_modules/typescript/bin/tsc');
  for (const project of ['tsconfig.node16.json', 'tsconfig.bundler.json']) {
    execFileSync(process.execPath, [tsc, '-p', project], { cwd: dir, stdio: 'inherit' });
  }
});

test('a Vite app bundles the browser entry and streams in Chromium', async () => {
  const dir = consumerProject('vite', {
    manifest: { type: 'module' },
    files: {
      'index.html': '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>consumer</title></head>'
        + '<body><p id="out"></p><script type="module" src="/main.js"></script></body></html>\n',
      'main.js': "import { streamInto } from './browser.js';\nwindow.streamInto = streamInto;\n",
      'browser.js': programs['browser.js'],
    },
  });
  execFileSync(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], { cwd: dir, stdio: 'inherit' });
  const served = await startSandbox({ staticDir: join(dir, 'dist') });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const problems = [];
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('console', (m) => { if (m.type() === 'error' && !/status of 404/.test(m.text())) problems.push(m.text()); });
    // The app has no favicon; any other missing file is a fault of the bundle.
    page.on('response', (r) => { if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) problems.push(`${r.status()} ${r.url()}`); });
    await page.goto(served.url);
    await page.waitForFunction(() => typeof window.streamInto === 'function');
    await page.evaluate(([url, key]) => window.streamInto(document.querySelector('#out'), url, key), [served.url, served.apiKey]);
    assert.match(await page.textContent('#out'), /Hello from a browser/);
    assert.match(await page.getAttribute('#out', 'data-kino'), /^Kino \d+\.\d+\.\d+\S*: setup_required$/);
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
    await served.stop();
  }
});
