// Helpers shared by the non-structural checks: dtc's C-string and cell views of property values,
// unit names, the per-run bus marks (dtc's node->bus) and phandle lookup. They mirror dtc 1.6.1's
// livetree.c/checks.c helpers, including their quirks, because the checks' output must match.
import { getProperty, type Node, type Property } from '../model';
import type { CheckContext } from './framework';

/** The value as a C string: bytes up to the first NUL (or the end). */
export function cstr(p: Property): string {
  const b = p.value.bytes;
  let end = b.indexOf(0);
  if (end < 0) end = b.length;
  let s = '';
  for (let i = 0; i < end; i++) s += String.fromCharCode(b[i]);
  return s;
}

/** dtc's `prop->val.val == NULL`: an empty value has no buffer. */
export function isNullValue(p: Property): boolean {
  return p.value.bytes.length === 0;
}

export function cellAt(p: Property, i: number): number {
  const b = p.value.bytes;
  const o = i * 4;
  if (o + 4 > b.length) {
    // dtc reads past the value here; we read zeros instead of whatever follows in memory.
    let v = 0;
    for (let k = 0; k < 4; k++) v = (v << 8) | (o + k < b.length ? b[o + k] : 0);
    return v >>> 0;
  }
  return ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
}

/** dtc's propval_cell (it asserts a 4-byte value; we read the first cell). */
export function propvalCell(p: Property): number {
  return cellAt(p, 0);
}

/** A cell as C's `int`. */
export function signedCell(p: Property, i: number): number {
  return cellAt(p, i) | 0;
}

export function dataIsOneString(p: Property): boolean {
  const b = p.value.bytes;
  const len = b.length;
  if (len === 0) return false;
  for (let i = 0; i < len - 1; i++) if (b[i] === 0) return false;
  return b[len - 1] === 0;
}

/** The strings of a string-list value (the last one may be unterminated, as dtc's loops allow). */
export function stringList(p: Property): string[] {
  const out: string[] = [];
  const b = p.value.bytes;
  let i = 0;
  while (i < b.length) {
    let j = i;
    while (j < b.length && b[j] !== 0) j++;
    let s = '';
    for (let k = i; k < j; k++) s += String.fromCharCode(b[k]);
    out.push(s);
    i = j + 1;
  }
  return out;
}

export function baseNameLength(n: Node): number {
  const at = n.name.indexOf('@');
  return at < 0 ? n.name.length : at;
}

/** dtc's get_unitname: the text after the first '@', or ''. */
export function unitName(n: Node): string {
  const at = n.name.indexOf('@');
  return at < 0 ? '' : n.name.slice(at + 1);
}

/** dtc's strprefixeq(a, n, b): b is exactly n characters long and a starts with it. */
export function strprefixeq(a: string, n: number, b: string): boolean {
  return b.length === n && a.startsWith(b);
}

// Callers only read these lists; deleted entries are rare, so the node's own array is returned when it has none.
export function liveChildren(n: Node): Node[] {
  return n.children.some((c) => c.deleted) ? n.children.filter((c) => !c.deleted) : n.children;
}

export function liveProperties(n: Node): Property[] {
  return n.properties.some((p) => p.deleted) ? n.properties.filter((p) => !p.deleted) : n.properties;
}

export function isCompatible(n: Node, compat: string): boolean {
  const p = getProperty(n, 'compatible');
  return p ? stringList(p).includes(compat) : false;
}

/** dtc's node->addr_cells: -1 when absent, 0 when addr_size_cells never ran (zeroed memory). */
export function addrCellsRaw(ctx: CheckContext, n: Node): number {
  return ctx.addrCells.get(n) ?? 0;
}

export function sizeCellsRaw(ctx: CheckContext, n: Node): number {
  return ctx.sizeCells.get(n) ?? 0;
}

/** node_addr_cells(): the default 2 when the property is absent. */
export function nodeAddrCells(ctx: CheckContext, n: Node): number {
  const v = addrCellsRaw(ctx, n);
  return v === -1 ? 2 : v;
}

export function nodeSizeCells(ctx: CheckContext, n: Node): number {
  const v = sizeCellsRaw(ctx, n);
  return v === -1 ? 1 : v;
}

export type Bus = 'pci' | 'simple-bus' | 'i2c-bus' | 'spi-bus' | 'graph-port' | 'graph-ports';

/** dtc's node->bus, which bridge checks set and bus checks read. */
export function busMap(ctx: CheckContext): Map<Node, Bus> {
  let m = ctx.state.get('extra:bus') as Map<Node, Bus> | undefined;
  if (!m) ctx.state.set('extra:bus', (m = new Map()));
  return m;
}

/**
 * dtc's get_node_by_phandle: the first live node (pre-order) with that phandle. The index is built
 * once per run, when a check first needs it (after phandle_references assigned the phandles).
 */
export function nodeByPhandle(ctx: CheckContext, phandle: number): Node | undefined {
  const ph = phandle >>> 0;
  if (ph === 0 || ph === 0xffffffff) return undefined;
  let index = ctx.state.get('extra:phandles') as Map<number, Node> | undefined;
  if (!index) {
    const m = new Map<number, Node>();
    const walk = (n: Node): void => {
      if (n.deleted) return;
      const p = n.phandle >>> 0;
      if (p !== 0 && !m.has(p)) m.set(p, n);
      for (const c of n.children) walk(c);
    };
    walk(ctx.tree.root);
    ctx.state.set('extra:phandles', (index = m));
  }
  return index.get(ph);
}

/** dtc's get_node_by_path (exact names, no alias resolution). */
export function nodeByPath(root: Node, path: string): Node | undefined {
  let node = root;
  let rest = path;
  for (;;) {
    if (rest === '') return node.deleted ? undefined : node;
    while (rest.startsWith('/')) rest = rest.slice(1);
    const slash = rest.indexOf('/');
    const head = slash < 0 ? rest : rest.slice(0, slash);
    const child = node.children.find((c) => !c.deleted && c.name === head);
    if (!child) return undefined;
    if (slash < 0) return child;
    node = child;
    rest = rest.slice(slash + 1);
  }
}

export function hex(v: number | bigint): string {
  return v.toString(16);
}
