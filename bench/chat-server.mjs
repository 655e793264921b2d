// The server the console's chat figures run against: the release console's files (same origin, so the
// page talks to it as it talks to any OpenAI-compatible server) and the two routes the chat page uses,
// `GET /v1/models` and a streamed `POST /v1/chat/completions` that sends numbered tokens (` w0 w1 …`)
// on a fixed schedule. Each token leaves in its own write, at `start + k / rate` (a late timer sends
// every token that is due, as a server behind a busy event loop would).
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { serveFile } from './static-files.mjs';

const ID = 'chatcmpl-bench-latency';
const MODEL = 'bench-tokens';

const chunk = (delta, finish = null) => `data: ${JSON.stringify({ id: ID, object: 'chat.completion.chunk', created: 1764633600, model: MODEL, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] })}\n\n`;

async function streamTokens(res, tokens, rate) {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  res.write(chunk({ role: 'assistant', content: '' }));
  const start = performance.now();
  let next = 0;
  while (next < tokens && !res.destroyed) {
    const due = Math.min(tokens, Math.floor(((performance.now() - start) * rate) / 1000) + 1);
    for (; next < due; next++) res.write(chunk({ content: ` w${next}` }));
    await delay(1);
  }
  res.write(chunk({}, 'stop'));
  res.write(`data: ${JSON.stringify({ id: ID, object: 'chat.completion.chunk', created: 1764633600, model: MODEL, choices: [], usage: { prompt_tokens: 1, completion_tokens: tokens, total_tokens: tokens + 1 } })}\n\n`);
  res.end('data: [DONE]\n\n');
}

/** Starts on a free loopback port; `dist` is the release console. */
export function startChatServer({ dist, tokens = 2500, rate = 500 }) {
  const shell = readFileSync(join(dist, 'index.html'));
  const server = createServer({ noDelay: true }, (req, res) => {
    const path = req.url.split('?')[0];
    if (path === '/v1/models') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ object: 'list', data: [{ id: MODEL, object: 'model', created: 1764633600, owned_by: 'bench' }] }));
      return;
    }
    if (path === '/v1/chat/completions' && req.method === 'POST') {
      req.resume();
      req.on('end', () => streamTokens(res, tokens, rate));
      return;
    }
    if (serveFile(res, dist, path)) return;
    // The console's own routes (`/chat`, …) get its shell, as the sandbox serves it.
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(shell);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve({
      url: `http://127.0.0.1:${server.address().port}`, model: MODEL, tokens, rate,
      close: () => { server.closeAllConnections(); server.close(); },
    }));
  });
}
