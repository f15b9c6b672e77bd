// Cell arithmetic for the address map: reading big-endian cells out of property values, the
// #address-cells/#size-cells rules of the Devicetree Specification (section 2.3.5: defaults 2 and 1,
// taken from the parent only, never inherited further) and phandle lookup.
import { getProperty, type DeviceTree, type Node, type Property } from '../model';

export function cellCount(p: Property): number {
  return Math.floor(p.value.bytes.length / 4);
}

export function cell(p: Property, i: number): number {
  const b = p.value.bytes;
  const o = i * 4;
  return ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
}

export function cells(p: Property, start: number, count: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push(cell(p, start + i));
  return out;
}

/** A number made of `count` cells starting at `start` (most significant first). */
export function readNumber(p: Property, start: number, count: number): bigint {
  let v = 0n;
  for (let i = 0; i < count; i++) v = (v << 32n) | BigInt(cell(p, start + i));
  return v;
}

export function numberOf(cellList: number[]): bigint {
  let v = 0n;
  for (const c of cellList) v = (v << 32n) | BigInt(c >>> 0);
  return v;
}

function singleCell(n: Node, name: string): number | undefined {
  const p = getProperty(n, name);
  return p && p.value.bytes.length === 4 ? cell(p, 0) : undefined;
}

/** #address-cells of a bus node (its children's address width): 2 when absent (spec 2.3.5). */
export function addressCells(bus: Node): number {
  return singleCell(bus, '#address-cells') ?? 2;
}

/** #size-cells of a bus node: 1 when absent (spec 2.3.5). */
export function sizeCells(bus: Node): number {
  return singleCell(bus, '#size-cells') ?? 1;
}

export function hasOwnCells(bus: Node): boolean {
  return !!getProperty(bus, '#address-cells') && !!getProperty(bus, '#size-cells');
}

export function interruptCells(n: Node): number | undefined {
  return singleCell(n, '#interrupt-cells');
}

/** Phandle → node, from assigned phandles and from `phandle` / `linux,phandle` properties (blobs). */
export function phandleIndex(tree: DeviceTree): Map<number, Node> {
  const m = new Map<number, Node>();
  const walk = (n: Node) => {
    if (n.deleted) return;
    if (n.phandle && n.phandle !== 0xffffffff && !m.has(n.phandle)) m.set(n.phandle, n);
    for (const name of ['phandle', 'linux,phandle']) {
      const v = singleCell(n, name);
      if (v !== undefined && v !== 0 && v !== 0xffffffff && !m.has(v)) m.set(v, n);
    }
    for (const c of n.children) walk(c);
  };
  walk(tree.root);
  return m;
}

export function hex(v: bigint | number): string {
  return '0x' + v.toString(16);
}
