// One connection per API, each to its own server: three sandboxes on three ports (the first serves the
// console), set one by one through deep links; screens of an API that is not connected; the two ways a
// server can fail to answer a page; and Kino's health states as the status screen shows them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox } from '../support/sandbox.mjs';
import { launchChromium } from '../support/browser.mjs';
import { connectOne, dist, eventually, newPage, shots } from '../support/console.mjs';

let home; // serves the console, and is the Kino
let kinbot;
let gateway; // the OpenAI-compatible server
let browser;
let media;

before(async () => {
  home = await startSandbox({ staticDir: dist });
  // The other two let the console's origin in by name, with credentials (KinBot's session cookie).
  kinbot = await startSandbox({ args: ['--cors-origin', home.url] });
  gateway = await startSandbox({ args: ['--cors-origin', home.url] });
  browser = await launchChromium();
  media = mkdtempSync(join(tmpdir(), 'kinlink-media-'));
});

after(async () => {
  await browser?.close();
  await Promise.all([home, kinbot, gateway].map((s) => s?.stop()));
  if (media) rmSync(media, { recursive: true, force: true });
});

test('three servers: each API connected to its own, each with its own state in the top bar', async () => {
  const { context, page, errors } = await newPage(browser);
  await connectOne(page, home.url, 'kino', { server: home.url, key: home.apiKey });
  await page.getByTestId('version').waitFor();

  await connectOne(page, home.url, 'kinbot', { server: kinbot.url, email: kinbot.kinbotEmail, key: kinbot.apiKey });
  await page.getByTestId('kinbot-user').waitFor();
  assert.equal(new URL(page.url()).pathname, '/kinbot/account');
  assert.equal(await page.getByTestId('kinbot-user').textContent(), 'Sandbox');

  await connectOne(page, home.url, 'openai', { server: gateway.url, key: gateway.apiKey });
  await page.getByTestId('model-select').waitFor();
  assert.equal(new URL(page.url()).pathname, '/chat');

  const servers = { kino: home.url, kinbot: kinbot.url, openai: gateway.url };
  for (const [api, url] of Object.entries(servers)) {
    const link = page.locator(`[data-testid=status-${api}].ok`);
    await link.waitFor();
    assert.ok((await link.getAttribute('title')).includes(url), `${api} names its own server`);
  }
  // The chat goes to the gateway, not to the server the console came from.
  const asked = [];
  page.on('request', (r) => asked.push(r.url()));
  await page.getByTestId('prompt').fill('which server?');
  await page.getByTestId('prompt').press('Enter');
  await page.getByTestId('usage').waitFor();
  assert.ok(asked.some((u) => u.startsWith(`${gateway.url}/v1/chat/completions`)), asked.join('\n'));

  await page.goto(`${home.url}/`);
  await page.getByTestId('connection-kinbot').getByText(kinbot.url).waitFor();
  await page.screenshot({ path: join(shots, 'connect.png'), fullPage: true });

  // A reload restores all three and checks them again.
  await page.reload();
  for (const api of Object.keys(servers)) await page.locator(`[data-testid=status-${api}].ok`).waitFor();

  // Signing out of KinBot ends the session on its server; the others stay.
  await page.goto(`${home.url}/kinbot/account`);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByTestId('not-connected').waitFor();
  await page.locator('[data-testid=status-kino].ok').waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test('a screen of an API that is not connected says so and links to connecting it', async () => {
  const { context, page, errors } = await newPage(browser);
  await page.goto(`${home.url}/kinbot/account`);
  const notice = page.getByTestId('not-connected');
  await notice.waitFor();
  assert.match(await notice.textContent(), /KinBot is not connected/);
  assert.equal(await page.title(), 'KinBot account · Kinlink');
  await notice.getByRole('link', { name: 'Connect KinBot' }).click();
  await page.waitForSelector('#email');
  assert.equal(new URL(page.url()).pathname, '/connect/kinbot');
  assert.equal(await page.title(), 'Connect KinBot · Kinlink');

  await page.goto(`${home.url}/connect/not-an-api`);
  await page.getByRole('heading', { name: 'Page not found' }).waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test('a wrong KinBot password, a server that refuses this page, and one that is not there read differently', async () => {
  const { context, page } = await newPage(browser);
  await connectOne(page, home.url, 'kinbot', { server: kinbot.url, email: kinbot.kinbotEmail, key: 'wrong password' });
  const banner = page.getByRole('alert');
  await banner.waitFor();
  assert.match(await banner.textContent(), /did not accept these credentials/);
  assert.match(await banner.textContent(), /INVALID_EMAIL_OR_PASSWORD/);

  // A server that is up but lets no other origin in (no --cors-origin): the browser refuses its answer.
  const refusing = await startSandbox();
  try {
    await connectOne(page, home.url, 'openai', { server: refusing.url, key: refusing.apiKey });
    await eventually(async () => /answered, but does not accept requests from this page/.test(await banner.textContent()), 'the CORS wording');
    assert.match(await banner.textContent(), /CORS/);
  } finally {
    await refusing.stop();
  }
  await connectOne(page, home.url, 'openai', { server: 'http://127.0.0.1:9', key: 'k' });
  await eventually(async () => /Nothing answered at this address/.test(await banner.textContent()), 'the unreachable wording');
  await context.close();
});

test('Kino status shows every health state; refreshing keeps the page on screen', async () => {
  const { context, page, errors } = await newPage(browser);
  await connectOne(page, home.url, 'kino', { server: home.url, key: home.apiKey });
  const state = page.getByTestId('state');
  await state.waitFor();
  assert.equal(await state.textContent(), 'Setup required');

  const kino = (method, path, body) => fetch(`${home.url}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${home.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  assert.equal((await kino('PUT', '/config', { tmdb_api_key: 'tmdb', download_path: media, media_library_path: media })).status, 200);
  assert.equal((await kino('POST', '/indexers', { name: 'Local', url: 'http://127.0.0.1:9117/torznab' })).status, 201);
  await page.getByRole('button', { name: 'Refresh' }).click();
  // Transition: the last answer stays until the new one replaces it.
  assert.ok(await page.getByTestId('version').isVisible(), 'the page does not blank while it refreshes');
  await eventually(async () => (await state.textContent()) === 'Healthy', 'Healthy');
  await page.screenshot({ path: join(shots, 'kino-healthy.png'), fullPage: true });

  assert.equal((await kino('PUT', '/config', { media_library_path: join(media, 'gone') })).status, 200);
  await page.getByRole('button', { name: 'Refresh' }).click();
  await eventually(async () => (await state.textContent()) === 'Degraded', 'Degraded');
  assert.match(await page.locator('.warnings').textContent(), /Media library path does not exist/);
  assert.deepEqual(errors, []);
  await context.close();
});
