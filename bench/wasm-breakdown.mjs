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

/** The crate a (legacy-mangled) Rust symbol belongs to; trait impls count for the implementing type. */
export function crateOf(symbol) {
  const m = symbol.match(/^_ZN(\d+)/);
  if (!m) return symbol.startsWith('__wbg') || symbol.startsWith('__wbindgen') ? 'wasm-bindgen glue' : 'other (C, intrinsics, exports)';
  const first = symbol.slice(3 + m[1].length, 3 + m[1].length + Number(m[1]));
  const impl = first.match(/^_?\$LT\$(?:\$RF\$|\$BP\$|mut\$u20\$|\$u5b\$)*([A-Za-z_][A-Za-z0-9_]*)/);
  return impl ? impl[1] : first;
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
