// Builders for code that constructs trees (the hypervisor's generated guest tree). Values carry the
// same type markers dtc's parser would give them, so treeToDts prints them as if written by hand, and
// treeToDtb gives the blob dtc would compile from that source.
import type { Data, DeviceTree, Node, Property } from './model';
import { MarkerType, newNode } from './model';
import { getNodeByPhandle, latin1Bytes } from './livetree';

/** An empty tree: `/dts-v1/; / { };`. */
export function newTree(): DeviceTree {
  return { v1: true, plugin: false, reserveMap: [], root: newNode(''), bootCpuidPhys: 0, source: '<generated>' };
}

export class BuildError extends Error {}

const NODE_CHARS = /^[A-Za-z0-9,._+\-]+(@[A-Za-z0-9,._+\-]+)?$/;
const PROP_CHARS = /^[A-Za-z0-9,._+*#?\-]+$/;

/** Adds (or returns the existing) child `name` (`serial@9000000`); names are checked as dtc checks them. */
export function addNode(parent: Node, name: string): Node {
  if (!NODE_CHARS.test(name)) throw new BuildError(`bad node name '${name}'`);
  const existing = parent.children.find((c) => c.name === name && !c.deleted);
  if (existing) return existing;
  const n = newNode(name, parent);
  parent.children.push(n);
  return n;
}

/** Sets a property, replacing an earlier value in place (dtc's merge rule) or appending it. */
export function setProperty(node: Node, name: string, value: Data): Property {
  if (!PROP_CHARS.test(name)) throw new BuildError(`bad property name '${name}'`);
  const existing = node.properties.find((p) => p.name === name && !p.deleted);
  if (existing) {
    existing.value = value;
    return existing;
  }
  const p: Property = { name, value, labels: [], deleted: false };
  node.properties.push(p);
  return p;
}

function cells(bits: 32 | 64, values: (number | bigint)[]): Data {
  const w = bits / 8;
  const b = new Uint8Array(values.length * w);
  const v = new DataView(b.buffer);
  values.forEach((x, i) => {
    if (bits === 32) {
      const n = typeof x === 'bigint' ? Number(x & 0xffffffffn) : x;
      if (!Number.isInteger(n) || n < -0x80000000 || n > 0xffffffff) throw new BuildError(`cell value ${x} does not fit 32 bits`);
      v.setUint32(i * 4, n >>> 0);
    } else {
      v.setBigUint64(i * 8, BigInt.asUintN(64, BigInt(x)));
    }
  });
  return { bytes: b, markers: [{ type: bits === 32 ? MarkerType.TypeUint32 : MarkerType.TypeUint64, offset: 0 }] };
}

/** `name = <a b c>;` */
export function setU32Cells(node: Node, name: string, ...values: (number | bigint)[]): Property {
  return setProperty(node, name, cells(32, values));
}

/** `name = /bits/ 64 <a b>;` */
export function setU64Cells(node: Node, name: string, ...values: (number | bigint)[]): Property {
  return setProperty(node, name, cells(64, values));
}

/**
 * 64-bit quantities split into 32-bit cells, high first (`reg = <0x0 0x40000000 0x0 0x8000000>;`
 * with #address-cells = <2>): pass [value, cellCount] pairs.
 */
export function setCells(node: Node, name: string, ...items: [number | bigint, 1 | 2][]): Property {
  const out: number[] = [];
  for (const [v, n] of items) {
    const b = BigInt.asUintN(64, BigInt(v));
    if (n === 2) out.push(Number(b >> 32n), Number(b & 0xffffffffn));
    else {
      if (b > 0xffffffffn) throw new BuildError(`value 0x${b.toString(16)} does not fit one cell`);
      out.push(Number(b));
    }
  }
  return setProperty(node, name, cells(32, out));
}

/** `name = "value";` */
export function setString(node: Node, name: string, value: string): Property {
  return setStrings(node, name, value);
}

/** `name = "a", "b";` */
export function setStrings(node: Node, name: string, ...values: string[]): Property {
  const parts = values.map((s) => latin1Bytes(utf8(s) + '\0'));
  const b = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  const markers = [];
  let off = 0;
  for (const p of parts) {
    markers.push({ type: MarkerType.TypeString, offset: off });
    b.set(p, off);
    off += p.length;
  }
  return setProperty(node, name, { bytes: b, markers });
}

/** `name;` */
export function setEmpty(node: Node, name: string): Property {
  return setProperty(node, name, { bytes: new Uint8Array(0), markers: [] });
}

/** `name = [01 02 03];` */
export function setBytes(node: Node, name: string, bytes: Uint8Array): Property {
  return setProperty(node, name, { bytes: Uint8Array.from(bytes), markers: [{ type: MarkerType.TypeUint8, offset: 0 }] });
}

/** Gives `node` a phandle (the lowest unused, as dtc allocates) and a `phandle` property; returns it. */
export function setPhandle(tree: DeviceTree, node: Node): number {
  if (node.phandle) return node.phandle;
  let ph = 1;
  while (getNodeByPhandle(tree.root, ph)) ph++;
  node.phandle = ph;
  setU32Cells(node, 'phandle', ph);
  return ph;
}

/** Adds a /memreserve/ entry. */
export function addReserve(tree: DeviceTree, address: bigint, size: bigint): void {
  tree.reserveMap.push({ address, size, labels: [] });
}

function utf8(s: string): string {
  // eslint-disable-next-line no-control-regex
  if (!/[^\x00-\x7f]/.test(s)) return s;
  return String.fromCharCode(...new TextEncoder().encode(s));
}
