// The npm package as users get it: the tarball scripts/package built, installed with npm into fresh
// consumer projects in a temp dir (removed when the test process exits).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');

/** The tarball under test: `KINLINK_PACKAGE_TARBALL`, else the one in target/package/. */
export function packageTarball() {
  if (process.env.KINLINK_PACKAGE_TARBALL) return resolve(process.env.KINLINK_PACKAGE_TARBALL);
  const dir = join(root, 'target/package');
  const found = existsSync(dir) ? readdirSync(dir).filter((f) => /^kinlink-.*\.tgz$/.test(f)) : [];
  if (found.length !== 1) throw new Error(`expected one kinlink-*.tgz in ${dir} (run scripts/package), found ${found.length}`);
  return join(dir, found[0]);
}

const made = [];
process.on('exit', () => { for (const dir of made) rmSync(dir, { recursive: true, force: true }); });

/**
 * A new project in a temp dir with `files` ({ name: text }) and the tarball installed by npm.
 * `manifest` adds to its package.json (`type`, `dependencies`...).
 */
export function consumerProject(name, { files = {}, manifest = {} } = {}) {
  const dir = mkdtempSync(join(tmpdir(), `kinlink-consumer-${name}-`));
  made.push(dir);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `consumer-${name}`, private: true, ...manifest }, null, 2));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', packageTarball()],
    { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
  return dir;
}

let installed = null;

/** Where the package sits in a project of its own, installed once per test process. */
export function installedPackageDir() {
  installed ??= consumerProject('require');
  return join(installed, 'node_modules/kinlink');
}

/** The package (or one of its entries), loaded by `require` from that project. */
export function installedPackage(entry = 'kinlink') {
  installedPackageDir();
  return createRequire(join(installed, 'package.json'))(entry);
}

/** The README's consumer programs: every fenced block whose info string names a `file=`. */
export function readmePrograms() {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const programs = {};
  for (const match of readme.matchAll(/^```\w+ file=(\S+)\n([\s\S]*?)^```$/gm)) programs[match[1]] = match[2];
  return programs;
}
