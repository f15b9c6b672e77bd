// The generated device tree as the tree view shows it: nodes with their translated addresses and
// interrupts, properties with their values, and the line of each node in the DTS document (for reveal).
import type { DeviceTree, Node, Property } from '../../devicetree/model';
import { nodePath } from '../../devicetree/model';

/** The parts of the address map (src/devicetree/addressmap) the outline uses. */
export interface OutlineAddressMap {
  regions: { path: string; index: number; busAddress: bigint; size: bigint; cpuAddress: bigint | undefined; overlapsWith: string[] }[];
  interrupts: { path: string; index: number; controllerPath: string | undefined; specifier: number[]; via: string[] }[];
}

export interface OutlineProperty {
  name: string;
  value: string;
}

export interface OutlineNode {
  path: string;
  name: string;
  labels: string[];
  /** One line per reg entry: `0x9000000..0x9000fff (4 KiB)`, cpu addresses when translatable. */
  addresses: string[];
  /** One line per interrupt: `GIC_SPI 1 level-high → /intc` style (raw cells and the controller). */
  interrupts: string[];
  properties: OutlineProperty[];
  children: OutlineNode[];
}

export function formatSize(size: bigint): string {
  const units: [bigint, string][] = [[1n << 30n, 'GiB'], [1n << 20n, 'MiB'], [1n << 10n, 'KiB']];
  for (const [u, name] of units) if (size >= u && size % u === 0n) return `${size / u} ${name}`;
  return `${size} bytes`;
}

const hex = (v: bigint | number) => `0x${v.toString(16)}`;

export function formatRegion(r: OutlineAddressMap['regions'][number]): string {
  const base = r.cpuAddress ?? r.busAddress;
  const range = r.size > 0n ? `${hex(base)}..${hex(base + r.size - 1n)} (${formatSize(r.size)})` : hex(base);
  const where = r.cpuAddress === undefined ? ' [bus address, not translatable to the CPU]' : r.cpuAddress !== r.busAddress ? ` [bus ${hex(r.busAddress)}]` : '';
  const overlap = r.overlapsWith.length ? ` overlaps ${r.overlapsWith.join(', ')}` : '';
  return range + where + overlap;
}

export function formatInterrupt(i: OutlineAddressMap['interrupts'][number]): string {
  const cells = i.specifier.map((c) => hex(c)).join(' ');
  const via = i.via.length ? ` via ${i.via.join(' → ')}` : '';
  return `<${cells}> → ${i.controllerPath ?? '(no interrupt parent)'}${via}`;
}

/** A property value as dtc prints it, short enough for one tree row. */
export function formatPropertyValue(p: Property, max = 120): string {
  const b = p.value.bytes;
  if (b.length === 0) return '';
  const s = printable(b);
  const out = s ?? (b.length % 4 === 0 ? `<${cells(b).map((c) => hex(c)).join(' ')}>` : `[${[...b].map((x) => x.toString(16).padStart(2, '0')).join(' ')}]`);
  return out.length > max ? `${out.slice(0, max - 1)}…` : out;
}

function cells(b: Uint8Array): number[] {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const out: number[] = [];
  for (let i = 0; i + 4 <= b.length; i += 4) out.push(dv.getUint32(i));
  return out;
}

/** dtc's rule: NUL-terminated runs of printable characters, no empty strings. */
function printable(b: Uint8Array): string | undefined {
  if (b[b.length - 1] !== 0) return undefined;
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i < b.length; i++) {
    const c = b[i];
    if (c === 0) {
      if (i === start) return undefined;
      parts.push(String.fromCharCode(...b.subarray(start, i)));
      start = i + 1;
    } else if (c < 0x20 || c > 0x7e) {
      if (c !== 9 && c !== 10) return undefined;
    }
  }
  return parts.map((x) => JSON.stringify(x)).join(', ');
}

export function buildOutline(tree: DeviceTree, map: OutlineAddressMap | undefined): OutlineNode {
  const regions = new Map<string, string[]>();
  const irqs = new Map<string, string[]>();
  for (const r of map?.regions ?? []) (regions.get(r.path) ?? regions.set(r.path, []).get(r.path)!).push(formatRegion(r));
  for (const i of map?.interrupts ?? []) (irqs.get(i.path) ?? irqs.set(i.path, []).get(i.path)!).push(formatInterrupt(i));
  const walk = (n: Node): OutlineNode => {
    const path = nodePath(n);
    return {
      path,
      name: n.parent ? n.name : '/',
      labels: n.labels,
      addresses: regions.get(path) ?? [],
      interrupts: irqs.get(path) ?? [],
      properties: n.properties.filter((p) => !p.deleted).map((p) => ({ name: p.name, value: formatPropertyValue(p) })),
      children: n.children.filter((c) => !c.deleted).map(walk),
    };
  };
  return walk(tree.root);
}

/**
 * Finds the line of each node's opening line in DTS text (0-based), keyed by node path: the document is
 * printed from the tree, so a brace-depth walk over its lines recovers the paths.
 */
export function indexDtsNodeLines(dts: string): Map<string, number> {
  const out = new Map<string, number>();
  const stack: string[] = [];
  const lines = dts.split('\n');
  let inComment = false;
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i];
    if (inComment) {
      const e = line.indexOf('*/');
      if (e < 0) continue;
      line = line.slice(e + 2);
      inComment = false;
    }
    line = line.replace(/\/\*.*?\*\//g, '').replace(/\/\/.*$/, '').replace(/"(?:[^"\\]|\\.)*"/g, '""');
    const open = line.indexOf('/*');
    if (open >= 0) {
      inComment = true;
      line = line.slice(0, open);
    }
    const m = /^\s*(?:[A-Za-z_][A-Za-z0-9_]*:\s*)*([A-Za-z0-9,._+@-]+|\/)\s*\{/.exec(line);
    if (m) {
      const name = m[1];
      const path = name === '/' ? '/' : stack.length === 0 ? undefined : `${stack[stack.length - 1] === '/' ? '' : stack[stack.length - 1]}/${name}`;
      if (path !== undefined && !out.has(path)) out.set(path, i);
      stack.push(path ?? `?${i}`);
      if (/\}\s*;?\s*$/.test(line.slice(m[0].length))) stack.pop();
      continue;
    }
    for (const ch of line) if (ch === '}') stack.pop();
  }
  return out;
}
