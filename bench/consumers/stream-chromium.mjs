// One round of the chat-stream figure in headless Chromium, a fresh browser per round:
//   node stream-chromium.mjs IMPLEMENTATION SERVER_URL
// The page (served by the stream server, same origin) imports the package's browser build and
// eventsource-parser's ES module; prints {"chunks", "chars", "ms"} measured inside the page.
import { launchChromium } from '../../tests/support/browser.mjs';

const [impl, url] = process.argv.slice(2);
const browser = await launchChromium();
try {
  const page = await browser.newPage();
  await page.goto(url);
  await page.waitForFunction(() => window.benchReady === true);
  const result = await page.evaluate((name) => window.bench[name](), impl);
  process.stdout.write(`${JSON.stringify(result)}\n`);
} finally {
  await browser.close();
}
