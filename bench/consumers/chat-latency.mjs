// One round of the token → DOM figure, a fresh browser per round:
//   node chat-latency.mjs SERVER_URL MODEL TOKENS
// The release console's chat page, connected to the chat server (bench/chat-server.mjs), sends one
// message; the reply streams at the server's rate. Measured inside the page, on the page's clock:
//   arrival  when the bytes carrying token k come out of the response body (the page's fetch, wrapped
//            with a pass-through stream that only notes the time),
//   dom      when the reply on screen first shows token k (a MutationObserver's callback, which runs at
//            the end of the task that changed the DOM),
//   frame    the next animation frame after that.
// Long tasks (> 50 ms, the Long Tasks API) are counted from the send to the end of the reply.
// Prints {"tokens", "dom": [ms…], "frame": [ms…], "longTasks": [ms…], "seconds"}.
import { launchChromium } from '../../tests/support/browser.mjs';

const [url, model, tokenCount] = process.argv.slice(2);
const tokens = Number(tokenCount);

function instrument() {
  const arrival = [];
  const dom = [];
  const frame = [];
  const longTasks = [];
  window.__latency = { arrival, dom, frame, longTasks };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) longTasks.push({ start: entry.startTime, duration: entry.duration });
  }).observe({ type: 'longtask', buffered: true });

  const pageFetch = window.fetch;
  window.fetch = async (input, init) => {
    const response = await pageFetch(input, init);
    const target = typeof input === 'string' ? input : input.url;
    if (!target.endsWith('/v1/chat/completions') || !response.body) return response;
    const decoder = new TextDecoder();
    let carry = '';
    const noteArrivals = new TransformStream({
      transform(bytes, controller) {
        const now = performance.now();
        const text = carry + decoder.decode(bytes, { stream: true });
        for (const m of text.matchAll(/"content":" w(\d+)"/g)) arrival[Number(m[1])] ??= now;
        carry = text.slice(-32);
        controller.enqueue(bytes);
      },
    });
    return new Response(response.body.pipeThrough(noteArrivals), { status: response.status, statusText: response.statusText, headers: response.headers });
  };

  let shown = -1;
  let framed = -1;
  let framePending = false;
  const observer = new MutationObserver(() => {
    const now = performance.now();
    const reply = document.querySelector('.message.assistant.streaming');
    if (!reply) return;
    const tail = reply.textContent.slice(-24);
    const m = tail.match(/w(\d+)\s*$/);
    if (!m) return;
    const last = Number(m[1]);
    for (; shown < last; ) dom[++shown] = now;
    if (!framePending) {
      framePending = true;
      requestAnimationFrame(() => {
        const at = performance.now();
        for (; framed < shown; ) frame[++framed] = at;
        framePending = false;
      });
    }
  });
  document.addEventListener('DOMContentLoaded', () => observer.observe(document.body, { subtree: true, childList: true, characterData: true }));
}

const browser = await launchChromium();
try {
  const context = await browser.newContext();
  await context.addInitScript(({ server }) => {
    localStorage.setItem('kinlink.connection.openai', JSON.stringify({ server, apiKey: 'bench-key' }));
  }, { server: url });
  await context.addInitScript(instrument);
  const page = await context.newPage();
  await page.goto(`${url}/chat`);
  await page.getByTestId('model-select').waitFor();
  await page.getByTestId('model-select').selectOption(model);
  await page.getByTestId('prompt').fill('Count for me.');
  // Send is enabled once the connection is checked and the model list is in.
  await page.waitForFunction(() => document.querySelector('[data-testid=send]')?.disabled === false);
  const sent = await page.evaluate(() => performance.now());
  await page.getByTestId('prompt').press('Enter');
  await page.getByTestId('usage').waitFor({ timeout: 120_000 });
  const r = await page.evaluate(() => window.__latency);
  const dom = [];
  const frame = [];
  for (let k = 0; k < tokens; k++) {
    if (r.arrival[k] === undefined || r.dom[k] === undefined) throw new Error(`token ${k} was not seen (arrival ${r.arrival[k]}, dom ${r.dom[k]})`);
    dom.push(r.dom[k] - r.arrival[k]);
    if (r.frame[k] !== undefined) frame.push(r.frame[k] - r.arrival[k]);
  }
  const end = r.dom[tokens - 1];
  const longTasks = r.longTasks.filter((t) => t.start >= sent && t.start <= end).map((t) => t.duration);
  process.stdout.write(`${JSON.stringify({ tokens, dom, frame, longTasks, seconds: (r.arrival[tokens - 1] - r.arrival[0]) / 1000 })}\n`);
} finally {
  await browser.close();
}
