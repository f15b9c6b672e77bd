// Live-tree operations with dtc's semantics (livetree.c): label lists (newest first, deletable and
// reinstatable), merging of redefined nodes, deletion, lookups by path/label/phandle, phandle
// allocation, and the generated __symbols__ / __fixups__ / __local_fixups__ nodes.
import type { Data, DeviceTree, Node, Property, SourcePos } from './model';
import { MarkerType, newNode, nodePath } from './model';
import { allocBytes } from './byte-arena';

/** Labels marked deleted (dtc keeps them in the list with a flag); purged when parsing ends. */
const deletedLabels = new WeakMap<object, Set<string>>();

function isDeletedLabel(owner: object, l: string): boolean {
  return deletedLabels.get(owner)?.has(l) ?? false;
}

export function liveLabels(owner: Node | Property): string[] {
  // Most owners have no labels: skip the WeakMap look-up (it runs for every node and property per walk).
  if (owner.labels.length === 0) return owner.labels;
  const del = deletedLabels.get(owner);
  return del ? owner.labels.filter((l) => !del.has(l)) : owner.labels;
}

/** add_label: an existing label is undeleted in place, a new one goes first. */
export function addLabel(owner: Node | Property, label: string, pos?: SourcePos): void {
  if (pos) {
    owner.labelPos ??= Object.create(null) as Record<string, SourcePos>;
    owner.labelPos[label] ??= pos;
  }
  if (owner.labels.includes(label)) {
    deletedLabels.get(owner)?.delete(label);
    return;
  }
  owner.labels.unshift(label);
}

function deleteLabels(owner: Node | Property): void {
  let s = deletedLabels.get(owner);
  if (!s) deletedLabels.set(owner, (s = new Set()));
  for (const l of owner.labels) s.add(l);
}

export function newProperty(name: string, value: Data, pos?: SourcePos): Property {
  const p: Property = { name, value, labels: [], deleted: false };
  if (pos) p.pos = pos;
  return p;
}

export function deleteProperty(p: Property): void {
  p.deleted = true;
  deleteLabels(p);
}

export function deleteNode(n: Node): void {
  n.deleted = true;
  for (const c of n.children) if (!c.deleted) deleteNode(c);
  for (const p of n.properties) if (!p.deleted) deleteProperty(p);
  deleteLabels(n);
}

export function addChild(parent: Node, child: Node): void {
  child.parent = parent;
  parent.children.push(child);
}

/** merge_nodes: `newer` is a later definition of `old`. */
export function mergeNodes(old: Node, newer: Node): Node {
  old.deleted = false;
  for (const l of newer.labels) addLabel(old, l, newer.labelPos?.[l]);
  for (const np of newer.properties) {
    if (np.deleted) {
      const op = old.properties.find((p) => p.name === np.name);
      if (op) deleteProperty(op);
      continue;
    }
    const op = old.properties.find((p) => p.name === np.name);
    if (op) {
      for (const l of np.labels) addLabel(op, l, np.labelPos?.[l]);
      op.value = np.value;
      op.deleted = false;
      if (np.pos) op.pos = np.pos;
      else delete op.pos;
    } else {
      old.properties.push(np);
    }
  }
  for (const nc of newer.children) {
    if (nc.deleted) {
      const oc = old.children.find((c) => c.name === nc.name);
      if (oc) deleteNode(oc);
      continue;
    }
    const oc = old.children.find((c) => c.name === nc.name);
    if (oc) mergeNodes(oc, nc);
    else addChild(old, nc);
  }
  // srcpos_extend: the new definition's positions follow the old ones.
  const extra = [...(newer.pos ? [newer.pos] : []), ...(newer.alsoDefinedAt ?? [])];
  if (!old.pos) {
    if (extra.length) {
      old.pos = extra[0]!;
      if (extra.length > 1) old.alsoDefinedAt = extra.slice(1);
    }
  } else if (extra.length) {
    old.alsoDefinedAt = [...(old.alsoDefinedAt ?? []), ...extra];
  }
  return old;
}

export function getSubnode(n: Node, name: string): Node | undefined {
  for (const c of n.children) if (!c.deleted && c.name === name) return c;
  return undefined;
}

export function getProp(n: Node, name: string): Property | undefined {
  for (const p of n.properties) if (!p.deleted && p.name === name) return p;
  return undefined;
}

export function getNodeByPath(tree: Node, path: string): Node | undefined {
  let n = tree;
  let rest = path;
  for (;;) {
    if (!rest) return n.deleted ? undefined : n;
    let k = 0;
    while (rest[k] === '/') k++;
    rest = rest.slice(k);
    const slash = rest.indexOf('/');
    const comp = slash >= 0 ? rest.slice(0, slash) : rest;
    let found: Node | undefined;
    for (const c of n.children) {
      if (!c.deleted && c.name === comp) {
        found = c;
        break;
      }
    }
    if (!found) return undefined;
    if (slash < 0) return found;
    n = found;
    rest = rest.slice(slash + 1);
  }
}

export function getNodeByLabel(tree: Node, label: string): Node | undefined {
  for (const l of tree.labels) if (l === label && !isDeletedLabel(tree, l)) return tree;
  for (const c of tree.children) {
    if (c.deleted) continue;
    const r = getNodeByLabel(c, label);
    if (r) return r;
  }
  return undefined;
}

export function getNodeByRef(tree: Node, ref: string): Node | undefined {
  if (ref === '/') return tree;
  if (ref[0] === '/') return getNodeByPath(tree, ref);
  return getNodeByLabel(tree, ref);
}

export function getNodeByPhandle(tree: Node, phandle: number): Node | undefined {
  if (phandle === 0 || phandle === 0xffffffff) return undefined;
  if (tree.phandle === phandle) return tree.deleted ? undefined : tree;
  for (const c of tree.children) {
    if (c.deleted) continue;
    const r = getNodeByPhandle(c, phandle);
    if (r) return r;
  }
  return undefined;
}

/** Removes what dtc only flags as deleted (nodes, properties, labels); dtc skips them everywhere. */
export function purgeDeleted(n: Node): void {
  const del = deletedLabels.get(n);
  if (del) n.labels = n.labels.filter((l) => !del.has(l));
  if (n.properties.some((p) => p.deleted)) n.properties = n.properties.filter((p) => !p.deleted);
  for (const p of n.properties) {
    const pd = deletedLabels.get(p);
    if (pd) p.labels = p.labels.filter((l) => !pd.has(l));
  }
  if (n.children.some((c) => c.deleted)) {
    const live = n.children.filter((c) => !c.deleted);
    n.deletedChildren = (n.deletedChildren ?? 0) + n.children.length - live.length;
    n.children = live;
  }
  for (const c of n.children) purgeDeleted(c);
}

export type PhandleFormat = 'epapr' | 'linux' | 'both';

/**
 * Phandle allocation (get_node_phandle). dtc's counter is a static that survives across calls and
 * starts at 1; it skips values already used in the tree.
 */
export class PhandleAllocator {
  private next = 1;
  private used: Set<number> | undefined;
  constructor(private readonly root: Node, private readonly format: PhandleFormat) {}

  private inUse(ph: number): boolean {
    if (!this.used) {
      this.used = new Set();
      const walk = (n: Node): void => {
        if (n.deleted) return;
        if (n.phandle !== 0 && n.phandle !== 0xffffffff) this.used!.add(n.phandle);
        for (const c of n.children) walk(c);
      };
      walk(this.root);
    }
    return this.used.has(ph);
  }

  /** Forget cached state after the tree's phandles were changed by someone else. */
  invalidate(): void {
    this.used = undefined;
  }

  get(node: Node): number {
    if (node.phandle !== 0 && node.phandle !== 0xffffffff) return node.phandle;
    while (this.inUse(this.next)) this.next++;
    const ph = this.next;
    node.phandle = ph;
    this.used?.add(ph);
    const cell = (): Data => ({ bytes: u32(ph), markers: [{ type: MarkerType.TypeUint32, offset: 0 }] });
    if (this.format !== 'epapr' && !getProp(node, 'linux,phandle')) node.properties.push(newProperty('linux,phandle', cell()));
    if (this.format !== 'linux' && !getProp(node, 'phandle')) node.properties.push(newProperty('phandle', cell()));
    return ph;
  }
}

/** Stores a big-endian 32-bit value at `off` (a phandle into a reference's cell). */
export function writeU32(b: Uint8Array, off: number, v: number): void {
  b[off] = v >>> 24;
  b[off + 1] = (v >>> 16) & 0xff;
  b[off + 2] = (v >>> 8) & 0xff;
  b[off + 3] = v & 0xff;
}

export function u32(v: number): Uint8Array {
  const b = allocBytes(4);
  writeU32(b, 0, v >>> 0);
  return b;
}

export function readU32(b: Uint8Array, off = 0): number {
  return ((b[off]! << 24) | (b[off + 1]! << 16) | (b[off + 2]! << 8) | b[off + 3]!) >>> 0;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const r = new Uint8Array(a.length + b.length);
  r.set(a);
  r.set(b, a.length);
  return r;
}

export function latin1Bytes(s: string): Uint8Array {
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i) & 0xff;
  return b;
}

/** append_to_property: extends (or creates) `name` with a typed chunk whose marker carries the name. */
function appendToProperty(node: Node, name: string, bytes: Uint8Array, type: MarkerType): void {
  const p = getProp(node, name);
  if (p) {
    p.value = { bytes: concat(p.value.bytes, bytes), markers: [...p.value.markers, { type, offset: p.value.bytes.length, ref: name }] };
  } else {
    node.properties.push(newProperty(name, { bytes, markers: [{ type, offset: 0, ref: name }] }));
  }
}

function buildRootNode(dt: Node, name: string): Node {
  let n = getSubnode(dt, name);
  if (!n) {
    n = newNode(name, dt);
    dt.children.push(n);
  }
  return n;
}

function anyLabel(n: Node): boolean {
  if (n.labels.length) return true;
  for (const c of n.children) if (!c.deleted && anyLabel(c)) return true;
  return false;
}

function forEachPhandleRef(n: Node, f: (node: Node, prop: Property, offset: number, ref: string) => void): void {
  for (const p of n.properties) {
    if (p.deleted) continue;
    for (const m of p.value.markers) if (m.type === MarkerType.RefPhandle) f(n, p, m.offset, m.ref!);
  }
  for (const c of n.children) if (!c.deleted) forEachPhandleRef(c, f);
}

/** generate_label_tree: `/__symbols__` (or `/aliases` for -A) with one path per label. */
export function generateLabelTree(dt: DeviceTree, name: string, allocPhandles: PhandleAllocator | undefined, warn: (m: string) => void): void {
  if (!anyLabel(dt.root)) return;
  const an = buildRootNode(dt.root, name);
  const walk = (n: Node): void => {
    if (n.labels.length) {
      for (const l of n.labels) {
        if (getProp(an, l)) {
          warn(`WARNING: label ${l} already exists in /${an.name}`);
          continue;
        }
        const path = nodePath(n);
        const bytes = latin1Bytes(path + '\0');
        an.properties.push(newProperty(l, { bytes, markers: [{ type: MarkerType.TypeString, offset: 0 }] }));
      }
      if (allocPhandles) allocPhandles.get(n);
    }
    for (const c of n.children) if (!c.deleted) walk(c);
  };
  walk(dt.root);
}

/** generate_fixups_tree: unresolved references as `path:prop:offset` strings per label. */
export function generateFixupsTree(dt: DeviceTree, name: string): void {
  const refs: [Node, Property, number, string][] = [];
  forEachPhandleRef(dt.root, (n, p, off, ref) => {
    if (!getNodeByRef(dt.root, ref)) refs.push([n, p, off, ref]);
  });
  if (!refs.length) return;
  const fn = buildRootNode(dt.root, name);
  for (const [n, p, off, ref] of refs) {
    const path = nodePath(n);
    if (path.includes(':') || p.name.includes(':')) throw new FixupError("arguments should not contain ':'");
    appendToProperty(fn, ref, latin1Bytes(`${path}:${p.name}:${off}\0`), MarkerType.TypeString);
  }
}

export class FixupError extends Error {}

/** generate_local_fixups_tree: offsets of resolved references, in a tree mirroring the referring nodes. */
export function generateLocalFixupsTree(dt: DeviceTree, name: string): void {
  const refs: [Node, Property, number][] = [];
  forEachPhandleRef(dt.root, (n, p, off, ref) => {
    if (getNodeByRef(dt.root, ref)) refs.push([n, p, off]);
  });
  if (!refs.length) return;
  const lfn = buildRootNode(dt.root, name);
  for (const [n, p, off] of refs) {
    const chain: string[] = [];
    for (let w: Node | null = n; w && w.parent; w = w.parent) chain.unshift(w.name);
    let wn = lfn;
    for (const comp of chain) {
      let nwn = getSubnode(wn, comp);
      if (!nwn) {
        nwn = newNode(comp, wn);
        wn.children.push(nwn);
      }
      wn = nwn;
    }
    appendToProperty(wn, p.name, u32(off), MarkerType.TypeUint32);
  }
}

/** sort_tree: reserve entries by (address, size), properties and children by name (strcmp). */
export function sortTree(dt: DeviceTree): void {
  dt.reserveMap.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : a.size < b.size ? -1 : a.size > b.size ? 1 : 0));
  const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  const walk = (n: Node): void => {
    n.properties.sort((a, b) => cmp(a.name, b.name));
    n.children.sort((a, b) => cmp(a.name, b.name));
    for (const c of n.children) walk(c);
  };
  walk(dt.root);
}

/** guess_boot_cpuid: `reg` of the first child of /cpus when it is one cell. */
export function guessBootCpuid(root: Node): number {
  const cpus = getNodeByPath(root, '/cpus');
  if (!cpus) return 0;
  const first = cpus.children[0];
  if (!first) return 0;
  const reg = getProp(first, 'reg');
  if (!reg || reg.value.bytes.length !== 4) return 0;
  return readU32(reg.value.bytes);
}

/**
 * Labels restored from a blob's /__symbols__ (what dtc 1.8 does on input; Debian's 1.6.1 does not, so
 * xenarm dtc leaves it off): each symbol becomes a label on the node its path names. Returns the
 * symbols whose path names no node.
 */
export function restoreLabelsFromSymbols(dt: DeviceTree): string[] {
  const syms = getSubnode(dt.root, '__symbols__');
  const missing: string[] = [];
  if (!syms) return missing;
  for (const p of syms.properties) {
    if (p.deleted) continue;
    const b = p.value.bytes;
    const nul = b.indexOf(0);
    let path = '';
    for (let i = 0; i < (nul < 0 ? b.length : nul); i++) path += String.fromCharCode(b[i]!);
    const n = getNodeByPath(dt.root, path);
    if (n) addLabel(n, p.name);
    else missing.push(p.name);
  }
  return missing;
}
