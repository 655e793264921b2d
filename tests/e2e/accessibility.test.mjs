// axe-core on every screen, connected and not, in the light and the dark colour scheme: no serious or
// critical violation. (axe is injected, so these pages bypass the CSP; every other test keeps it.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startSandbox } from '../support/sandbox.mjs';
import { launchChromium } from '../support/browser.mjs';
import { accessibilityProblems, connectAll, dist, newPage, shots } from '../support/console.mjs';

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

/** Each screen, and what shows it is ready. */
const screens = [
  ['/', '#api-key'],
  ['/connect/kino', '#secret'],
  ['/connect/kinbot', '#email'],
  ['/connect/openai', '#secret'],
  ['/kino/status', '[data-testid=version], [data-testid=not-connected]'],
  ['/kinbot/account', '[data-testid=kinbot-user], [data-testid=not-connected]'],
  ['/chat', '[data-testid=model-select], [data-testid=not-connected]'],
  ['/no/such/page', 'h1'],
];

for (const colorScheme of ['light', 'dark']) {
  for (const connected of [false, true]) {
    test(`${colorScheme}, ${connected ? 'connected' : 'not connected'}: every screen passes axe-core`, async () => {
      const { context, page, errors } = await newPage(browser, { colorScheme, bypassCSP: true });
      if (connected) {
        await connectAll(page, sandbox);
        await page.getByTestId('version').waitFor();
      }
      const problems = [];
      for (const [path, ready] of screens) {
        await page.goto(`${sandbox.url}${path}`);
        await page.locator(ready).first().waitFor();
        if (connected && path === '/chat') {
          await page.getByTestId('prompt').fill('**Markdown** and `code`, please');
          await page.getByTestId('send').click();
          await page.getByTestId('usage').waitFor();
        }
        for (const problem of await accessibilityProblems(page)) problems.push(`${path}: ${problem}`);
        if (colorScheme === 'dark' && connected && (path === '/' || path === '/chat')) {
          await page.screenshot({ path: join(shots, `dark${path === '/' ? '-connect' : '-chat'}.png`), fullPage: true });
        }
      }
      assert.deepEqual(problems, []);
      assert.deepEqual(errors, []);
      await context.close();
    });
  }
}
