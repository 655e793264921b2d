// The release console in headless Chromium against a sandbox that serves it: "use one server for all",
// where keys are kept, and how the console itself is served.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startSandbox } from '../support/sandbox.mjs';
import { launchChromium } from '../support/browser.mjs';
import { connectAll, dist, newPage, shots } from '../support/console.mjs';

let sandbox;
let browser;

before(async () => {
  sandbox = await startSandbox({ staticDir: dist });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await sandbox?.stop();
});

test('one server for all: Kino, KinBot and OpenAI connected; the key stays in this tab only', async () => {
  const { context, page, errors } = await newPage(browser);
  await connectAll(page, sandbox);
  const version = page.getByTestId('version');
  await version.waitFor();
  assert.match(await version.textContent(), /^\d+\.\d+\.\d+/);
  assert.ok(!page.url().includes(sandbox.apiKey), 'the key is never in the URL');
  assert.match(await page.getByTestId('state').textContent(), /^(Healthy|Degraded|Setup required)$/);
  assert.equal(await page.title(), 'Kino status · Kinlink');
  for (const api of ['kino', 'kinbot', 'openai']) {
    await page.locator(`[data-testid=status-${api}].ok`).waitFor();
  }
  await page.screenshot({ path: join(shots, 'kino-status.png'), fullPage: true });

  await page.reload();
  await page.getByTestId('version').waitFor();

  const otherTab = await context.newPage();
  await otherTab.goto(`${sandbox.url}/kino/status`);
  await otherTab.getByTestId('not-connected').waitFor();
  assert.match(await otherTab.getByTestId('not-connected').textContent(), /Kino is not connected/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('with "remember on this device", a new tab is still connected; Disconnect forgets it', async () => {
  const { context, page } = await newPage(browser);
  await connectAll(page, sandbox, { remember: true });
  await page.getByTestId('version').waitFor();
  await page.close();
  const again = await context.newPage();
  await again.goto(`${sandbox.url}/kino/status`);
  await again.getByTestId('version').waitFor();
  assert.match(await again.getByTestId('version').textContent(), /^\d+\.\d+\.\d+/);

  await again.getByRole('link', { name: 'Kinlink', exact: true }).click();
  await again.getByTestId('connection-kino').getByRole('button', { name: 'Disconnect' }).click();
  await again.locator('[data-testid=status-kino].unset').waitFor();
  const after = await context.newPage();
  await after.goto(`${sandbox.url}/kino/status`);
  await after.getByTestId('not-connected').waitFor();
  await after.goto(`${sandbox.url}/chat`);
  await after.getByTestId('model-select').waitFor();
  await context.close();
});

test('a wrong key shows a clear error for each API and keeps the form', async () => {
  const { context, page } = await newPage(browser);
  await connectAll(page, sandbox, { key: 'definitely-wrong' });
  const banners = page.getByRole('alert');
  await banners.first().waitFor();
  assert.equal(await banners.count(), 3);
  for (const text of await banners.allTextContents()) {
    assert.match(text, /did not accept these credentials/);
    assert.match(text, /401/);
  }
  const kino = await banners.first().textContent();
  assert.ok((kino.match(/unauthorized/gi)?.length ?? 0) <= 1, `the code is said once at most: ${kino}`);
  assert.equal(await page.inputValue('#api-key'), 'definitely-wrong');
  assert.equal(new URL(page.url()).pathname, '/');
  await page.screenshot({ path: join(shots, 'wrong-key.png'), fullPage: true });
  await context.close();
});

test('the console is served with a strict CSP and the SPA fallback', async () => {
  const response = await fetch(`${sandbox.url}/some/deep/link`);
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type'), /text\/html/);
  const csp = response.headers.get('content-security-policy');
  assert.match(csp, /default-src 'self'/);
  assert.match(csp, /object-src 'none'/);
  assert.doesNotMatch(csp, /'unsafe-inline'/);
  const html = await response.text();
  assert.match(html, /<html/);
  assert.match(html, /<noscript>/);
});

test('the first load is compressed and cached by name; build leftovers are not served', async () => {
  const shell = await fetch(`${sandbox.url}/`, { headers: { 'accept-encoding': 'br, gzip' } });
  // fetch decodes the body; the headers say what was sent.
  assert.equal(shell.headers.get('content-encoding'), 'br');
  assert.equal(shell.headers.get('cache-control'), 'no-cache');
  const html = await shell.text();
  const assets = [...html.matchAll(/(?:href|src)="\/([^"]+\.(?:wasm|js|css))"/g)].map((m) => m[1]);
  assert.ok(assets.some((a) => a.endsWith('.wasm')) && assets.some((a) => a.endsWith('.js')), `${assets}`);
  let sent = 0;
  for (const asset of new Set(assets)) {
    for (const [accept, coding] of [['br, gzip', 'br'], ['gzip', 'gzip']]) {
      const response = await fetch(`${sandbox.url}/${asset}`, { headers: { 'accept-encoding': accept } });
      assert.equal(response.status, 200, asset);
      assert.equal(response.headers.get('content-encoding'), coding, `${asset} with ${accept}`);
      assert.equal(response.headers.get('cache-control'), 'public, max-age=31536000, immutable', asset);
      assert.match(response.headers.get('vary'), /Accept-Encoding/);
      if (coding === 'br') sent += Number(response.headers.get('content-length') ?? 0);
      await response.arrayBuffer();
    }
  }
  const plain = await fetch(`${sandbox.url}/${assets.find((a) => a.endsWith('.wasm'))}`, { headers: { 'accept-encoding': 'identity' } });
  assert.equal(plain.headers.get('content-encoding'), null);
  assert.ok(sent > 0 && sent < Number(plain.headers.get('content-length')), `brotli ${sent} B < plain wasm`);
  await plain.arrayBuffer();
  assert.equal((await fetch(`${sandbox.url}/.trunk-lock`)).status, 404);
});
