// Streaming chat completions through the npm package in Node.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSandbox } from '../support/sandbox.mjs';
import { installedPackage } from '../support/package.mjs';

const { KinlinkClient } = installedPackage();

let sandbox;
let client;
before(async () => {
  sandbox = await startSandbox({ faults: true, args: ['--token-delay-ms', '20'] });
  client = new KinlinkClient(sandbox.url, sandbox.apiKey);
});
after(async () => { await sandbox?.stop(); });

const messages = (text) => [{ role: 'system', content: 'be brief' }, { role: 'user', content: text }];

test('models and a plain completion', async () => {
  const models = await client.models.list();
  assert.ok(models.some((m) => m.id === 'sandbox-echo'));
  const completion = await client.chat.completions.create({ model: 'sandbox-echo', messages: messages('plain please') });
  assert.match(completion.choices[0].message.content, /plain please/);
  assert.equal(completion.choices[0].finish_reason, 'stop');
  assert.ok(completion.usage.total_tokens > 0);
});

test('for await over a streamed completion', async () => {
  const stream = await client.chat.completions.create({
    model: 'sandbox-echo', messages: messages('stream in node'), stream: true, stream_options: { include_usage: true },
  });
  let text = '';
  let chunks = 0;
  let usage = null;
  for await (const chunk of stream) {
    chunks += 1;
    text += chunk.choices[0]?.delta?.content ?? '';
    if (chunk.usage) usage = chunk.usage;
  }
  assert.ok(chunks > 3, `${chunks} chunks`);
  assert.match(text, /stream in node/);
  assert.ok(usage && usage.total_tokens > 0);
});

test('finalCompletion assembles the stream', async () => {
  const stream = await client.chat.completions.create({ model: 'sandbox-echo', messages: messages('assemble me'), stream: true });
  const completion = await stream.finalCompletion();
  assert.match(completion.choices[0].message.content, /assemble me/);
  assert.equal(completion.choices[0].finish_reason, 'stop');
});

test('AbortSignal aborts a running stream with kind "aborted"', async () => {
  const controller = new AbortController();
  const stream = await client.chat.completions.create(
    { model: 'sandbox-long', messages: messages('long one'), stream: true }, { signal: controller.signal });
  let received = 0;
  await assert.rejects(async () => {
    for await (const chunk of stream) {
      received += 1;
      if (received === 3) controller.abort();
    }
  }, (error) => error.kind === 'aborted' && error.name === 'KinlinkError');
  assert.equal(received, 3, 'nothing is delivered after the abort');
  const next = await stream.next();
  assert.equal(next.done, true);
});

test('break ends the stream and a stall is an idle timeout', async () => {
  const stream = await client.chat.completions.create({ model: 'sandbox-long', messages: messages('x'), stream: true });
  for await (const _chunk of stream) break;
  assert.equal((await stream.next()).done, true);

  await fetch(`${sandbox.url}/__sandbox/faults`, {
    method: 'POST', headers: { authorization: `Bearer ${sandbox.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ fault: 'stream_stall', stall_ms: 20000, path: '/v1/chat/completions' }),
  });
  const stalled = await client.chat.completions.create(
    { model: 'sandbox-long', messages: messages('x'), stream: true }, { streamIdleTimeoutMs: 300 });
  await assert.rejects(stalled.finalCompletion(), (error) => error.kind === 'timeout');
});

test('a cut stream says how many events arrived and keeps the cause', async () => {
  await fetch(`${sandbox.url}/__sandbox/faults`, {
    method: 'POST', headers: { authorization: `Bearer ${sandbox.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ fault: 'stream_cut', path: '/v1/chat/completions' }),
  });
  const stream = await client.chat.completions.create({ model: 'sandbox-long', messages: messages('x'), stream: true });
  let received = 0;
  await assert.rejects(async () => {
    for await (const _chunk of stream) received += 1;
  }, (error) => {
    assert.equal(error.kind, 'stream');
    assert.equal(error.message, `the server closed the connection before the stream finished (after ${received} events)`);
    assert.ok(error.cause instanceof Error, 'the fetch failure is kept as the cause');
    assert.match(error.cause.message, /broke while reading the response/);
    assert.ok(error.cause.cause instanceof Error, "and below it fetch's own error");
    return true;
  });
  // The sandbox cuts after the role chunk and two content chunks.
  assert.equal(received, 3);
});

test('a bad request body is a typed error naming the field', async () => {
  await assert.rejects(
    client.chat.completions.create({ model: 'sandbox-echo', messages: [] }),
    (error) => error.kind === 'bad_request' && error.status === 400 && error.param === 'messages');
  await assert.rejects(
    client.chat.completions.create({ model: 'sandbox-echo' }),
    (error) => error.kind === 'invalid_argument');
});
