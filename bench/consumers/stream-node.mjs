// One round of the chat-stream figure in Node, in a process of its own:
//   node stream-node.mjs IMPLEMENTATION SERVER_URL
// prints {"chunks", "chars", "ms"}: chunks read, content characters seen, time from the request to the end.
// Every implementation reads the same body and must count the same chunks.
import { performance } from 'node:perf_hooks';
import { readWithEventsourceParser } from './eventsource-parser.js';

const [impl, url] = process.argv.slice(2);
// scripts/bench's build-variants figure points this at a copy of the package with another wasm.
const entry = process.env.KINLINK_BENCH_ENTRY ?? 'kinlink/openai';
const request = { model: 'gpt-bench', messages: [{ role: 'user', content: 'bench' }], stream: true };

const implementations = {
  // The package: `for await` over the chunks, each a JS object as sent.
  async 'kinlink-for-await'() {
    const { KinlinkClient } = await import(entry);
    const client = new KinlinkClient(url, 'bench-key', { maxRetries: 0 });
    let chunks = 0, chars = 0;
    for await (const chunk of await client.chat.completions.create(request)) {
      chunks += 1;
      chars += chunk.choices[0]?.delta?.content?.length ?? 0;
    }
    return { chunks, chars };
  },
  // The Rust decoder in wasm with nothing handed to JS per chunk: the assembled completion only.
  async 'kinlink-wasm-final'() {
    const { KinlinkClient } = await import(entry);
    const client = new KinlinkClient(url, 'bench-key', { maxRetries: 0 });
    const completion = await (await client.chat.completions.create(request)).finalCompletion();
    return { chunks: null, chars: completion.choices[0].message.content.length };
  },
  // The floor of a JS client: fetch, eventsource-parser, JSON.parse.
  async 'eventsource-parser'() {
    const { createParser } = await import('eventsource-parser');
    const response = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer bench-key' }, body: JSON.stringify(request),
    });
    return readWithEventsourceParser(createParser, response);
  },
  async 'openai-v6'() { return openai('openai-v6'); },
  async openai() { return openai('openai'); },
};

async function openai(module) {
  const { default: OpenAI } = await import(module);
  const client = new OpenAI({ baseURL: `${url}/v1`, apiKey: 'bench-key', maxRetries: 0 });
  let chunks = 0, chars = 0;
  for await (const chunk of await client.chat.completions.create(request)) {
    chunks += 1;
    chars += chunk.choices[0]?.delta?.content?.length ?? 0;
  }
  return { chunks, chars };
}

const run = implementations[impl];
if (!run) throw new Error(`unknown implementation ${impl}`);
const start = performance.now();
const counted = await run();
const ms = performance.now() - start;
process.stdout.write(`${JSON.stringify({ ...counted, ms })}\n`);
