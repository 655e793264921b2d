// The build-settings figure: how the release profile's opt-level and wasm-opt's flags trade the
// `kinlink/openai` wasm's size against its speed, so the shipped settings are the ones the figures chose.
// scripts/bench builds the entry's raw wasm once per opt-level (KINLINK_BENCH_VARIANTS holds
// `opt-<level>.raw.wasm`); each is bound by wasm-bindgen for Node, then optimised with each flag set.
// Size: every combination. Speed: the Node chat-stream consumers (`for await` and the Rust-in-wasm
// `finalCompletion()`) against a copy of the installed package whose Node wasm is the variant's.
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { sizes } from './size.mjs';
import { summary } from './stats.mjs';

const root = join(import.meta.dirname, '..');
/** What the package ships with: the release profile's opt-level (Cargo.toml) and scripts/package's wasm-opt flags. */
export const SHIPPED = {
  level: readFileSync(join(root, 'Cargo.toml'), 'utf8').match(/^\[profile\.release\][^[]*?^opt-level = "?(\w+)"?/m)[1],
  flags: readFileSync(join(root, 'scripts/package'), 'utf8').match(/^\s*wasm-opt (-O\w+) /m)[1],
};
const FLAGS = ['none', '-Oz', '-Os', '-O3'];
const TIMED_FLAGS = ['-Oz', '-O3'];

export async function buildVariantsFigure({ variantsDir, installed, work, rounds, log, runStream, streamBytes }) {
  const dir = join(work, 'variants');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const levels = readdirSync(variantsDir).map((f) => f.match(/^opt-(\w+)\.raw\.wasm$/)?.[1]).filter(Boolean).sort();
  const variants = [];
  for (const level of levels) {
    const bound = join(dir, `bindgen-${level}`);
    execFileSync('wasm-bindgen', ['--target', 'nodejs', '--out-dir', bound, '--out-name', 'kinlink', join(variantsDir, `opt-${level}.raw.wasm`)]);
    for (const flags of FLAGS) {
      const out = join(dir, `opt-${level}${flags === 'none' ? '' : flags}.wasm`);
      const started = Date.now();
      if (flags === 'none') copyFileSync(join(bound, 'kinlink_bg.wasm'), out);
      else execFileSync('wasm-opt', [flags, join(bound, 'kinlink_bg.wasm'), '-o', out]);
      const id = `opt-level ${level}, wasm-opt ${flags}`;
      variants.push({ id, level, flags, file: out, size: sizes(readFileSync(out)), optimiseMs: Date.now() - started, shipped: level === SHIPPED.level && flags === SHIPPED.flags });
      log(`  ${id}: ${(variants.at(-1).size.gzip / 1000).toFixed(1)} KB gzip`);
    }
  }
  // Speed, for the flags worth shipping: a package copy per variant, interleaved rounds.
  const timed = variants.filter((v) => TIMED_FLAGS.includes(v.flags));
  for (const v of timed) {
    const copy = join(dir, `package-${v.level}${v.flags}`);
    cpSync(installed, copy, { recursive: true, dereference: true });
    const target = join(copy, 'dist/openai/node/kinlink_bg.wasm');
    if (!existsSync(target)) throw new Error(`no Node wasm at ${target}`);
    copyFileSync(v.file, target);
    v.entry = pathToFileURL(join(copy, 'dist/openai/node/index.mjs')).href;
    v.samples = { 'kinlink-for-await': [], 'kinlink-wasm-final': [] };
  }
  const cases = timed.flatMap((v) => Object.keys(v.samples).map((impl) => ({ v, impl })));
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < cases.length; k++) {
      const { v, impl } = cases[(round + k) % cases.length];
      const r = await runStream(impl, v.entry);
      v.samples[impl].push(streamBytes / 1e3 / r.ms);
    }
    log(`  round ${round + 1}/${rounds} done`);
  }
  for (const v of timed) {
    v.forAwait = summary(v.samples['kinlink-for-await']);
    v.final = summary(v.samples['kinlink-wasm-final']);
    delete v.entry;
  }
  return { levels, flags: FLAGS, variants: variants.map(({ file, ...rest }) => rest) };
}
