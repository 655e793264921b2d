// Assembles the npm package from wasm-bindgen's output (see scripts/package):
//   node scripts/lib/package.mjs BUILD_DIR STAGE_DIR ENTRY...
// BUILD_DIR/<entry>/{nodejs,web}/ hold each entry's bindings. STAGE_DIR becomes the package:
//   dist/<entry>/node/kinlink.js      CommonJS, reads the wasm beside it (Node `require`)
//   dist/<entry>/node/index.mjs       ES module over the CommonJS one (Node `import`)
//   dist/<entry>/web/index.js         ES module instantiating the wasm with `fetch` (browsers, bundlers)
//   dist/<entry>/kinlink.d.ts, .d.mts declarations (the same text for both module systems)
// plus package.json with conditional exports, README.md (the README's TypeScript section) and licenses.
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
const [buildDir, stageDir, ...entries] = process.argv.slice(2).map((a, i) => (i < 2 ? resolve(a) : a));
if (!buildDir || !stageDir || entries.length === 0) {
  console.error('usage: node scripts/lib/package.mjs BUILD_DIR STAGE_DIR ENTRY...');
  process.exit(2);
}

const cargo = readFileSync(join(root, 'sdk/Cargo.toml'), 'utf8');
const field = (name) => cargo.match(new RegExp(`^${name} = "([^"]*)"`, 'm'))?.[1];
const version = field('version');

// The Node build's glue is CommonJS, but wasm-bindgen writes the JS snippets it `require`s (inline_js and
// the generated API objects) as ES modules, which only Node 20.19+ can require. Each snippet is a set of
// top-level `export` declarations with no imports, so it becomes CommonJS by dropping `export` and
// assigning the names to `module.exports`; anything else stops the build.
function snippetsToCommonJs(dir) {
  if (!existsSync(dir)) return;
  for (const item of readdirSync(dir, { recursive: true })) {
    const path = join(dir, item);
    if (!item.endsWith('.js') || !statSync(path).isFile()) continue;
    const names = [];
    const text = readFileSync(path, 'utf8').replace(/^export (async function|function|class|const|let) ([A-Za-z_$][\w$]*)/gm, (_, kind, name) => {
      names.push(name);
      return `${kind} ${name}`;
    });
    if (/^\s*(export|import)\b[\s{*]/m.test(text)) throw new Error(`${path}: a module form this packaging does not convert`);
    writeFileSync(path, `${text}\n${names.map((n) => `module.exports.${n} = ${n};`).join('\n')}\n`);
  }
}

// The names an entry exports, read from its CommonJS build (loading it instantiates the wasm once).
function exportedNames(nodeDir) {
  const module = createRequire(join(nodeDir, 'x.js'))('./kinlink.js');
  return Object.keys(module).filter((name) => !name.startsWith('__') && /^[A-Za-z_$][\w$]*$/.test(name)).sort();
}

// Each export is a binding of the wrapper's own (not a re-export), so a bundler honouring
// `sideEffects: false` keeps the wrapper, and its instantiation, whenever a name is used.
const bindings = (names, from) => names.map((name) => `export const ${name} = ${from}.${name};`).join('\n');

function nodeWrapper(names) {
  return `// Node's ES module entry: the CommonJS build, which reads the wasm beside it synchronously.
import { createRequire } from 'node:module';
const bindings = createRequire(import.meta.url)('./kinlink.js');
${bindings(names, 'bindings')}
`;
}

function webWrapper(names) {
  return `// The browser and bundler entry: fetches and instantiates the wasm beside this file once, on import.
import init, * as bindings from './kinlink.js';
await init({ module_or_path: new URL('./kinlink_bg.wasm', import.meta.url) });
${bindings(names, 'bindings')}
`;
}

// What a build folder of wasm-bindgen's holds that the package ships: the glue, the wasm, the snippets.
function copyBindings(from, to) {
  mkdirSync(to, { recursive: true });
  for (const item of ['kinlink.js', 'kinlink_bg.wasm', 'snippets']) {
    if (existsSync(join(from, item))) cpSync(join(from, item), join(to, item), { recursive: true });
  }
}

rmSync(stageDir, { recursive: true, force: true });
const exportsMap = {};
for (const entry of entries) {
  const from = join(buildDir, entry);
  const to = join(stageDir, 'dist', entry);
  copyBindings(join(from, 'nodejs'), join(to, 'node'));
  // The Node folder is CommonJS throughout, whatever package.json sits above it.
  writeFileSync(join(to, 'node', 'package.json'), '{ "type": "commonjs" }\n');
  snippetsToCommonJs(join(to, 'node', 'snippets'));
  const names = exportedNames(join(to, 'node'));
  writeFileSync(join(to, 'node', 'index.mjs'), nodeWrapper(names));
  // The web build is ES modules throughout (its glue and any snippets): mark the folder so.
  copyBindings(join(from, 'web'), join(to, 'web'));
  writeFileSync(join(to, 'web', 'index.js'), webWrapper(names));
  writeFileSync(join(to, 'web', 'package.json'), '{ "type": "module" }\n');
  // wasm-bindgen declares `[Symbol.dispose]()` on every class, which needs TypeScript's esnext.disposable
  // lib; left out so the declarations check under a plain ES2022 lib (the method is still there at run
  // time where the engine has `Symbol.dispose`; `free()` is the portable form).
  const declarations = readFileSync(join(from, 'nodejs', 'kinlink.d.ts'), 'utf8').replace(/^\s*\[Symbol\.dispose\]\(\): void;\n/gm, '');
  if (declarations.includes('Symbol.dispose')) throw new Error(`${entry}: Symbol.dispose left in the declarations`);
  writeFileSync(join(to, 'kinlink.d.ts'), declarations);
  writeFileSync(join(to, 'kinlink.d.mts'), declarations);
  const dist = `./dist/${entry}`;
  exportsMap[entry === 'all' ? '.' : `./${entry}`] = {
    node: {
      import: { types: `${dist}/kinlink.d.mts`, default: `${dist}/node/index.mjs` },
      require: { types: `${dist}/kinlink.d.ts`, default: `${dist}/node/kinlink.js` },
    },
    browser: { types: `${dist}/kinlink.d.mts`, default: `${dist}/web/index.js` },
    import: { types: `${dist}/kinlink.d.mts`, default: `${dist}/web/index.js` },
    require: { types: `${dist}/kinlink.d.ts`, default: `${dist}/node/kinlink.js` },
    default: { types: `${dist}/kinlink.d.mts`, default: `${dist}/web/index.js` },
  };
}
exportsMap['./package.json'] = './package.json';

const main = entries.includes('all') ? 'all' : entries[0];
const manifest = {
  name: 'kinlink',
  version,
  description: field('description'),
  license: field('license'),
  repository: field('repository'),
  keywords: ['kino', 'kinbot', 'openai', 'sse', 'wasm', 'client'],
  engines: { node: '>=20' },
  main: `./dist/${main}/node/kinlink.js`,
  types: `./dist/${main}/kinlink.d.ts`,
  exports: exportsMap,
  sideEffects: false,
  files: ['dist', 'README.md', 'LICENSE-MIT', 'LICENSE-APACHE'],
};
writeFileSync(join(stageDir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);

// README: the project README's TypeScript section, which the package tests run as written.
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const section = readme.match(/^### TypeScript \/ JavaScript[^\n]*\n[\s\S]*?(?=^### )/m)?.[0];
if (!section) throw new Error('README.md has no "### TypeScript / JavaScript" section');
writeFileSync(join(stageDir, 'README.md'),
  `# kinlink\n\n${field('description')}.\n\n${section.replace(/^### /, '## ').trimEnd()}\n`);
for (const license of ['LICENSE-MIT', 'LICENSE-APACHE']) cpSync(join(root, license), join(stageDir, license));
console.log(`[package] staged kinlink ${version}: ${entries.join(', ')}`);
