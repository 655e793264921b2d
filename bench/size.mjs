// The package-size figure: an esbuild bundle of the same one-streaming-call browser app written against
// each client, with the wasm it fetches counted for Kinlink. Sizes raw, gzip -9 and brotli (quality 11).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const root = resolve(import.meta.dirname, '..');
const esbuild = createRequire(join(root, 'package.json'))('esbuild');

const request = "{ model: 'gpt-x', messages: [{ role: 'user', content: 'Hello' }], stream: true }";
const kinlinkApp = (entry) => `import { KinlinkClient } from '${entry}';
const client = new KinlinkClient(location.origin, 'key');
for await (const chunk of await client.chat.completions.create(${request})) {
  document.body.append(chunk.choices[0]?.delta?.content ?? '');
}
`;
const openaiApp = (module) => `import OpenAI from '${module}';
const client = new OpenAI({ baseURL: location.origin + '/v1', apiKey: 'key', dangerouslyAllowBrowser: true });
for await (const chunk of await client.chat.completions.create(${request})) {
  document.body.append(chunk.choices[0]?.delta?.content ?? '');
}
`;

export const APPS = [
  { name: 'kinlink/openai', source: kinlinkApp('kinlink/openai'), wasm: 'dist/openai/web/kinlink_bg.wasm' },
  { name: 'kinlink (all APIs)', source: kinlinkApp('kinlink'), wasm: 'dist/all/web/kinlink_bg.wasm' },
  { name: 'openai 6 (openai-v6)', source: openaiApp('openai-v6') },
  { name: 'openai (newest)', source: openaiApp('openai') },
];

export function sizes(bytes) {
  return {
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

const add = (a, b) => ({ raw: a.raw + b.raw, gzip: a.gzip + b.gzip, brotli: a.brotli + b.brotli });

export async function measureSizes(workDir) {
  const dir = join(workDir, 'size');
  mkdirSync(dir, { recursive: true });
  const results = [];
  for (const [i, app] of APPS.entries()) {
    const entry = join(dir, `app${i}.js`);
    writeFileSync(entry, app.source);
    const out = await esbuild.build({
      entryPoints: [entry], bundle: true, minify: true, format: 'esm', platform: 'browser', target: 'es2022',
      write: false, logLevel: 'silent', nodePaths: [join(root, 'bench/node_modules')],
    });
    const js = sizes(Buffer.from(out.outputFiles[0].contents));
    const wasm = app.wasm ? sizes(readFileSync(join(root, 'bench/node_modules/kinlink', app.wasm))) : null;
    results.push({ name: app.name, js, wasm, total: wasm ? add(js, wasm) : js, esbuild: esbuild.version });
  }
  return results;
}
