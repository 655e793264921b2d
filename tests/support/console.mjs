// Driving the release console in Chromium: fresh pages that record errors, polling, the connect forms,
// and the axe-core accessibility check.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

const root = resolve(import.meta.dirname, '../..');
export const shots = join(root, 'target/e2e');
mkdirSync(shots, { recursive: true });
export const dist = process.env.KINLINK_DIST ?? join(root, 'dist');
const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** Polls `probe` until it returns a truthy value, which it returns; fails with `what` after `timeout` ms. */
export async function eventually(probe, what, { timeout = 10_000, interval = 50 } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    last = await probe();
    if (last) return last;
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what} (last value: ${JSON.stringify(last)})`);
    await delay(interval);
  }
}

/**
 * A fresh browser context (empty storage) with page errors and dialogs recorded. `bypassCSP` is only for
 * injecting axe-core; every other test runs under the console's own policy.
 */
export async function newPage(browser, { viewport, colorScheme, bypassCSP = false } = {}) {
  const context = await browser.newContext({ viewport, colorScheme, bypassCSP });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const errors = [];
  const dialogs = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // A refused request (401, 429, CORS) is logged by the browser itself; anything else (a CSP violation) is ours.
  page.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource|CORS policy|net::ERR_/.test(m.text())) errors.push(m.text());
  });
  page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss().catch(() => {}); });
  return { context, page, errors, dialogs };
}

/** "Use one server for all" with the sandbox's key (its KinBot account is prefilled); lands on Kino status. */
export async function connectAll(page, sandbox, { key = sandbox.apiKey, remember = false } = {}) {
  await page.goto(`${sandbox.url}/`);
  await page.waitForSelector('#api-key');
  assert.equal(await page.inputValue('#server'), sandbox.url, 'the server URL defaults to the page origin');
  await page.fill('#api-key', key);
  if (remember) await page.check('#remember');
  await page.getByRole('button', { name: 'Connect all three' }).click();
}

/** One API's connect form (`/connect/<api>`), reached by a deep link. */
export async function connectOne(page, consoleUrl, api, { server, key, email }) {
  await page.goto(`${consoleUrl}/connect/${api}`);
  await page.waitForSelector('#secret');
  await page.fill('#server', server);
  if (email !== undefined) await page.fill('#email', email);
  await page.fill('#secret', key);
  await page.getByRole('button', { name: api === 'kinbot' ? 'Sign in' : 'Connect', exact: true }).click();
}

/** axe-core's serious and critical violations on the current page, as readable lines. */
export async function accessibilityProblems(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.addScriptTag({ path: axePath });
  const { violations } = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}
