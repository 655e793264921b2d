// scripts/bench's measurements: every figure beside its reference in the same run, interleaved rounds
// with a fresh process per round, the median of the rounds with min–max. Writes bench/RESULTS.md and
// bench/results.json. Inputs (scripts/bench sets them):
//   KINLINK_BENCH_NATIVE   the native stream consumer (sdk/examples/stream_decode.rs, release)
//   KINLINK_BENCH_SANDBOX  the release sandbox binary
//   KINLINK_BENCH_CONSOLE  the release console (dist/)
//   KINLINK_BENCH_FLOOR    a minimal Leptos page built in the same run (bench/floor, release)
//   KINLINK_BENCH_BUILD    scripts/package's build folder (the raw wasm of each entry)
//   KINLINK_BENCH_VARIANTS kinlink/openai's raw wasm at each release opt-level (opt-<level>.raw.wasm)
//   KINLINK_BENCH_ROUNDS   rounds per figure (default 5)
//   KINLINK_BENCH_ONLY     a comma-separated subset of the figures (see FIGURES), for working on one
//   KINLINK_BENCH_REWRITE  set: measure nothing, write RESULTS.md again from bench/results.json (its wording)
import { execFileSync } from 'node:child_process';
import { runJson } from './child.mjs';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { startStreamServer } from './stream-server.mjs';
import { startChatServer } from './chat-server.mjs';
import { measureSizes, sizes } from './size.mjs';
import { breakdown } from './wasm-breakdown.mjs';
import { summary, cell, fixed, fit, kb, percentile, table } from './stats.mjs';
import { startSandbox } from '../tests/support/sandbox.mjs';
import { launchChromium } from '../tests/support/browser.mjs';
import { sandboxLoad } from './sandbox-load.mjs';
import { buildVariantsFigure } from './build-variants.mjs';

const root = resolve(import.meta.dirname, '..');
const work = join(root, 'bench/.work');
mkdirSync(work, { recursive: true });
const ROUNDS = Number(process.env.KINLINK_BENCH_ROUNDS ?? 5);
const log = (text) => console.log(`[bench] ${text}`);
const results = { date: new Date().toISOString(), rounds: ROUNDS, machine: machine(), versions: versions() };

function machine() {
  const cpu = cpus();
  return { cpus: cpu.length, model: cpu[0]?.model ?? 'unknown', memory_gib: Math.round(totalmem() / 2 ** 30), node: process.version, os: `${process.platform} ${process.arch}` };
}

function versions() {
  const pkg = (dir) => {
    try { return JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')).version; } catch { return 'not installed'; }
  };
  const out = { kinlink: pkg('bench/node_modules/kinlink'), openai: pkg('bench/node_modules/openai'), 'openai-v6': pkg('bench/node_modules/openai-v6'), 'eventsource-parser': pkg('bench/node_modules/eventsource-parser') };
  try { out.chromium = execFileSync('/usr/bin/chromium', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim(); } catch { out.chromium = 'unknown'; }
  try { out.rustc = execFileSync('rustc', ['--version'], { encoding: 'utf8' }).trim(); } catch { out.rustc = 'unknown'; }
  return out;
}

// ---- chat-stream decode -------------------------------------------------------------------------
/** A consumer's result, once it is known to have read every chunk of the stream (`null`: it does not count). */
function readWhole(server, what, r) {
  if (r.chunks !== null && r.chunks !== server.chunks) throw new Error(`${what} read ${r.chunks} chunks, the stream has ${server.chunks}`);
  return r;
}

async function streamFigure() {
  const server = await startStreamServer({
    page: readFileSync(join(root, 'bench/page.html'), 'utf8'),
    files: { '/kinlink/': join(root, 'bench/node_modules/kinlink/dist/openai/web/'), '/esp/': join(root, 'bench/node_modules/eventsource-parser/dist/'), '/consumers/': join(root, 'bench/consumers/') },
  });
  log(`chat stream: ${(server.bytes / 1e6).toFixed(1)} MB, ${server.chunks} chunks, 16 KiB writes, ${ROUNDS} rounds`);
  const node = (impl) => () => runJson(process.execPath, [join(root, 'bench/consumers/stream-node.mjs'), impl, server.url], { cwd: join(root, 'bench') });
  const chromium = (impl) => () => runJson(process.execPath, [join(root, 'bench/consumers/stream-chromium.mjs'), impl, server.url], { cwd: join(root, 'bench') });
  const cases = [
    { id: 'native', env: 'native', label: 'Kinlink, native Rust (reqwest)', run: () => runJson(process.env.KINLINK_BENCH_NATIVE, [server.url]) },
    { id: 'node-kinlink-final', env: 'Node', label: 'Kinlink, Rust-in-wasm consumer (`finalCompletion()`)', run: node('kinlink-wasm-final') },
    { id: 'node-kinlink', env: 'Node', label: 'Kinlink package, `for await`', run: node('kinlink-for-await') },
    { id: 'node-esp', env: 'Node', label: 'fetch + eventsource-parser + `JSON.parse`', run: node('eventsource-parser'), reference: true },
    { id: 'node-openai-v6', env: 'Node', label: 'openai v6', run: node('openai-v6'), reference: true },
    { id: 'node-openai', env: 'Node', label: 'openai (newest)', run: node('openai'), reference: true },
    { id: 'chromium-kinlink', env: 'Chromium', label: 'Kinlink package, `for await`', run: chromium('kinlink-for-await') },
    { id: 'chromium-esp', env: 'Chromium', label: 'fetch + eventsource-parser + `JSON.parse`', run: chromium('eventsource-parser'), reference: true },
  ];
  const samples = Object.fromEntries(cases.map((c) => [c.id, []]));
  try {
    for (let round = 0; round < ROUNDS; round++) {
      // Interleaved: each round runs every case once, starting one further along.
      for (let k = 0; k < cases.length; k++) {
        const c = cases[(round + k) % cases.length];
        const r = readWhole(server, c.id, await c.run());
        samples[c.id].push(r);
        log(`  round ${round + 1}/${ROUNDS} ${c.id}: ${(server.bytes / 1e3 / r.ms).toFixed(1)} MB/s`);
      }
    }
  } finally {
    server.close();
  }
  const rows = cases.map((c) => ({
    ...c, run: undefined,
    mbps: summary(samples[c.id].map((r) => server.bytes / 1e3 / r.ms)),
    chunksps: summary(samples[c.id].map((r) => server.chunks / (r.ms / 1000) / 1000)),
  }));
  return { bytes: server.bytes, chunks: server.chunks, rows };
}

// ---- profile: the package's `for await` in Node, the figure furthest from its target ---------------
async function profileStream() {
  const server = await startStreamServer({});
  const dir = join(work, 'profile');
  rmSync(dir, { recursive: true, force: true });
  try {
    await runJson(process.execPath, ['--cpu-prof', '--cpu-prof-dir', dir, join(root, 'bench/consumers/stream-node.mjs'), 'kinlink-for-await', server.url], { cwd: join(root, 'bench') });
  } finally {
    server.close();
  }
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  const profile = JSON.parse(readFileSync(join(dir, file), 'utf8'));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    total += dt;
    const frame = byId.get(id).callFrame;
    const where = frame.url ? frame.url.replace(/^.*\/node_modules\//, '').replace(/^file:\/\/.*\/bench\//, 'bench/') : '';
    const key = `${frame.functionName || '(anonymous)'}${where ? ` — ${where}` : ''}`;
    self.set(key, (self.get(key) ?? 0) + dt);
  });
  const top = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 15);
  return `\`node --cpu-prof\` of one round of the package's \`for await\` in Node; self time per function (wasm functions appear by their index or name, \`(program)\` and \`(garbage collector)\` are V8's own).\n\n`
    + table(['function', 'self ms', 'share'], top.map(([name, us]) => [name.replaceAll('|', '\\|'), (us / 1000).toFixed(0), `${(100 * us / total).toFixed(1)} %`]));
}

// ---- console first load --------------------------------------------------------------------------
function firstLoadFiles(dist) {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const names = new Set(['index.html']);
  // Trunk's shell names every file of the first load (the script, the wasm it preloads, the styles).
  for (const m of html.matchAll(/(?:href|src)="\/?([^"?#]+\.(?:js|wasm|css|svg))"/g)) names.add(m[1]);
  let raw = 0, gzip = 0, brotli = 0;
  for (const name of names) {
    const path = join(dist, name);
    const s = sizes(readFileSync(path));
    raw += s.raw; gzip += s.gzip; brotli += s.brotli;
  }
  return { files: [...names], raw, gzip, brotli };
}

async function loadTimes(url, readySelector) {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const start = Date.now();
    await page.goto(url, { waitUntil: 'commit' });
    await page.waitForSelector(readySelector, { state: 'visible' });
    // Interactive: the app answers input (a keypress reaches a handler the app installed).
    const timing = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0];
      const paint = performance.getEntriesByName('first-contentful-paint')[0];
      return { fcp: paint ? paint.startTime : null, domContentLoaded: nav.domContentLoadedEventEnd, now: performance.now() };
    });
    const transfer = await page.evaluate(() => [performance.getEntriesByType('navigation')[0], ...performance.getEntriesByType('resource')]
      .reduce((sum, e) => sum + e.transferSize, 0));
    return { ready: timing.now, fcp: timing.fcp, transfer, wall: Date.now() - start };
  } finally {
    await browser.close();
  }
}

async function consoleFigure() {
  const dist = process.env.KINLINK_BENCH_CONSOLE;
  const floorDist = process.env.KINLINK_BENCH_FLOOR;
  const files = firstLoadFiles(dist);
  const floorFiles = floorDist ? firstLoadFiles(floorDist) : null;
  const bin = process.env.KINLINK_BENCH_SANDBOX;
  const consoleServer = await startSandbox({ staticDir: dist, bin });
  const floorServer = floorDist ? await startSandbox({ staticDir: floorDist, bin }) : null;
  const samples = { console: [], floor: [] };
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 ? ['floor', 'console'] : ['console', 'floor'];
      for (const which of order) {
        if (which === 'floor' && !floorServer) continue;
        const r = which === 'console' ? await loadTimes(consoleServer.url, 'main h1') : await loadTimes(floorServer.url, 'main h1');
        samples[which].push(r);
        log(`  round ${round + 1}/${ROUNDS} ${which}: ready ${r.ready.toFixed(0)} ms, ${kb(r.transfer)} transferred`);
      }
    }
  } finally {
    await consoleServer.stop();
    await floorServer?.stop();
  }
  const s = (which, key) => summary(samples[which].map((r) => r[key]));
  return {
    files, floorFiles,
    console: { ready: s('console', 'ready'), fcp: s('console', 'fcp'), transfer: s('console', 'transfer') },
    floor: floorServer ? { ready: s('floor', 'ready'), fcp: s('floor', 'fcp'), transfer: s('floor', 'transfer') } : null,
  };
}

// ---- build settings: opt-level × wasm-opt flags for kinlink/openai ----------------------------------
async function buildFigure() {
  const server = await startStreamServer({});
  log(`build settings: opt-levels and wasm-opt flags of kinlink/openai, ${ROUNDS} rounds`);
  try {
    return await buildVariantsFigure({
      variantsDir: process.env.KINLINK_BENCH_VARIANTS, installed: join(root, 'bench/node_modules/kinlink'), work, rounds: ROUNDS, log, streamBytes: server.bytes,
      runStream: async (impl, entry) => readWhole(server, `${impl} on ${entry}`,
        await runJson(process.execPath, [join(root, 'bench/consumers/stream-node.mjs'), impl, server.url], { cwd: join(root, 'bench'), env: { ...process.env, KINLINK_BENCH_ENTRY: entry } })),
    });
  } finally {
    server.close();
  }
}

// ---- console chat: token → DOM latency at 500 tokens/s --------------------------------------------
async function chatLatencyFigure() {
  const server = await startChatServer({ dist: process.env.KINLINK_BENCH_CONSOLE, tokens: 2500, rate: 500 });
  log(`chat latency: ${server.tokens} tokens at ${server.rate} tokens/s, ${ROUNDS} rounds`);
  const rounds = [];
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const r = await runJson(process.execPath, [join(root, 'bench/consumers/chat-latency.mjs'), server.url, server.model, String(server.tokens)], { cwd: join(root, 'bench') });
      rounds.push(r);
      log(`  round ${round + 1}/${ROUNDS}: token → DOM p50 ${percentile(r.dom, 50).toFixed(2)} ms, p95 ${percentile(r.dom, 95).toFixed(2)} ms, ${r.longTasks.length} long tasks`);
    }
  } finally {
    server.close();
  }
  const per = (key, p) => summary(rounds.map((r) => percentile(r[key], p)));
  return {
    tokens: server.tokens, rate: server.rate,
    received: summary(rounds.map((r) => (server.tokens - 1) / r.seconds)),
    dom: { p50: per('dom', 50), p95: per('dom', 95), max: per('dom', 100) },
    frame: { p50: per('frame', 50), p95: per('frame', 95) },
    longTasks: summary(rounds.map((r) => r.longTasks.length)),
    longestTask: summary(rounds.map((r) => Math.max(0, ...r.longTasks))),
  };
}

// ---- console chat: memory of a 10,000-message conversation -----------------------------------------
const MEMORY_STEPS = [0, 2500, 5000, 7500, 10000];

async function chatMemoryFigure() {
  const server = await startChatServer({ dist: process.env.KINLINK_BENCH_CONSOLE });
  log(`chat memory: conversations of ${MEMORY_STEPS.join(', ')} messages, ${ROUNDS} rounds`);
  const samples = Object.fromEntries(MEMORY_STEPS.map((n) => [n, []]));
  try {
    for (let round = 0; round < ROUNDS; round++) {
      for (let k = 0; k < MEMORY_STEPS.length; k++) {
        const n = MEMORY_STEPS[(round + k) % MEMORY_STEPS.length];
        const r = await runJson(process.execPath, [join(root, 'bench/consumers/chat-memory.mjs'), server.url, String(n)], { cwd: join(root, 'bench') });
        r.total = r.js + (r.dom ?? 0) + (r.buffers ?? 0) + r.wasm;
        samples[n].push(r);
        log(`  round ${round + 1}/${ROUNDS} ${n} messages: ${(r.total / 1e6).toFixed(1)} MB (js ${(r.js / 1e6).toFixed(1)}, dom ${((r.dom ?? 0) / 1e6).toFixed(1)}, buffers ${((r.buffers ?? 0) / 1e6).toFixed(1)}, wasm ${(r.wasm / 1e6).toFixed(1)}), rendered in ${r.renderMs} ms`);
      }
    }
  } finally {
    server.close();
  }
  const steps = MEMORY_STEPS.map((n) => {
    const s = samples[n];
    const m = (key) => summary(s.map((r) => r[key]));
    return { messages: n, textBytes: s[0].textBytes, total: m('total'), js: m('js'), dom: m('dom'), buffers: m('buffers'), wasm: m('wasm'), nodes: m('nodes'), renderMs: m('renderMs') };
  });
  // Least squares over the medians: bytes per message, and how far the steps stray from that line.
  const xs = steps.map((s) => s.messages);
  const slope = (key) => fit(xs, steps.map((s) => s[key].median));
  const total = slope('total');
  const textPerMessage = steps.at(-1).textBytes / steps.at(-1).messages;
  return { steps, perMessage: { total: total.slope, js: slope('js').slope, dom: slope('dom').slope, buffers: slope('buffers').slope, wasm: slope('wasm').slope, nodes: slope('nodes').slope }, r2: total.r2, textPerMessage };
}

// ---- RESULTS.md -----------------------------------------------------------------------------------
function verdict(ok) { return ok ? 'met' : '**missed**'; }

function writeResults(r) {
  const lines = [];
  const push = (...t) => lines.push(...t);
  push('# Benchmark results', '',
    `Written by \`scripts/bench\` on ${r.date.slice(0, 10)}: ${r.machine.cpus} × ${r.machine.model}, ${r.machine.memory_gib} GiB, Node ${r.machine.node}, ${r.versions.chromium}, ${r.versions.rustc}.`,
    `Every figure ran beside its reference in the same run: ${r.rounds} interleaved rounds, a fresh process (and a fresh browser) per round; cells are the median with min–max. Versions: kinlink ${r.versions.kinlink}, openai ${r.versions.openai}, openai v6 ${r.versions['openai-v6']}, eventsource-parser ${r.versions['eventsource-parser']}. Raw samples: \`bench/results.json\`.`,
    '', 'Command: `scripts/bench` (or `KINLINK_BENCH_ROUNDS=9 scripts/bench`).', '');

  const st = r.stream;
  const row = (id) => st.rows.find((x) => x.id === id);
  push('## Chat-stream decode', '',
    `One completion of ${(st.bytes / 1e6).toFixed(1)} MB (${st.chunks} chunks shaped like OpenAI's), written over loopback in 16 KiB writes; each consumer counts every chunk and its text.`, '',
    table(['environment', 'consumer', 'MB/s', 'k chunks/s', '× eventsource-parser'], st.rows.map((x) => {
      const ref = x.env === 'Chromium' ? row('chromium-esp') : row('node-esp');
      return [x.env, x.label, cell(x.mbps), cell(x.chunksps), fixed(x.mbps.median / ref.mbps.median, 2)];
    })), '');
  const esp = row('node-esp').mbps.median;
  const targets = [
    ['native Rust ≥ 1.5× eventsource-parser', row('native').mbps.median / esp, 1.5],
    ['Rust-in-wasm consumer ≥ 1.5× eventsource-parser (Node)', row('node-kinlink-final').mbps.median / esp, 1.5],
    ['package `for await` ≥ 1.0× eventsource-parser (Node)', row('node-kinlink').mbps.median / esp, 1.0],
    ['package `for await` ≥ 1.0× eventsource-parser (Chromium)', row('chromium-kinlink').mbps.median / row('chromium-esp').mbps.median, 1.0],
    ['package `for await` ≥ 3× newest openai (Node)', row('node-kinlink').mbps.median / row('node-openai').mbps.median, 3.0],
  ];
  push(table(['target', 'ratio', ''], targets.map(([name, ratio, want]) => [name, fixed(ratio, 2), verdict(ratio >= want)])), '');

  push('## Package size', '',
    `An esbuild ${r.size[0].esbuild} bundle (minified, ES2022) of the same browser app, one streamed chat completion, against each client; Kinlink's count adds the wasm the app fetches.`, '',
    table(['app', 'JS raw', 'JS gzip', 'wasm gzip', 'total raw', 'total gzip', 'total brotli'], r.size.map((x) => [
      x.name, kb(x.js.raw), kb(x.js.gzip), x.wasm ? kb(x.wasm.gzip) : '—', kb(x.total.raw), kb(x.total.gzip), kb(x.total.brotli)])), '');
  const sz = (name) => r.size.find((x) => x.name === name).total.gzip;
  push(table(['target', 'Kinlink', 'reference', ''], [
    ['`kinlink/openai` ≤ openai v6', kb(sz('kinlink/openai')), kb(sz('openai 6 (openai-v6)')), verdict(sz('kinlink/openai') <= sz('openai 6 (openai-v6)'))],
    ['`kinlink` (all APIs) ≤ newest openai', kb(sz('kinlink (all APIs)')), kb(sz('openai (newest)')), verdict(sz('kinlink (all APIs)') <= sz('openai (newest)'))],
  ]), '');
  push('### What the wasm is made of', '',
    'Code bytes per crate in each entry\'s wasm before wasm-opt (from the function names rustc leaves; generic code counts for the crate that defines it, trait impls for the implementing type\'s crate).', '');
  for (const b of r.breakdown) {
    push(`**${b.entry}**: ${kb(b.total)} before wasm-opt (code ${kb(b.code)}, data ${kb(b.data)}).`, '',
      table(['crate', 'code', 'share'], b.crates.slice(0, 12).map(([crate, size]) => [crate, kb(size), `${(100 * size / b.code).toFixed(1)} %`])), '');
  }

  const bv = r.build;
  const timed = bv.variants.filter((v) => v.forAwait);
  const smallest = [...bv.variants].sort((a, b) => a.size.gzip - b.size.gzip)[0];
  const fastest = [...timed].sort((a, b) => b.forAwait.median - a.forAwait.median)[0];
  const shipped = bv.variants.find((v) => v.shipped);
  push('### Build settings', '',
    `\`kinlink/openai\` built at each release opt-level (\`CARGO_PROFILE_RELEASE_OPT_LEVEL\`, LTO and one codegen unit as shipped), bound by wasm-bindgen for Node, then run through wasm-opt with each flag set; speed from the Node chat-stream consumers above against a copy of the package holding that wasm, interleaved rounds. The package ships opt-level ${shipped.level} with wasm-opt ${shipped.flags}.`, '',
    table(['opt-level', 'wasm-opt', 'wasm raw', 'gzip', 'brotli', 'package `for await`, MB/s', '`finalCompletion()`, MB/s', ''], bv.variants.map((v) => [
      v.level, v.flags, kb(v.size.raw), kb(v.size.gzip), kb(v.size.brotli), v.forAwait ? cell(v.forAwait) : '—', v.final ? cell(v.final) : '—', v.shipped ? 'shipped' : ''])), '',
    `Smallest: opt-level ${smallest.level} with wasm-opt ${smallest.flags} (${kb(smallest.size.gzip)} gzip). Fastest \`for await\`: opt-level ${fastest.level} with wasm-opt ${fastest.flags} (${fixed(fastest.forAwait.median)} MB/s, ${kb(fastest.size.gzip)} gzip). Shipped: ${kb(shipped.size.gzip)} gzip, ${fixed(shipped.forAwait.median)} MB/s.`, '');

  const c = r.console;
  push('## Console first load', '',
    `The release console served by the release sandbox (precompressed, brotli to Chromium), against ${c.floor ? 'a minimal Leptos CSR page (`bench/floor`) built in the same run' : 'no floor (not built in this run)'}. Ready = the page's heading rendered by the app, measured from navigation start.`, '',
    table(['page', 'first load gzip', 'brotli', 'transferred (Chromium)', 'first contentful paint, ms', 'ready, ms'], [
      ['console', kb(c.files.gzip), kb(c.files.brotli), cell({ median: c.console.transfer.median / 1000, min: c.console.transfer.min / 1000, max: c.console.transfer.max / 1000 }) + ' KB', cell(c.console.fcp, 0), cell(c.console.ready, 0)],
      ...(c.floor ? [['floor', kb(c.floorFiles.gzip), kb(c.floorFiles.brotli), cell({ median: c.floor.transfer.median / 1000, min: c.floor.transfer.min / 1000, max: c.floor.transfer.max / 1000 }) + ' KB', cell(c.floor.fcp, 0), cell(c.floor.ready, 0)]] : []),
    ]), '');
  push(table(['target', 'measured', ''], [
    ['first load ≤ 250 KB gzip', kb(c.files.gzip), verdict(c.files.gzip <= 250_000)],
    ...(c.floor ? [['ready ≤ 2× the floor', fixed(c.console.ready.median / c.floor.ready.median, 2) + '×', verdict(c.console.ready.median <= 2 * c.floor.ready.median)]] : []),
  ]), '');

  const lat = r.chatLatency;
  push('## Console chat: token → DOM latency', '',
    `The release console's chat page streams a reply of ${lat.tokens} numbered tokens sent at ${lat.rate} tokens/s, each in its own write (\`bench/chat-server.mjs\`). Inside the page: from the moment the bytes carrying a token leave the response body to the moment the reply on screen shows it (a MutationObserver), and to the next animation frame. Per round the percentile over every token; cells are the median of the rounds with min–max. Long tasks from the Long Tasks API, between the send and the last token.`, '',
    table(['', 'p50 ms', 'p95 ms', 'max ms'], [
      ['token → DOM', cell(lat.dom.p50, 2), cell(lat.dom.p95, 2), cell(lat.dom.max, 1)],
      ['token → next frame', cell(lat.frame.p50, 2), cell(lat.frame.p95, 2), '—'],
    ]), '',
    `Tokens received per second: ${cell(lat.received, 0)}. Long tasks during the stream: ${cell(lat.longTasks, 0)}; the longest ${cell(lat.longestTask, 0)} ms.`, '',
    table(['target', 'measured', ''], [
      ['token → DOM p95 ≤ 16 ms (one frame is 16.7 ms)', `${fixed(lat.dom.p95.median, 2)} ms`, verdict(lat.dom.p95.median <= 16)],
      ['no long task > 50 ms', `${fixed(lat.longTasks.median, 0)} (longest ${fixed(lat.longestTask.median, 0)} ms)`, verdict(lat.longTasks.max === 0)],
    ]), '');

  const mem = r.chatMemory;
  const mb = (v) => (v === null || v === undefined ? '—' : `${(v / 1e6).toFixed(1)} MB`);
  push('## Console chat: a long conversation in memory', '',
    `The chat page opens a saved conversation (as after a reload) of ${MEMORY_STEPS.join(', ')} turns, user and assistant alternating, ${fixed(mem.textPerMessage, 0)} bytes of text per turn on average, assistant turns with Markdown. After every turn is on screen and two forced collections, the page's memory through the DevTools protocol: V8's heap (JS), Blink's heap (DOM nodes, their styles and layout), ArrayBuffer backing stores, and the size of the console's wasm linear memory (which grows and is never given back, so it counts the peak).`, '',
    table(['turns', 'total', 'JS heap', 'DOM heap', 'buffers', 'wasm memory', 'DOM nodes', 'on screen after, ms'], mem.steps.map((x) => [
      String(x.messages), mb(x.total.median), mb(x.js.median), mb(x.dom.median), mb(x.buffers.median), mb(x.wasm.median), fixed(x.nodes.median, 0), cell(x.renderMs, 0)])), '',
    `Growth per turn (least squares over the medians, R² ${fixed(mem.r2, 4)}): ${kb(mem.perMessage.total)} in all — JS ${kb(mem.perMessage.js)}, DOM ${kb(mem.perMessage.dom)}, buffers ${kb(mem.perMessage.buffers)}, wasm ${kb(mem.perMessage.wasm)}, ${fixed(mem.perMessage.nodes, 1)} DOM nodes — of which ${fixed(mem.textPerMessage, 0)} bytes are the turn's text.`, '',
    table(['target', 'measured', ''], [
      ['heap growth linear in the turns (R² ≥ 0.99)', fixed(mem.r2, 4), verdict(mem.r2 >= 0.99)],
      ['< 2 KB per turn beyond its text', kb(mem.perMessage.total - mem.textPerMessage), verdict(mem.perMessage.total - mem.textPerMessage < 2000)],
    ]), '');

  const l = r.sandbox;
  push('## Sandbox', '',
    `The release sandbox on loopback, ${l.connections} keep-alive connections for ${l.seconds} s per request kind; streams: ${l.streams} concurrent chat completions at a time (\`sandbox-echo\`, no token delay).`, '',
    table(['request', 'requests/s', 'p50 ms', 'p99 ms'], l.rows.map((x) => [x.name, cell(x.rps, 0), cell(x.p50, 2), cell(x.p99, 2)])), '');

  if (r.profile) push('## Profile of the slowest figure', '', r.profile, '');
  writeFileSync(join(root, 'bench/RESULTS.md'), lines.join('\n'));
}

// ---- main -----------------------------------------------------------------------------------------
// KINLINK_BENCH_ONLY=chat-latency,chat-memory runs only those figures and writes bench/.work/partial.json
// (RESULTS.md is only ever written whole, from one run).
const FIGURES = {
  'size': async () => {
    results.size = await measureSizes(work);
    results.breakdown = ['openai', 'all'].map((entry) => ({ entry: entry === 'all' ? 'kinlink' : `kinlink/${entry}`, ...breakdown(join(process.env.KINLINK_BENCH_BUILD, `${entry}.raw.wasm`)) }));
  },
  'stream': async () => { results.stream = await streamFigure(); },
  'build': async () => { results.build = await buildFigure(); },
  'console': async () => { results.console = await consoleFigure(); },
  'chat-latency': async () => { results.chatLatency = await chatLatencyFigure(); },
  'chat-memory': async () => { results.chatMemory = await chatMemoryFigure(); },
  'sandbox': async () => { results.sandbox = await sandboxLoad({ bin: process.env.KINLINK_BENCH_SANDBOX, rounds: ROUNDS, log }); },
  'profile': async () => { results.profile = await profileStream(); },
};
if (process.env.KINLINK_BENCH_REWRITE) {
  writeResults(JSON.parse(readFileSync(join(root, 'bench/results.json'), 'utf8')));
  log('wrote bench/RESULTS.md from bench/results.json');
  process.exit(0);
}
const only = process.env.KINLINK_BENCH_ONLY?.split(',').filter(Boolean);
for (const name of only ?? Object.keys(FIGURES)) {
  if (!FIGURES[name]) throw new Error(`no figure ${name}; figures: ${Object.keys(FIGURES).join(', ')}`);
  log(name);
  await FIGURES[name]();
}
if (only) {
  writeFileSync(join(work, 'partial.json'), `${JSON.stringify(results, null, 2)}\n`);
  log('wrote bench/.work/partial.json');
} else {
  writeFileSync(join(root, 'bench/results.json'), `${JSON.stringify(results, null, 2)}\n`);
  writeResults(results);
  log('wrote bench/RESULTS.md and bench/results.json');
}
