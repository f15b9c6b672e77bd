// The address map against (1) a fixture whose every address and interrupt is worked out by hand from
// the Devicetree Specification (fixture.dts comments), with the raw cells cross-checked by fdtget on
// dtc's own blob of the same source; (2) the tree QEMU's `virt` board generates, whose layout is
// QEMU's documented memory map and whose PCI interrupt-map is QEMU's INTx swizzle.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { buildAddressMap, regionName, type AddressMap } from '../../../src/devicetree/addressmap/index';
import { compileDts, dtbToTree, getChild } from '../../../src/devicetree/index';
import { addNode, setU32Cells } from '../../../src/devicetree/build';
import type { DeviceTree } from '../../../src/devicetree/model';
import { requireTools } from '../../support/tools';

const fixturePath = join(import.meta.dirname, 'fixture.dts');
const scratch = mkdtempSync(join(tmpdir(), 'xenarm-am-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

function fixtureTree(): DeviceTree {
  const r = compileDts(readFileSync(fixturePath, 'utf8'), { file: fixturePath });
  assert.ok(r.tree, r.diagnostics.map((d) => d.message).join('\n'));
  return r.tree;
}

const hex = (v: bigint | undefined) => (v === undefined ? '-' : '0x' + v.toString(16));
const table = (m: AddressMap) => m.regions.map((r) => `${regionName(r)} ${hex(r.cpuAddress)} ${hex(r.size)}`);

test('fixture: every reg translated through ranges as worked out by hand, sorted by CPU address', () => {
  const m = buildAddressMap(fixtureTree());
  assert.deepEqual(table(m), [
    '/pcie@40000000/ethernet@1,0#1 0x10001000 0x1000',
    '/soc@100000000/uart@20001000 0x20001000 0x100',
    '/interrupt-controller@2c001000 0x2c001000 0x1000',
    '/interrupt-controller@2c001000#1 0x2c002000 0x2000',
    '/pcie@40000000 0x40000000 0x1000000',
    '/memory@80000000 0x80000000 0x40000000',
    '/soc@100000000/uart@1000 0x100001000 0x100',
    '/soc@100000000/i2c@3000 0x100003000 0x100',
    '/soc@100000000/bridge@8000000/timer@400 0x108000400 0x20',
    '/soc@100000000/bridge@8000000/overlap@410 0x108000410 0x10',
    '/soc@100000000/bridge@8000000/big@f0000 0x1080f0000 0x20000',
    '/soc@100000000/hidden/dev@0 - 0x4',
    '/soc@100000000/gap@30000000 - 0x10',
    '/soc@100000000/i2c@3000/eeprom@50 - 0x0',
    '/pcie@40000000/ethernet@1,0 - 0x0',
  ]);
  const timer = m.regions.find((r) => r.path.endsWith('timer@400'))!;
  assert.deepEqual(timer.overlapsWith, ['/soc@100000000/bridge@8000000/overlap@410']);
  // dma-ranges parent addresses go up through the ancestors' dma-ranges (spec 2.3.9), not ranges.
  assert.deepEqual(m.dma.map((d) => [d.path, hex(d.childAddress), hex(d.parentAddress), hex(d.cpuAddress), hex(d.size)]), [
    ['/soc@100000000', '0x0', '0x80000000', '0x80000000', '0x40000000'],
    ['/soc@100000000/bridge@8000000', '0x0', '0x0', '0x80000000', '0x100000'],
  ]);
});

test('fixture: problems are reported once, positioned at the property', () => {
  const m = buildAddressMap(fixtureTree());
  const msgs = m.diagnostics.map((d) => `${d.severity} ${d.pos?.line}: ${d.message}`);
  assert.deepEqual(msgs, [
    'warning 67: /soc@100000000/bridge@8000000/big@f0000: reg entry 0 (size 0x20000) extends past the end of /soc@100000000/bridge@8000000\'s ranges entry 0 (which maps 0x0..0xfffff)',
    'warning 72: /soc@100000000/hidden has no "ranges" property, so addresses on its bus are not visible to the CPU',
    'warning 83: /soc@100000000/gap@30000000: address 0x30000000 is not covered by any entry of /soc@100000000\'s "ranges"',
    'warning 62: /soc@100000000/bridge@8000000/overlap@410 (0x108000410..0x10800041f) overlaps /soc@100000000/bridge@8000000/timer@400 (0x108000400..0x10800041f)',
  ]);
});

test('fixture: interrupts resolved through interrupt-parent, interrupts-extended and interrupt-map masks', () => {
  const m = buildAddressMap(fixtureTree());
  const routes = m.interrupts.map((i) => `${i.path}[${i.index}] -> ${i.controllerPath} <${i.specifier.join(' ')}>${i.via.length ? ' via ' + i.via.join(',') : ''}`);
  assert.deepEqual(routes, [
    '/soc@100000000/uart@1000[0] -> /interrupt-controller@2c001000 <0 5 4>',
    '/soc@100000000/bridge@8000000/timer@400[0] -> /interrupt-controller@2c001000 <0 7 4>',
    '/soc@100000000/bridge@8000000/timer@400[1] -> /interrupt-controller@2c001000 <0 12 1> via /nexus',
    '/pcie@40000000/ethernet@1,0[0] -> /interrupt-controller@2c001000 <0 5 4> via /pcie@40000000',
  ]);
});

test('fixture: the cells read are the cells dtc wrote (fdtget on dtc\'s blob)', (t) => {
  if (!requireTools(t, ['dtc', 'fdtget'], 'device-tree-compiler')) return;
  const dtb = join(scratch, 'fixture.dtb');
  const c = spawnSync('dtc', ['-q', '-I', 'dts', '-O', 'dtb', '-o', dtb, fixturePath], { encoding: 'utf8' });
  assert.equal(c.status, 0, c.stderr);
  // The same map from dtc's blob as from our own compile.
  const fromBlob = buildAddressMap(dtbToTree(new Uint8Array(readFileSync(dtb))));
  assert.deepEqual(table(fromBlob), table(buildAddressMap(fixtureTree())));
  for (const r of fromBlob.regions) {
    const got = spawnSync('fdtget', ['-t', 'x', dtb, r.path, 'reg'], { encoding: 'utf8' });
    assert.equal(got.status, 0, got.stderr);
    const cellsOut = got.stdout.trim().split(/\s+/).map((x) => BigInt('0x' + x));
    const parent = r.path.slice(0, r.path.lastIndexOf('/')) || '/';
    const na = Number(spawnSync('fdtget', ['-t', 'u', dtb, parent, '#address-cells'], { encoding: 'utf8' }).stdout.trim());
    const ns = Number(spawnSync('fdtget', ['-t', 'u', dtb, parent, '#size-cells'], { encoding: 'utf8' }).stdout.trim());
    const entry = cellsOut.slice(r.index * (na + ns), (r.index + 1) * (na + ns));
    const num = (xs: bigint[]) => xs.reduce((a, x) => (a << 32n) | x, 0n);
    const addrCells = na === 3 ? entry.slice(1, 3) : entry.slice(0, na);
    assert.equal(r.busAddress, num(addrCells), regionName(r));
    assert.equal(r.size, num(entry.slice(na)), regionName(r));
  }
});

test('QEMU virt: regions are QEMU\'s memory map and PCI INTx follow its interrupt-map swizzle', (t) => {
  if (!requireTools(t, ['qemu-system-arm'], 'qemu-system-arm')) return;
  const dtb = join(scratch, 'virt.dtb');
  const q = spawnSync('qemu-system-arm', ['-M', `virt,dumpdtb=${dtb}`, '-cpu', 'cortex-a15', '-m', '256', '-nographic', '-nodefaults'], { encoding: 'utf8' });
  assert.equal(q.status, 0, q.stderr);
  const tree = dtbToTree(new Uint8Array(readFileSync(dtb)));
  // Graft a PCI function into each of slots 0..3 using every pin; QEMU's map sends
  // (slot, pin) to GIC SPI 3 + (slot + pin - 1) % 4 (its create_pcie_irq_map).
  const pcie = getChild(tree.root, 'pcie@10000000')!;
  for (let slot = 0; slot < 4; slot++) {
    const dev = addNode(pcie, `dev@${slot}`);
    setU32Cells(dev, 'reg', slot << 11, 0, 0, 0, 0);
    setU32Cells(dev, 'interrupts', 1, 2, 3, 4);
  }
  const m = buildAddressMap(tree);
  const at = (path: string, index = 0) => hex(m.regions.find((r) => r.path === path && r.index === index)?.cpuAddress);
  // hw/arm/virt.c base_memmap (QEMU 7.2): flash, GIC distributor/CPU interface, v2m, UART, RTC,
  // fw_cfg, GPIO, virtio-mmio, RAM, and the high PCIe ECAM window.
  assert.equal(at('/flash@0'), '0x0');
  assert.equal(at('/flash@0', 1), '0x4000000');
  assert.equal(at('/intc@8000000'), '0x8000000');
  assert.equal(at('/intc@8000000', 1), '0x8010000');
  assert.equal(at('/intc@8000000/v2m@8020000'), '0x8020000');
  assert.equal(at('/pl011@9000000'), '0x9000000');
  assert.equal(at('/pl031@9010000'), '0x9010000');
  assert.equal(at('/fw-cfg@9020000'), '0x9020000');
  assert.equal(at('/pl061@9030000'), '0x9030000');
  assert.equal(at('/virtio_mmio@a003e00'), '0xa003e00');
  assert.equal(at('/memory@40000000'), '0x40000000');
  assert.equal(at('/pcie@10000000'), '0x4010000000');
  assert.equal(m.regions.filter((r) => r.path.startsWith('/virtio_mmio@')).length, 32);
  assert.deepEqual(m.regions.filter((r) => r.overlapsWith.length), []);
  const spi = (path: string, index: number) => m.interrupts.find((i) => i.path === path && i.index === index);
  for (let slot = 0; slot < 4; slot++) {
    for (let pin = 1; pin <= 4; pin++) {
      const r = spi(`/pcie@10000000/dev@${slot}`, pin - 1)!;
      assert.equal(r.controllerPath, '/intc@8000000');
      assert.deepEqual(r.specifier.slice(0, 2), [0, 3 + ((slot + pin - 1) % 4)], `slot ${slot} pin ${pin}`);
      assert.deepEqual(r.via, ['/pcie@10000000']);
    }
  }
  // The UART's SPI 1 and the timer's four PPIs (13, 14, 11, 10), straight to the GIC.
  assert.deepEqual(spi('/pl011@9000000', 0)?.specifier.slice(0, 2), [0, 1]);
  assert.deepEqual([0, 1, 2, 3].map((i) => spi('/timer', i)?.specifier[1]), [13, 14, 11, 10]);
});
