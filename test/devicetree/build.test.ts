// Trees built in code (the hypervisor's generated guest tree) print as DTS that dtc compiles to the
// same blob treeToDtb writes, and dtc's decompilation of that blob equals ours.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { requireTools } from '../support/tools';
import { addNode, addReserve, newTree, setBytes, setCells, setEmpty, setPhandle, setString, setStrings, setU32Cells, setU64Cells, BuildError } from '../../src/devicetree/build';
import { dtbToTree, restoreLabelsFromSymbols, treeToDtb, treeToDts } from '../../src/devicetree/index';

function guestTree() {
  const t = newTree();
  const root = t.root;
  setString(root, 'compatible', 'xen,xenvm-4.17');
  setU32Cells(root, '#address-cells', 2);
  setU32Cells(root, '#size-cells', 2);
  addReserve(t, 0x48000000n, 0x100000n);
  const gic = addNode(root, 'interrupt-controller@8000000');
  setString(gic, 'compatible', 'arm,cortex-a15-gic');
  setCells(gic, 'reg', [0x8000000, 2], [0x10000, 2], [0x8010000, 2], [0x10000, 2]);
  setEmpty(gic, 'interrupt-controller');
  setU32Cells(gic, '#interrupt-cells', 3);
  const ph = setPhandle(t, gic);
  setU32Cells(root, 'interrupt-parent', ph);
  const hv = addNode(root, 'hypervisor');
  setStrings(hv, 'compatible', 'xen,xen-4.17', 'xen,xen');
  setCells(hv, 'reg', [0x38000000n, 2], [0x1000000n, 2]);
  setU32Cells(hv, 'interrupts', 1, 15, 0xf08);
  const chosen = addNode(root, 'chosen');
  setString(chosen, 'bootargs', 'console=hvc0 earlycon=xen');
  setU64Cells(chosen, 'linux,initrd-start', 0x4a000000n);
  setBytes(chosen, 'rng-seed', new Uint8Array([1, 2, 0xff, 0x80]));
  const mem = addNode(root, 'memory@40000000');
  setString(mem, 'device_type', 'memory');
  setCells(mem, 'reg', [0x40000000, 2], [0x20000000, 2]);
  return t;
}

test('built trees compile with dtc to the same blob', (t) => {
  if (!requireTools(t, ['dtc'], 'device-tree-compiler')) return;
  const tree = guestTree();
  const dts = treeToDts(tree);
  const ref = spawnSync('dtc', ['-I', 'dts', '-O', 'dtb', '-q'], { input: Buffer.from(dts, 'latin1') });
  assert.equal(ref.status, 0, ref.stderr.toString());
  assert.ok(Buffer.from(treeToDtb(tree)).equals(ref.stdout), 'blob differs from dtc compiling our DTS');
  const back = spawnSync('dtc', ['-I', 'dtb', '-O', 'dts', '-q'], { input: ref.stdout });
  assert.equal(treeToDts(dtbToTree(ref.stdout)), back.stdout.toString('latin1'));
});

test('builders reject names dtc would reject and values that do not fit', () => {
  const t = newTree();
  assert.throws(() => addNode(t.root, 'bad name'), BuildError);
  assert.throws(() => setU32Cells(t.root, 'x', 0x100000000), BuildError);
  assert.throws(() => setEmpty(t.root, 'a=b'), BuildError);
  assert.equal(addNode(t.root, 'n@1'), addNode(t.root, 'n@1'));
});

test('labels restored from __symbols__ print as dtc 1.6.1 prints source labels', (t) => {
  if (!requireTools(t, ['dtc'], 'device-tree-compiler')) return;
  const src = '/dts-v1/;\n/ {\n\tl1: a { x = <1>; };\n\tb { l2: c { }; };\n};\n';
  const blob = spawnSync('dtc', ['-@', '-I', 'dts', '-O', 'dtb', '-q'], { input: src }).stdout;
  const tree = dtbToTree(blob);
  assert.deepEqual(restoreLabelsFromSymbols(tree), []);
  // dtc -I dts -O dts of the source with the same __symbols__ carries the same labels.
  const ref = spawnSync('dtc', ['-@', '-I', 'dts', '-O', 'dts', '-q'], { input: src }).stdout.toString('latin1');
  const ours = treeToDts(tree);
  assert.match(ours, /\tl1: a \{/);
  assert.match(ours, /\t\tl2: c \{/);
  assert.equal(ours.replace(/ = "[^"]*"/g, ''), ref.replace(/ = "[^"]*"/g, ''));
});
