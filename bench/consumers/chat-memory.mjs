// One round of the long-chat memory figure, a fresh browser per round:
//   node chat-memory.mjs SERVER_URL MESSAGES
// The release console's chat page opens a conversation of MESSAGES saved turns (as it does after a
// reload; user and assistant turns alternate, the assistant's with some Markdown), then the page's
// memory is read after two forced collections through the DevTools protocol:
//   js        V8's used heap (Runtime.getHeapUsage usedSize)
//   dom       Blink's own heap, where DOM nodes live (embedderHeapUsedSize)
//   buffers   ArrayBuffer backing stores (backingStorageSize)
//   wasm      the console's wasm linear memory (its size: wasm memory grows and is never given back)
// Prints {"messages", "textBytes", "js", "dom", "buffers", "wasm", "nodes", "renderMs"}.
import { launchChromium } from '../../tests/support/browser.mjs';

const [url, count] = process.argv.slice(2);
const messages = Number(count);

/** Turn `i` of the saved conversation: deterministic, about the length of a real chat's turns. */
function turn(i) {
  if (i % 2 === 0) return { role: 'user', content: `Question ${i}: how do I keep a long conversation responsive?` };
  return {
    role: 'assistant',
    content: `Answer ${i}: keep **one** copy of each turn and render only what changed.\n\n- reuse the nodes of turns that did not change\n- keep the text as it arrived\n\nThat is all for turn ${i}.`,
  };
}

const turns = Array.from({ length: messages }, (_, i) => turn(i));
const saved = JSON.stringify({ model: 'bench-tokens', system: '', messages: turns, stopped: [] });
const textBytes = turns.reduce((sum, t) => sum + Buffer.byteLength(t.content), 0);

const browser = await launchChromium();
try {
  const context = await browser.newContext();
  await context.addInitScript(({ server, chat }) => {
    localStorage.setItem('kinlink.connection.openai', JSON.stringify({ server, apiKey: 'bench-key' }));
    localStorage.setItem('kinlink.chat', chat);
    // Trunk's loader announces the instance; its exports hold the linear memory.
    addEventListener('TrunkApplicationStarted', (e) => { window.__wasmMemory = e.detail.wasm.memory; });
  }, { server: url, chat: saved });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  const started = Date.now();
  await page.goto(`${url}/chat`);
  await page.getByTestId('model-select').waitFor();
  await page.waitForFunction((n) => document.querySelectorAll('.messages .message').length === n, messages, { timeout: 300_000, polling: 100 });
  const renderMs = Date.now() - started;
  await page.waitForTimeout(500);
  for (let i = 0; i < 2; i++) await cdp.send('HeapProfiler.collectGarbage');
  const heap = await cdp.send('Runtime.getHeapUsage');
  const { nodes } = await cdp.send('Memory.getDOMCounters');
  const wasm = await page.evaluate(() => window.__wasmMemory?.buffer.byteLength ?? null);
  if (wasm === null) throw new Error('the console\'s wasm memory was not found (TrunkApplicationStarted)');
  process.stdout.write(`${JSON.stringify({
    messages, textBytes, js: heap.usedSize, dom: heap.embedderHeapUsedSize ?? null, buffers: heap.backingStorageSize ?? null, wasm, nodes, renderMs,
  })}\n`);
} finally {
  await browser.close();
}
