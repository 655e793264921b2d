// Serving a folder's files to the bench's Chromium pages (the package's web build, the release console),
// confined to that folder.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';

const TYPES = {
  '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html',
  '.css': 'text/css', '.svg': 'image/svg+xml', '.json': 'application/json', '.ico': 'image/x-icon',
  '.webmanifest': 'application/manifest+json',
};

/** Answers with `dir`'s file at `urlPath` (query ignored) and returns true, or returns false when there is none. */
export function serveFile(res, dir, urlPath) {
  const path = normalize(join(dir, urlPath.split('?')[0]));
  if (!path.startsWith(dir) || !existsSync(path) || !statSync(path).isFile()) return false;
  res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' });
  res.end(readFileSync(path));
  return true;
}
