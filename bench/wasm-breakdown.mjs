// What a wasm is made of: code bytes per crate (from the function names rustc leaves in the `name`
// section of the wasm before wasm-opt strips it), plus data and everything else.
//   node bench/wasm-breakdown.mjs FILE.wasm   → prints the table
import { readFileSync } from 'node:fs';

function reader(bytes) {
  let at = 0;
  const r = {
    get at() { return at; },
    set at(v) { at = v; },
    byte: () => bytes[at++],
    u32() {
      let result = 0, shift = 0, b;
      do { b = bytes[at++]; result += (b & 0x7f) * 2 ** shift; shift += 7; } while (b & 0x80);
      return result;
    },
    name() { const len = r.u32(); const s = Buffer.from(bytes.subarray(at, at + len)).toString('utf8'); at += len; return s; },
    limits() { const flags = r.byte(); r.u32(); if (flags & 1) r.u32(); },
  };
  return r;
}

/**
 * The crate a function belongs to, from its name as the linker leaves it: demangled paths such as
 * `serde_json::de::from_str` or `<kinlink::openai::Role as serde::Deserialize>::deserialize` (a trait
 * impl counts for the implementing type's crate), v0-mangled `_R...` or legacy-mangled `_ZN...` symbols.
 */
export function crateOf(symbol) {
  if (symbol.startsWith('__wbg') || symbol.startsWith('__wbindgen') || symbol.startsWith('__externref')) return 'wasm-bindgen glue';
  // v0 mangling (`_R...`): the first crate root (`C`, a disambiguator, the length-prefixed name) is the
  // crate of the item, or of the implementing type for a trait impl.
  if (symbol.startsWith('_R')) {
    const root = symbol.match(/C(?:s[0-9A-Za-z]*_)?(\d+)_?([A-Za-z_][A-Za-z0-9_]*)/);
    if (root) return root[2].slice(0, Number(root[1]));
  }
  const mangled = symbol.match(/^_ZN(\d+)/);
  if (mangled) symbol = symbol.slice(3 + mangled[1].length, 3 + mangled[1].length + Number(mangled[1])).replace(/^_?\$LT\$/, '<').replaceAll('..', '::');
  const path = symbol.replace(/^<+(?:&|\*const |\*mut |mut |dyn |\[|\(|\$RF\$|\$u5b\$)*/, '');
  const crate = path.match(/^([A-Za-z_][A-Za-z0-9_]*)::/);
  return crate ? crate[1] : 'other (C, intrinsics, unnamed)';
}

export function breakdown(file) {
  const bytes = readFileSync(file);
  const r = reader(bytes);
  r.at = 8;
  let imported = 0;
  const bodies = [];
  const names = new Map();
  const sections = {};
  while (r.at < bytes.length) {
    const id = r.byte();
    const size = r.u32();
    const start = r.at;
    const end = start + size;
    if (id === 2) {
      for (let n = r.u32(); n > 0; n--) {
        r.name(); r.name();
        const kind = r.byte();
        if (kind === 0) { r.u32(); imported += 1; } else if (kind === 1) { r.byte(); r.limits(); } else if (kind === 2) r.limits(); else if (kind === 3) { r.byte(); r.byte(); } else r.u32();
      }
    } else if (id === 10) {
      for (let n = r.u32(), i = 0; i < n; i++) {
        const len = r.u32();
        bodies.push({ index: imported + i, size: len });
        r.at += len;
      }
    } else if (id === 0) {
      const name = r.name();
      if (name === 'name') {
        while (r.at < end) {
          const sub = r.byte();
          const subSize = r.u32();
          const subEnd = r.at + subSize;
          if (sub === 1) for (let n = r.u32(); n > 0; n--) { const index = r.u32(); names.set(index, r.name()); }
          r.at = subEnd;
        }
      }
      sections[`custom:${name}`] = (sections[`custom:${name}`] ?? 0) + size;
    }
    if (id !== 0) sections[id] = (sections[id] ?? 0) + size;
    r.at = end;
  }
  const crates = new Map();
  for (const body of bodies) {
    const crate = crateOf(names.get(body.index) ?? '');
    crates.set(crate, (crates.get(crate) ?? 0) + body.size);
  }
  return {
    total: bytes.length,
    code: sections[10] ?? 0,
    data: sections[11] ?? 0,
    named: names.size > 0,
    crates: [...crates.entries()].sort((a, b) => b[1] - a[1]),
  };
}

if (process.argv[1] === import.meta.filename) {
  const result = breakdown(process.argv[2]);
  console.log(`total ${result.total} B, code ${result.code} B, data ${result.data} B`);
  for (const [crate, size] of result.crates.slice(0, 25)) console.log(`${String(size).padStart(9)}  ${(100 * size / result.code).toFixed(1).padStart(5)} %  ${crate}`);
}
