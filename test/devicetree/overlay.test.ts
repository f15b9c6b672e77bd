// Overlays: /plugin/ sources compiled by xenarm (fixups and local fixups byte-identical to dtc, see
// dtc-fixtures) and applied to a base blob exactly as fdtoverlay (libfdt) does: the result equals
// fdtoverlay's byte for byte, except for the alignment padding after a shrunk or grown property value,
// where libfdt leaves stale bytes behind (we write zeros, as dtc does); both are zeroed before comparing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireTools } from '../support/tools';
import { applyOverlays, OverlayError } from '../../src/devicetree/overlay';
import { compileDts, treeToDtb, dtbToTree, treeToDts } from '../../src/devicetree/index';

const dir = join(import.meta.dirname, 'overlays');
const work = mkdtempSync(join(tmpdir(), 'xenarm-overlay-'));

/** Our compile of a fixture, with __symbols__ (base) or fixups (plugins). */
function ours(name: string): Uint8Array {
  const file = join(dir, name);
  const r = compileDts(readFileSync(file, 'latin1'), { file, symbols: true });
  assert.ok(r.tree, `${name}: ${r.diagnostics.map((d) => d.message).join('; ')}`);
  return treeToDtb(r.tree);
}

/** Zeroes the padding after node names and property values (libfdt may leave stale bytes there). */
function zeroPadding(blob: Uint8Array): Uint8Array {
  const b = Uint8Array.from(blob);
  const v = new DataView(b.buffer);
  let p = v.getUint32(8);
  const end = p + v.getUint32(36);
  const pad = (from: number): number => {
    const to = (from + 3) & ~3;
    b.fill(0, from, to);
    return to;
  };
  while (p < end) {
    const tag = v.getUint32(p);
    p += 4;
    if (tag === 1) p = pad(b.indexOf(0, p) + 1);
    else if (tag === 3) {
      const len = v.getUint32(p);
      p = pad(p + 8 + len);
    } else if (tag === 9) break;
  }
  return b;
}

test('overlays: xenarm compiles base and plugins as dtc does', (t) => {
  if (!requireTools(t, ['dtc'], 'device-tree-compiler')) return;
  for (const f of ['base.dts', 'ov1.dts', 'ov2.dts']) {
    const ref = spawnSync('dtc', ['-@', '-O', 'dtb', '-o', join(work, f + '.dtb'), join(dir, f)]);
    assert.equal(ref.status, 0, ref.stderr.toString());
    assert.ok(Buffer.from(ours(f)).equals(readFileSync(join(work, f + '.dtb'))), `${f}: our blob differs from dtc's`);
  }
});

for (const set of [['ov1.dts'], ['ov2.dts'], ['ov1.dts', 'ov2.dts']]) {
  test(`overlays: base + ${set.join(' + ')} as fdtoverlay applies them`, (t) => {
    if (!requireTools(t, ['fdtoverlay'], 'device-tree-compiler')) return;
    const base = ours('base.dts');
    const ovs = set.map(ours);
    const out = join(work, 'ref.dtb');
    const files = set.map((f, i) => {
      const p = join(work, `ov${i}.dtbo`);
      writeFileSync(p, ovs[i]!);
      return p;
    });
    writeFileSync(join(work, 'base.dtb'), base);
    const r = spawnSync('fdtoverlay', ['-i', join(work, 'base.dtb'), '-o', out, ...files]);
    if (set[0] === 'ov2.dts' && set.length === 1) {
      // ov2 targets a label only ov1 defines: libfdt fails, and so must we.
      assert.notEqual(r.status, 0);
      assert.throws(() => applyOverlays(base, ovs), OverlayError);
      return;
    }
    assert.equal(r.status, 0, r.stderr.toString());
    const mine = applyOverlays(base, ovs);
    const ref = new Uint8Array(readFileSync(out));
    assert.ok(Buffer.from(zeroPadding(mine)).equals(Buffer.from(zeroPadding(ref))), 'blob differs from fdtoverlay\'s');
    assert.equal(treeToDts(dtbToTree(mine)), treeToDts(dtbToTree(ref)));
  });
}
