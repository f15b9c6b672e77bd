// Small helpers to build live-tree nodes and property values (big-endian cells, NUL-terminated string
// lists) on the device-tree model, with the type markers dtc's DTS printer uses to print them back.
import { MarkerType, newNode, type Data, type Node, type Property } from '../devicetree/model';

export function cells(...values: number[]): Data {
  const bytes = new Uint8Array(values.length * 4);
  const dv = new DataView(bytes.buffer);
  values.forEach((v, i) => dv.setUint32(i * 4, v >>> 0));
  return { bytes, markers: [{ type: MarkerType.TypeUint32, offset: 0 }] };
}

/** A 64-bit quantity as two cells (addresses and sizes with #address-cells = #size-cells = 2). */
export function u64cells(...values: number[]): Data {
  return cells(...values.flatMap((v) => [Math.floor(v / 0x100000000), v >>> 0]));
}

export function strings(...values: string[]): Data {
  const enc = new TextEncoder();
  const parts = values.map((s) => enc.encode(s + '\0'));
  const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  const markers = [];
  let o = 0;
  for (const p of parts) {
    markers.push({ type: MarkerType.TypeString, offset: o });
    bytes.set(p, o);
    o += p.length;
  }
  return { bytes, markers };
}

export function empty(): Data {
  return { bytes: new Uint8Array(0), markers: [] };
}

export function prop(node: Node, name: string, value: Data): Property {
  const existing = node.properties.find((p) => p.name === name && !p.deleted);
  if (existing) { existing.value = value; return existing; }
  const p: Property = { name, value, labels: [], deleted: false };
  node.properties.push(p);
  return p;
}

export function child(parent: Node, name: string): Node {
  const n = newNode(name, parent);
  parent.children.push(n);
  return n;
}

/** The string value of a property (first string of a list), or undefined. */
export function propString(node: Node, name: string): string | undefined {
  const p = node.properties.find((q) => q.name === name && !q.deleted);
  if (!p) return undefined;
  const z = p.value.bytes.indexOf(0);
  return new TextDecoder().decode(p.value.bytes.subarray(0, z < 0 ? undefined : z));
}
