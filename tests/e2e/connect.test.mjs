// The release console in headless Chromium against a sandbox that serves it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startSandbox } from '../support/sandbox.mjs';
import { launchChromium } from '../support/browser.mjs';

const root = resolve(import.meta.dirname, '../..');
const shots = join(root, 'target/e2e');
mkdirSync(shots, { recursive: true });

let sandbox;
let browser;

before(async () => {
  sandbox = await startSandbox({ staticDir: process.env.KINLINK_DIST ?? join(root, 'dist') });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await sandbox?.stop();
});

async function connect(page, { key, remember }) {
  await page.goto(`${sandbox.url}/`);
  await page.waitForSelector('#api-key');
  assert.equal(await page.inputValue('#server'), sandbox.url, 'the server URL defaults to the page origin');
  await page.fill('#api-key', key);
  if (remember) await page.check('#remember');
  await page.click('button[type=submit]');
}

test('connect, see the version; the key stays in this tab only', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await connect(page, { key: sandbox.apiKey, remember: false });
  const version = page.getByTestId('version');
  await version.waitFor();
  assert.match(await version.textContent(), /^\d+\.\d+\.\d+/);
  assert.ok(!page.url().includes(sandbox.apiKey), 'the key is never in the URL');
  assert.match(await page.getByTestId('state').textContent(), /^(Healthy|Degraded|Setup required)$/);
  await page.screenshot({ path: join(shots, 'kino-status.png'), fullPage: true });

  await page.reload();
  await page.getByTestId('version').waitFor();

  const otherTab = await context.newPage();
  await otherTab.goto(`${sandbox.url}/kino/status`);
  await otherTab.getByText('Not connected').waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test('with "remember on this device", a new tab is still connected', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await connect(page, { key: sandbox.apiKey, remember: true });
  await page.getByTestId('version').waitFor();
  await page.close();
  const again = await context.newPage();
  await again.goto(`${sandbox.url}/kino/status`);
  await again.getByTestId('version').waitFor();
  assert.match(await again.getByTestId('version').textContent(), /^\d+\.\d+\.\d+/);

  await again.getByRole('button', { name: 'Disconnect' }).click();
  const after = await context.newPage();
  await after.goto(`${sandbox.url}/kino/status`);
  await after.getByText('Not connected').waitFor();
  await context.close();
});

test('a wrong key shows a clear error and keeps the form', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await connect(page, { key: 'definitely-wrong', remember: false });
  const banner = page.getByRole('alert');
  await banner.waitFor();
  assert.match(await banner.textContent(), /rejected this API key/);
  assert.match(await banner.textContent(), /401/);
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
  assert.match(await response.text(), /<html/);
});
