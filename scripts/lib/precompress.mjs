// Precompresses the console's build for the sandbox to serve (`file.br`, `file.gz` beside each file):
// brotli at its highest quality and gzip -9, once at build time instead of on every request.
// Trunk runs it as a post-build hook on its staging directory; it also takes a directory argument.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, extname } from 'node:path';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';

const dir = process.argv[2] ?? process.env.TRUNK_STAGING_DIR;
if (!dir) {
  console.error('precompress: give a directory, or run as a Trunk hook (TRUNK_STAGING_DIR)');
  process.exit(2);
}
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.wasm', '.svg', '.json', '.txt', '.map']);

let saved = 0;
for (const name of readdirSync(dir)) {
  const path = join(dir, name);
  if (name.startsWith('.') || !COMPRESSIBLE.has(extname(name)) || !statSync(path).isFile()) continue;
  const bytes = readFileSync(path);
  const text = extname(name) !== '.wasm';
  const variants = {
    br: brotliCompressSync(bytes, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_MODE]: text ? constants.BROTLI_MODE_TEXT : constants.BROTLI_MODE_GENERIC,
        [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
      },
    }),
    gz: gzipSync(bytes, { level: 9 }),
  };
  for (const [suffix, encoded] of Object.entries(variants)) {
    // A coding that does not shrink the file is not worth a header.
    if (encoded.length < bytes.length) {
      writeFileSync(`${path}.${suffix}`, encoded);
      if (suffix === 'br') saved += bytes.length - encoded.length;
    }
  }
}
console.log(`precompress: ${dir}: brotli saves ${(saved / 1024).toFixed(0)} KiB`);
