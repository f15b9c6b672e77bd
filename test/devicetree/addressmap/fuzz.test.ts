// Broken trees never crash or hang the address map: seeded corruption of the fixture's property
// values (cell counts, ranges, reg, interrupt-map, phandles) must end in a map plus diagnostics.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { buildAddressMap } from '../../../src/devicetree/addressmap/index';
import { compileDts } from '../../../src/devicetree/index';
import type { Node } from '../../../src/devicetree/model';
import { xorshift32 } from '../../support/xorshift';

function rng(seed: number) {
  const next = xorshift32(seed);
  return () => next() / 0x100000000;
}

const SPECIAL = [0, 1, 2, 3, 0xffffffff, 0x7fffffff, 0x80000000, 64, 9];

test('address map fuzz: corrupted cells end in a map and diagnostics, never an exception', () => {
  const source = readFileSync(join(import.meta.dirname, 'fixture.dts'), 'utf8');
  const count = Number(process.env.XENARM_FUZZ_COUNT ?? 300);
  const seed = Number(process.env.XENARM_FUZZ_SEED ?? 3);
  const r = rng(seed);
  for (let i = 0; i < count; i++) {
    const tree = compileDts(source, { file: 'fixture.dts' }).tree!;
    const props: { node: Node; index: number }[] = [];
    const walk = (n: Node) => {
      n.properties.forEach((_, index) => props.push({ node: n, index }));
      n.children.forEach(walk);
    };
    walk(tree.root);
    for (let e = 0, edits = 1 + Math.floor(r() * 4); e < edits; e++) {
      const { node, index } = props[Math.floor(r() * props.length)];
      const p = node.properties[index];
      const b = new Uint8Array(p.value.bytes);
      const choice = r();
      let bytes: Uint8Array;
      if (choice < 0.4 && b.length >= 4) {
        const at = 4 * Math.floor(r() * Math.floor(b.length / 4));
        new DataView(b.buffer).setUint32(at, SPECIAL[Math.floor(r() * SPECIAL.length)]);
        bytes = b;
      } else if (choice < 0.7) bytes = b.slice(0, Math.floor(r() * (b.length + 1)));
      else bytes = Uint8Array.from([...b, ...Array.from({ length: 1 + Math.floor(r() * 9) }, () => Math.floor(r() * 256))]);
      node.properties[index] = { ...p, value: { bytes, markers: [] } };
    }
    try {
      const m = buildAddressMap(tree);
      assert.ok(Array.isArray(m.regions) && Array.isArray(m.interrupts));
    } catch (e) {
      assert.fail(`seed ${seed} mutant ${i} threw: ${(e as Error).stack}`);
    }
  }
});
