// The chat playground in headless Chromium against a sandbox that streams one token every 40 ms.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { startSandbox } from '../support/sandbox.mjs';
import { launchChromium } from '../support/browser.mjs';

const root = resolve(import.meta.dirname, '../..');
const shots = join(root, 'target/e2e');
mkdirSync(shots, { recursive: true });

const LAST_SENTENCE = 'This is the last sentence of the long reply.';

let sandbox;
let browser;

before(async () => {
  sandbox = await startSandbox({
    staticDir: process.env.KINLINK_DIST ?? join(root, 'dist'),
    faults: true,
    args: ['--token-delay-ms', '40'],
  });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await sandbox?.stop();
});

/** Polls `probe` until it returns a truthy value, which it returns; fails with `what` after `timeout` ms. */
async function eventually(probe, what, { timeout = 10_000, interval = 50 } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    last = await probe();
    if (last) return last;
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what} (last value: ${JSON.stringify(last)})`);
    await delay(interval);
  }
}

/** A fresh browser context (empty storage) with page errors and dialogs recorded. */
async function newPage() {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const errors = [];
  const dialogs = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // A refused request (401, 429) is logged by the browser itself; anything else (a CSP violation) is ours.
  page.on('console', (m) => { if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) errors.push(m.text()); });
  page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss().catch(() => {}); });
  return { context, page, errors, dialogs };
}

/** Connects through the connect form with the sandbox's key, then opens Chat from the top bar. */
async function openChat(page) {
  await page.goto(`${sandbox.url}/`);
  await page.fill('#api-key', sandbox.apiKey);
  await page.click('button[type=submit]');
  await page.getByTestId('version').waitFor();
  await page.getByRole('link', { name: 'Chat', exact: true }).click();
  await page.getByTestId('model-select').waitFor();
  assert.equal(new URL(page.url()).pathname, '/chat');
}

async function send(page, model, prompt) {
  await page.getByTestId('model-select').selectOption(model);
  await page.getByTestId('prompt').fill(prompt);
  await page.getByTestId('send').click();
}

const lastReply = (page) => page.getByTestId('message-assistant').last();

test('a reply streams in token by token, then shows its usage', async () => {
  const { context, page, errors } = await newPage();
  await openChat(page);
  await page.getByTestId('model-select').selectOption('sandbox-long');
  await page.getByTestId('prompt').fill('Tell me a long story');
  await page.getByTestId('prompt').press('Enter');

  const stop = page.getByTestId('stop');
  await stop.waitFor();
  const reply = lastReply(page);
  const first = await eventually(async () => {
    const text = await reply.textContent();
    return text.includes('Echo:') && text;
  }, 'the first tokens');
  const second = await eventually(async () => {
    const text = await reply.textContent();
    return text.length > first.length && text;
  }, 'more tokens');
  assert.ok(await stop.isVisible(), 'still streaming after the second read');
  assert.ok(second.startsWith(first), `${JSON.stringify(second)} continues ${JSON.stringify(first)}`);
  assert.ok(!second.includes(LAST_SENTENCE), 'both reads happened before the end of the reply');

  const usage = page.getByTestId('usage');
  await usage.waitFor();
  assert.match(await usage.textContent(), /^\d+ prompt \/ [1-9]\d* completion \/ \d+ total tokens$/);
  assert.ok(!(await stop.isVisible()), 'Stop is gone once the reply is complete');
  assert.match(await lastReply(page).textContent(), /Echo: Tell me a long story The sandbox produces/);
  assert.ok((await lastReply(page).textContent()).includes(LAST_SENTENCE));
  assert.equal(await page.getByTestId('prompt').inputValue(), '', 'the prompt is cleared once sent');
  await page.screenshot({ path: join(shots, 'chat.png'), fullPage: true });
  assert.deepEqual(errors, []);
  await context.close();
});

test('Stop aborts the reply: it stops growing, and that is not an error', async () => {
  const { context, page, errors } = await newPage();
  const aborted = [];
  page.on('requestfailed', (r) => { if (r.url().endsWith('/v1/chat/completions')) aborted.push(r.failure()?.errorText); });
  await openChat(page);
  await send(page, 'sandbox-long', 'Then stop me');
  const stop = page.getByTestId('stop');
  await stop.waitFor();
  await eventually(async () => (await lastReply(page).textContent()).includes('Echo:'), 'the first tokens');
  await stop.click();
  await stop.waitFor({ state: 'hidden' });

  const before = await lastReply(page).textContent();
  await delay(500);
  const after = await lastReply(page).textContent();
  assert.equal(after, before, 'nothing arrives after Stop');
  assert.ok(!after.includes(LAST_SENTENCE), 'the reply was cut short');
  assert.ok(await page.getByTestId('send').isEnabled(), 'Send is enabled again');
  assert.equal(await page.getByRole('alert').count(), 0, 'no error banner');
  await eventually(() => aborted.length > 0, 'the browser to report the request aborted');
  assert.match(aborted[0], /ABORTED/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a wrong key for the chosen server shows the rejected-key banner', async () => {
  const { context, page } = await newPage();
  await openChat(page);
  await page.locator('summary', { hasText: 'Server' }).click();
  await page.fill('#chat-server', sandbox.url);
  await page.fill('#chat-api-key', 'definitely-wrong');
  await page.getByRole('button', { name: 'Use this server' }).click();

  const banner = page.getByRole('alert').filter({ hasText: 'rejected this API key' });
  await banner.waitFor();
  assert.match(await banner.textContent(), /401/);
  assert.ok(!page.url().includes('definitely-wrong'), 'the key is never in the URL');

  await page.getByRole('button', { name: 'Use the connected server' }).click();
  await page.getByTestId('model-select').waitFor();
  assert.equal(await banner.count(), 0);
  await context.close();
});

test('HTML in a reply is shown as text, never run', async () => {
  const { context, page, errors, dialogs } = await newPage();
  await openChat(page);
  const payload = '<img src=x onerror=alert(1)>';
  await send(page, 'sandbox-echo', payload);
  await page.getByTestId('usage').waitFor();

  const reply = lastReply(page);
  assert.ok((await reply.textContent()).includes(`Echo: ${payload}`), await reply.textContent());
  assert.equal(await reply.locator('img').count(), 0);
  const mine = page.getByTestId('message-user').last();
  assert.ok((await mine.textContent()).includes(payload));
  assert.equal(await mine.locator('img').count(), 0);
  await delay(200); // an onerror handler would have fired by now
  assert.deepEqual(dialogs, []);
  assert.deepEqual(errors, []);
  await context.close();
});

test('replies are rendered as Markdown; only web and mail links are kept', async () => {
  const { context, page, errors } = await newPage();
  await openChat(page);
  await send(page, 'sandbox-echo', '**bold** `code` [web](https://example.com/) [bad](javascript:alert(1))');
  await page.getByTestId('usage').waitFor();

  const reply = lastReply(page);
  assert.equal(await reply.locator('strong').textContent(), 'bold');
  assert.equal(await reply.locator('code').textContent(), 'code');
  const links = reply.locator('a');
  assert.equal(await links.count(), 1, 'the javascript: link is shown as text');
  assert.equal(await links.getAttribute('href'), 'https://example.com/');
  assert.equal(await links.getAttribute('rel'), 'noopener noreferrer');
  assert.match(await reply.textContent(), /bad/);
  assert.match(await page.getByTestId('message-user').last().textContent(), /\*\*bold\*\*/, 'user text stays plain');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the conversation, system prompt and model survive a reload', async () => {
  const { context, page, errors } = await newPage();
  await openChat(page);
  await page.getByTestId('system-prompt').fill('Answer briefly.');
  await send(page, 'sandbox-echo', 'remember me');
  await page.getByTestId('usage').waitFor();

  await page.reload();
  await page.getByTestId('message-user').first().waitFor();
  assert.equal(await page.getByTestId('message-user').count(), 1);
  assert.match(await page.getByTestId('message-user').first().textContent(), /remember me/);
  assert.match(await lastReply(page).textContent(), /Echo: remember me/);
  assert.equal(await page.getByTestId('system-prompt').inputValue(), 'Answer briefly.');
  await page.getByTestId('model-select').waitFor();
  assert.equal(await page.getByTestId('model-select').inputValue(), 'sandbox-echo');

  await page.getByRole('button', { name: 'Clear' }).click();
  await page.getByTestId('message-user').waitFor({ state: 'detached' });
  await page.reload();
  await page.getByTestId('model-select').waitFor();
  assert.equal(await page.getByTestId('message-assistant').count(), 0, 'Clear is kept too');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a 429 shows a countdown from Retry-After and blocks Send until it ends', async () => {
  const { context, page, errors } = await newPage();
  await openChat(page);
  const armed = await fetch(`${sandbox.url}/__sandbox/faults`, {
    method: 'POST',
    headers: { authorization: `Bearer ${sandbox.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ fault: 'rate_limit', times: 1, retry_after: '3', path: '/v1/chat/completions' }),
  });
  assert.ok(armed.ok, `arming the fault: HTTP ${armed.status}`);
  await send(page, 'sandbox-echo', 'too fast');

  const countdown = page.getByTestId('rate-limit');
  await countdown.waitFor();
  const secondsLeft = async () => Number((await countdown.textContent()).match(/^Rate limited, retry in (\d+) s$/)?.[1]);
  const first = await secondsLeft();
  assert.ok(first >= 1 && first <= 3, `counts down from Retry-After: ${first}`);
  assert.ok(await page.getByTestId('send').isDisabled(), 'Send waits for the countdown');
  assert.equal(await page.getByTestId('prompt').inputValue(), 'too fast', 'the prompt is given back');
  assert.match(await page.getByRole('alert').textContent(), /rate limiting/);
  await eventually(async () => (await countdown.isVisible()) && (await secondsLeft()) < first, 'the countdown to tick');

  await countdown.waitFor({ state: 'hidden', timeout: 6_000 });
  await eventually(() => page.getByTestId('send').isEnabled(), 'Send to be enabled again');
  await page.getByTestId('send').click();
  await page.getByTestId('usage').waitFor();
  assert.match(await lastReply(page).textContent(), /Echo: too fast/);
  assert.equal(await page.getByRole('alert').count(), 0, 'the banner goes with a successful reply');
  assert.deepEqual(errors, []);
  await context.close();
});
