// Bad input, seeded: mutated blobs and sources must end in a result or a clear, positioned error —
// never an exception from inside the toolkit, a stack overflow or a hang. The seed is printed; set
// XENARM_FUZZ_SEED to replay one, XENARM_FUZZ_ROUNDS to run longer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileDts, dtbToTree, treeToDtb, treeToDts, DtbError } from '../../src/devicetree/index';

const dir = join(import.meta.dirname, 'fixtures');
const seed = Number(process.env.XENARM_FUZZ_SEED ?? 0x5eed1234);
const rounds = Number(process.env.XENARM_FUZZ_ROUNDS ?? 1);

function rng(s: number): () => number {
  let x = s >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x100000000;
  };
}

const readFile = (p: string): Uint8Array | undefined => {
  try {
    return new Uint8Array(readFileSync(join(dir, p.replace(/^\.\//, ''))));
  } catch {
    return undefined;
  }
};

const sources = readdirSync(dir).filter((f) => f.endsWith('.dts') && !f.startsWith('error-')).sort().map((f) => ({ f, text: readFileSync(join(dir, f), 'latin1') }));

function blobs(): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const { f, text } of sources) {
    const r = compileDts(text, { file: f, readFile, symbols: true });
    assert.ok(r.tree, `${f} compiles`);
    out.push(treeToDtb(r.tree));
  }
  return out;
}

test(`fuzz: mutated DTBs give a tree or a DtbError with an offset (seed ${seed})`, { timeout: 300_000 }, () => {
  const rand = rng(seed);
  const pick = <T>(a: T[]): T => a[Math.floor(rand() * a.length)]!;
  const base = blobs();
  let ok = 0;
  let rejected = 0;
  for (let i = 0; i < 3000 * rounds; i++) {
    const b = Uint8Array.from(pick(base));
    const v = new DataView(b.buffer);
    const kind = Math.floor(rand() * 7);
    let m: Uint8Array = b;
    if (kind === 0) for (let k = 0; k < 1 + rand() * 8; k++) b[Math.floor(rand() * b.length)] = Math.floor(rand() * 256);
    else if (kind === 1) m = b.subarray(0, Math.floor(rand() * b.length));
    else if (kind === 2) v.setUint32(4 * Math.floor(rand() * 10), rand() < 0.5 ? Math.floor(rand() * 0x100000000) : Math.floor(rand() * b.length * 2));
    else if (kind === 3) {
      // A random structure token (BEGIN_NODE, END_NODE, PROP, NOP, END, junk) at an aligned struct offset.
      const off = v.getUint32(8) + 4 * Math.floor(rand() * ((v.getUint32(12) - v.getUint32(8)) / 4));
      if (off + 4 <= b.length) v.setUint32(off, pick([1, 2, 3, 4, 9, 0x12345678, 0]));
    } else if (kind === 4) {
      // Property lengths and name offsets out of range.
      const off = v.getUint32(8) + 4 * Math.floor(rand() * ((v.getUint32(12) - v.getUint32(8)) / 4));
      if (off + 12 <= b.length && v.getUint32(off) === 3) v.setUint32(off + 4 + 4 * Math.floor(rand() * 2), pick([0xffffffff, 0x7fffffff, b.length, 0x80000000]));
    } else if (kind === 5) {
      // NOPs inserted between tokens are legal.
      const off = v.getUint32(8) + 4 + 4 * Math.floor(rand() * ((v.getUint32(12) - v.getUint32(8) - 8) / 4));
      const grown = new Uint8Array(b.length + 4);
      grown.set(b.subarray(0, off));
      new DataView(grown.buffer).setUint32(off, 4);
      grown.set(b.subarray(off), off + 4);
      const gv = new DataView(grown.buffer);
      gv.setUint32(4, grown.length);
      gv.setUint32(12, gv.getUint32(12) + 4);
      gv.setUint32(36, gv.getUint32(36) + 4);
      m = grown;
    } else {
      // Deep nesting: many BEGIN_NODEs.
      const n = 200 + Math.floor(rand() * 3000);
      const s = new Uint8Array(40 + 16 + n * 8 + 4 + 1);
      const sv = new DataView(s.buffer);
      sv.setUint32(0, 0xd00dfeed);
      sv.setUint32(4, s.length);
      sv.setUint32(8, 56);
      sv.setUint32(12, s.length - 1);
      sv.setUint32(16, 40);
      sv.setUint32(20, 17);
      sv.setUint32(24, 16);
      sv.setUint32(32, 1);
      sv.setUint32(36, n * 8 + 4);
      for (let k = 0; k < n; k++) {
        sv.setUint32(56 + k * 8, 1);
        s[56 + k * 8 + 4] = 0x61;
      }
      m = s;
    }
    try {
      const tree = dtbToTree(m);
      treeToDts(tree);
      treeToDtb(tree);
      ok++;
    } catch (e) {
      if (!(e instanceof DtbError)) throw new Error(`mutation ${i} (kind ${kind}): unexpected ${(e as Error).stack}`);
      assert.ok(e.message.length > 0 && Number.isInteger(e.offset) && e.offset >= 0 && e.offset <= m.length, `mutation ${i}: error without a valid offset: ${e.message} @${e.offset}`);
      rejected++;
    }
  }
  assert.ok(ok > 0 && rejected > 0, `both outcomes occur (${ok} accepted, ${rejected} rejected)`);
});

const TOKENS = ['{', '}', ';', '=', '<', '>', '[', ']', '"', "'", '&', '&{/', '/', '(', ')', ',', ':', 'lbl:', '&lbl', '&missing', '/delete-node/', '/delete-property/', '/omit-if-no-ref/', '/bits/ 7 <', '/bits/ 64 <', '(1/0)', '(~0)', '0x', '0xffffffffffffffffff', '"\\x"', "'ab'", "''", '/include/ "nope.dtsi"', '/incbin/("nope")', '/memreserve/', '/plugin/;', '/dts-v1/;', '#line 5 "x"\n', '\n', 'node@1 { };', '\\', '\0', '\xff', '{'.repeat(40), '('.repeat(50)];

test(`fuzz: mutated DTS sources give a tree or positioned errors (seed ${seed})`, { timeout: 300_000 }, () => {
  const rand = rng(seed ^ 0xa5a5a5a5);
  const pick = <T>(a: T[]): T => a[Math.floor(rand() * a.length)]!;
  let trees = 0;
  let failures = 0;
  for (let i = 0; i < 600 * rounds; i++) {
    const { f, text } = pick(sources);
    let s = text;
    const edits = 1 + Math.floor(rand() * 4);
    for (let k = 0; k < edits; k++) {
      const at = Math.floor(rand() * s.length);
      const kind = Math.floor(rand() * 4);
      if (kind === 0) s = s.slice(0, at) + s.slice(at + 1 + Math.floor(rand() * 20));
      else if (kind === 1) s = s.slice(0, at) + pick(TOKENS) + s.slice(at);
      else if (kind === 2) s = s.slice(0, at) + s.slice(Math.floor(rand() * s.length)).slice(0, 200) + s.slice(at);
      else s = s.slice(0, at) + String.fromCharCode(Math.floor(rand() * 256)) + s.slice(at + 1);
    }
    if (rand() < 0.02) s = '/dts-v1/; / {' + 'a{'.repeat(3000) + '};'.repeat(3000) + '};';
    const r = compileDts(s, { file: f, readFile, symbols: rand() < 0.3 });
    const internal = r.diagnostics.find((d) => d.message.startsWith('internal error'));
    assert.equal(internal, undefined, `mutation ${i} of ${f}: ${internal?.message}\n--- source\n${s}`);
    if (r.tree && !r.diagnostics.some((d) => d.severity === 'error')) {
      trees++;
      treeToDts(r.tree);
      treeToDtb(r.tree);
    } else {
      failures++;
      const errors = r.diagnostics.filter((d) => d.severity === 'error');
      assert.ok(errors.length > 0, `mutation ${i} of ${f}: no tree and no error`);
      // dtc's closing verdict ("FATAL ERROR: Unable to parse input tree") follows positioned errors.
      assert.ok(errors.some((d) => d.pos), `mutation ${i} of ${f}: no positioned error: ${errors.map((d) => d.message).join(' | ')}\n--- source\n${s}`);
      for (const d of errors) assert.ok(d.pos || d.noPosName || d.prefix === 'FATAL ERROR', `mutation ${i} of ${f}: error without a position: ${d.prefix ?? d.check}: ${d.message}\n--- source\n${s}`);
    }
  }
  assert.ok(trees > 0 && failures > 0, `both outcomes occur (${trees} trees, ${failures} rejected)`);
});
