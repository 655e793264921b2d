// The chat playground in headless Chromium against a sandbox that streams one token every 40 ms.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { startSandbox } from '../support/sandbox.mjs';
import { launchChromium } from '../support/browser.mjs';
import { connectAll, dist, eventually, newPage as freshPage, shots } from '../support/console.mjs';

const LAST_SENTENCE = 'This is the last sentence of the long reply.';

let sandbox;
let browser;

before(async () => {
  sandbox = await startSandbox({
    staticDir: dist,
    faults: true,
    args: ['--token-delay-ms', '40'],
  });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await sandbox?.stop();
});

const newPage = (options) => freshPage(browser, options);

/** Connects all three APIs to the sandbox, then opens Chat from the top bar. */
async function openChat(page) {
  await connectAll(page, sandbox);
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
  assert.equal(await lastReply(page).getByTestId('stopped').count(), 0, 'a finished reply is not marked');
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
  assert.equal(await lastReply(page).getByTestId('stopped').textContent(), 'Stopped before the end');
  await page.reload();
  await lastReply(page).getByTestId('stopped').waitFor();
  await eventually(() => aborted.length > 0, 'the browser to report the request aborted');
  assert.match(aborted[0], /ABORTED/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a wrong key for the OpenAI-compatible server is refused at connect; the chat says it is not connected', async () => {
  const { context, page } = await newPage();
  await page.goto(`${sandbox.url}/connect/openai`);
  await page.fill('#server', sandbox.url);
  await page.fill('#secret', 'definitely-wrong');
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  const banner = page.getByRole('alert').filter({ hasText: 'did not accept these credentials' });
  await banner.waitFor();
  assert.match(await banner.textContent(), /401/);
  assert.ok(!page.url().includes('definitely-wrong'), 'the key is never in the URL');
  await page.goto(`${sandbox.url}/chat`);
  await page.getByTestId('not-connected').waitFor();
  await context.close();
});

test('when the model list fails, Send stays disabled and no label points at a missing control', async () => {
  const { context, page } = await newPage();
  await openChat(page);
  const armed = await fetch(`${sandbox.url}/__sandbox/faults`, {
    method: 'POST',
    headers: { authorization: `Bearer ${sandbox.apiKey}`, 'content-type': 'application/json' },
    // Six: after the reload both the connection check and the picker ask, each retrying twice.
    body: JSON.stringify({ fault: 'unavailable', times: 6, path: '/v1/models' }),
  });
  assert.ok(armed.ok, `arming the fault: HTTP ${armed.status}`);
  await page.reload();
  await page.getByRole('alert').waitFor();
  assert.equal(await page.getByTestId('model-select').count(), 0);
  await page.getByTestId('prompt').fill('hello?');
  assert.ok(await page.getByTestId('send').isDisabled(), 'no model, no Send');
  const dangling = await page.evaluate(() =>
    [...document.querySelectorAll('label[for]')].filter((l) => !document.getElementById(l.htmlFor)).map((l) => l.htmlFor));
  assert.deepEqual(dangling, []);
  await context.close();
});

test('keyboard only: Enter sends, Stop and Send keep focus, Tab goes on from there', async () => {
  const { context, page, errors } = await newPage();
  await openChat(page);
  await page.getByTestId('model-select').selectOption('sandbox-long');
  await page.getByTestId('prompt').focus();
  await page.keyboard.type('Tell me a long story');
  await page.keyboard.press('Enter');
  await page.getByTestId('stop').waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'prompt', 'Enter leaves focus in the composer');

  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'stop');
  await page.keyboard.press('Enter');
  await page.getByTestId('send').waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'send',
    'focus stays on the button after Stop becomes Send');
  await page.getByTestId('stopped').waitFor();

  await page.keyboard.press('Shift+Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'prompt', 'Tab order goes on from the button');
  await page.keyboard.type('And a short one');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await page.getByTestId('stop').waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'stop',
    'focus stays on the button after Send becomes Stop');
  assert.notEqual(await page.evaluate(() => document.activeElement?.tagName), 'BODY');
  assert.deepEqual(errors, []);
  await context.close();
});

test('on a phone, a streaming reply keeps itself in view until the reader scrolls up', async () => {
  const { context, page, errors } = await newPage({ viewport: { width: 390, height: 844 } });
  await openChat(page);
  // The sandbox echoes the prompt word by word before its long tail: a reply of ~260 tokens, 40 ms apart,
  // long enough to scroll up mid-stream on a slow machine.
  const prompt = Array.from({ length: 200 }, (_, i) => `word${i}`).join(' ');
  await send(page, 'sandbox-long', prompt);
  const stop = page.getByTestId('stop');
  await stop.waitFor();
  const scrollY = () => page.evaluate(() => window.scrollY);
  const inView = (locator) => locator.evaluate((el) => {
    const r = el.getBoundingClientRect();
    return r.bottom <= window.innerHeight + 1 && r.top >= 0;
  });
  const start = await scrollY();
  await eventually(async () => (await scrollY()) > start + 150, 'the page to scroll with the reply', { timeout: 20_000 });
  assert.ok(await inView(stop), 'Stop is on screen while the reply streams');
  await page.screenshot({ path: join(shots, 'chat-phone.png') });

  await page.mouse.move(200, 400);
  await page.mouse.wheel(0, -400);
  await eventually(async () => !(await inView(stop)), 'scrolling up to leave the bottom');
  const left = await scrollY();
  await delay(600);
  assert.equal(await stop.count(), 1, 'still streaming, so following would have scrolled');
  assert.ok(Math.abs((await scrollY()) - left) < 2, 'no longer followed once the reader scrolled up');
  await stop.click();
  assert.deepEqual(errors, []);
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
