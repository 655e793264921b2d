// The stream every chat-stream figure reads: an OpenAI-style completion of about 64 MB, written over
// loopback in 16 KiB writes (each waiting for the socket to drain), the same bytes for every consumer.
// Also serves the Chromium consumers' page and the modules it imports, from the same origin.
import { createServer } from 'node:http';
import { serveFile } from './static-files.mjs';

const WORDS = ['stream', 'of', 'tokens', 'with', 'ünïcödé', 'and', '"quotes"', 'newline\\n', 'plain', 'words'];

/** The SSE body: role chunk, content chunks shaped like OpenAI's (every field it sends), usage, [DONE]. */
export function completionBody(targetBytes) {
  const head = (delta, finish) => JSON.stringify({
    id: 'chatcmpl-bench0000000000000000000000', object: 'chat.completion.chunk', created: 1764633600,
    model: 'gpt-bench-2026-01-01', service_tier: 'default', system_fingerprint: 'fp_bench0000',
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }], usage: null,
  });
  const parts = [`data: ${head({ role: 'assistant', content: '', refusal: null }, null)}\n\n`];
  let size = parts[0].length;
  let chunks = 1;
  for (let i = 0; size < targetBytes; i++) {
    const line = `data: ${head({ content: `${WORDS[i % WORDS.length]} ` }, null)}\n\n`;
    parts.push(line);
    size += Buffer.byteLength(line);
    chunks += 1;
  }
  parts.push(`data: ${head({}, 'stop')}\n\n`);
  parts.push(`data: ${JSON.stringify({ id: 'chatcmpl-bench0000000000000000000000', object: 'chat.completion.chunk', created: 1764633600, model: 'gpt-bench-2026-01-01', choices: [], usage: { prompt_tokens: 5, completion_tokens: chunks, total_tokens: chunks + 5 } })}\n\n`);
  parts.push('data: [DONE]\n\n');
  return { body: Buffer.from(parts.join('')), chunks: chunks + 2 };
}

/**
 * Starts the server on a free loopback port. `files` maps URL prefixes to folders (the package's web
 * build, eventsource-parser's ES module); `page` is the HTML served at `/`.
 */
export function startStreamServer({ targetBytes = 64 * 1024 * 1024, writeSize = 16 * 1024, files = {}, page = '' } = {}) {
  const { body, chunks } = completionBody(targetBytes);
  const server = createServer(async (req, res) => {
    if (req.url === '/v1/chat/completions' && req.method === 'POST') {
      req.resume();
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'x-request-id': 'req_bench' });
      for (let at = 0; at < body.length; at += writeSize) {
        if (!res.write(body.subarray(at, at + writeSize))) await new Promise((r) => res.once('drain', r));
      }
      res.end();
      return;
    }
    if (req.url === '/') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(page);
      return;
    }
    for (const [prefix, dir] of Object.entries(files)) {
      if (req.url.startsWith(prefix) && serveFile(res, dir, req.url.slice(prefix.length))) return;
    }
    res.writeHead(404).end();
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({ url: `http://127.0.0.1:${server.address().port}`, bytes: body.length, chunks, close: () => server.close() });
    });
  });
}
