// Applying compiled overlays to a base blob as fdtoverlay (libfdt's fdt_overlay_apply) does: the
// overlay's phandles are shifted past the base's largest, its __local_fixups__ adjusted, its
// __fixups__ resolved through the base's __symbols__, every fragment merged into its target (new
// properties and subnodes go first, as libfdt inserts them; existing ones are replaced in place),
// and the overlay's __symbols__ added to the base's. The result is written with the base's string
// table kept and new names appended in libfdt's order, so the blob is byte-identical to fdtoverlay's.
import type { DeviceTree, Node, Property } from './model';
import { newNode, nodePath } from './model';
import { readDtb } from './dtb-reader';
import { writeDtb } from './dtb-writer';
import { latin1Bytes, newProperty, readU32, u32 } from './livetree';

/** libfdt's error, named as fdt_strerror names it (`FDT_ERR_NOTFOUND`). */
export class OverlayError extends Error {
  constructor(readonly code: string, detail: string) {
    super(`${code}: ${detail}`);
  }
}

function liveProp(n: Node, name: string): Property | undefined {
  return n.properties.find((p) => p.name === name && !p.deleted);
}

/** fdt_subnode_offset: the first child named `name`, or `name@unit` when `name` has no unit address. */
function child(n: Node, name: string): Node | undefined {
  const bare = !name.includes('@');
  return n.children.find((c) => !c.deleted && (c.name === name || (bare && c.name.startsWith(name + '@'))));
}

/** fdt_path_offset. */
function byPath(root: Node, path: string): Node | undefined {
  if (!path.startsWith('/')) return undefined;
  let n: Node | undefined = root;
  for (const comp of path.split('/').filter((c) => c)) {
    if (!n) return undefined;
    n = child(n, comp);
  }
  return n;
}

function text(b: Uint8Array): string {
  let r = '';
  for (let i = 0; i < b.length; i += 8192) r += String.fromCharCode(...b.subarray(i, Math.min(b.length, i + 8192)));
  return r;
}

/** fdt_get_phandle: `phandle`, else `linux,phandle`, when 4 bytes long. */
function getPhandle(n: Node): number {
  for (const name of ['phandle', 'linux,phandle']) {
    const p = liveProp(n, name);
    if (p && p.value.bytes.length === 4) return readU32(p.value.bytes);
  }
  return 0;
}

function walk(n: Node, f: (n: Node) => void): void {
  f(n);
  for (const c of n.children) walk(c, f);
}

function byPhandle(root: Node, ph: number): Node | undefined {
  let hit: Node | undefined;
  walk(root, (n) => {
    if (!hit && getPhandle(n) === ph) hit = n;
  });
  return hit;
}

/** The strings block as libfdt grows it: first occurrence (suffixes included), else appended. */
class Strings {
  constructor(public text: string) {}
  add(name: string): void {
    if (this.text.indexOf(name + '\0') < 0) this.text += name + '\0';
  }
}

/** fdt_setprop: replace in place, or insert as the node's first property. */
function setProp(strings: Strings, n: Node, name: string, bytes: Uint8Array): void {
  const p = liveProp(n, name);
  if (p) {
    p.value = { bytes: Uint8Array.from(bytes), markers: [] };
    return;
  }
  strings.add(name);
  n.properties.unshift(newProperty(name, { bytes: Uint8Array.from(bytes), markers: [] }));
}

/** fdt_add_subnode: a new node goes after the properties, before the existing children. */
function addSubnode(n: Node, name: string): Node {
  const existing = child(n, name);
  if (existing) return existing;
  const c = newNode(name, n);
  n.children.unshift(c);
  return c;
}

function target(base: Node, fragment: Node): { node: Node; path?: string } {
  const t = liveProp(fragment, 'target');
  if (t) {
    const ph = t.value.bytes.length === 4 ? readU32(t.value.bytes) : 0xffffffff;
    if (ph === 0xffffffff) throw new OverlayError('FDT_ERR_BADPHANDLE', `${nodePath(fragment)}: bad target phandle`);
    if (ph !== 0) {
      const node = byPhandle(base, ph);
      if (!node) throw new OverlayError('FDT_ERR_NOTFOUND', `${nodePath(fragment)}: no node with phandle 0x${ph.toString(16)}`);
      return { node };
    }
  }
  const tp = liveProp(fragment, 'target-path');
  if (!tp) throw new OverlayError('FDT_ERR_BADOVERLAY', `${nodePath(fragment)}: neither target nor target-path`);
  const path = text(tp.value.bytes).split('\0')[0]!;
  const node = byPath(base, path);
  if (!node) throw new OverlayError('FDT_ERR_NOTFOUND', `${nodePath(fragment)}: target-path ${path} not found`);
  return { node, path };
}

/** fdt_overlay_apply on trees (the overlay is modified, as libfdt trashes it). */
export function applyOverlayTree(base: DeviceTree, overlay: DeviceTree, strings = new Strings('')): void {
  const root = base.root;
  const oroot = overlay.root;
  // 1. Shift the overlay's own phandles past the base's largest.
  let delta = 0;
  walk(root, (n) => {
    delta = Math.max(delta, getPhandle(n));
  });
  walk(oroot, (n) => {
    for (const name of ['phandle', 'linux,phandle']) {
      const p = liveProp(n, name);
      if (!p) continue;
      if (p.value.bytes.length !== 4) throw new OverlayError('FDT_ERR_BADPHANDLE', `${nodePath(n)}: ${name} is not one cell`);
      const v = readU32(p.value.bytes);
      if (v + delta > 0xffffffff) throw new OverlayError('FDT_ERR_NOPHANDLES', `${nodePath(n)}: phandle overflow`);
      p.value.bytes.set(u32(v + delta));
    }
  });
  // 2. __local_fixups__: references between the overlay's own nodes.
  const lf = child(oroot, '__local_fixups__');
  if (lf) {
    const fix = (tree: Node, fx: Node): void => {
      for (const fp of fx.properties) {
        if (fp.value.bytes.length % 4) throw new OverlayError('FDT_ERR_BADOVERLAY', `${nodePath(fx)}:${fp.name}: length not a multiple of 4`);
        const tp = liveProp(tree, fp.name);
        if (!tp) throw new OverlayError('FDT_ERR_BADOVERLAY', `${nodePath(tree)}: no property ${fp.name}`);
        for (let i = 0; i < fp.value.bytes.length; i += 4) {
          const off = readU32(fp.value.bytes, i);
          if (off + 4 > tp.value.bytes.length) throw new OverlayError('FDT_ERR_BADOVERLAY', `${nodePath(tree)}:${fp.name}: offset ${off} out of range`);
          tp.value.bytes.set(u32((readU32(tp.value.bytes, off) + delta) >>> 0), off);
        }
      }
      for (const fc of fx.children) {
        const tc = child(tree, fc.name);
        if (!tc) throw new OverlayError('FDT_ERR_BADOVERLAY', `${nodePath(tree)}: no child ${fc.name}`);
        fix(tc, fc);
      }
    };
    fix(oroot, lf);
  }
  // 3. __fixups__: references to the base's labels, through its __symbols__.
  const fx = child(oroot, '__fixups__');
  if (fx) {
    const symbols = child(root, '__symbols__');
    for (const fp of fx.properties) {
      const entries = text(fp.value.bytes);
      if (!entries.endsWith('\0')) throw new OverlayError('FDT_ERR_BADOVERLAY', `__fixups__/${fp.name}: not NUL-terminated`);
      for (const e of entries.slice(0, -1).split('\0')) {
        const m = /^([^:]*):([^:]+):(\d+)$/.exec(e);
        if (!m || !m[1]) throw new OverlayError('FDT_ERR_BADOVERLAY', `__fixups__/${fp.name}: bad entry "${e}"`);
        if (!symbols) throw new OverlayError('FDT_ERR_NOTFOUND', `base has no __symbols__ (label ${fp.name})`);
        const sp = liveProp(symbols, fp.name);
        if (!sp) throw new OverlayError('FDT_ERR_NOTFOUND', `label ${fp.name} not in the base's __symbols__`);
        const sym = byPath(root, text(sp.value.bytes).split('\0')[0]!);
        if (!sym) throw new OverlayError('FDT_ERR_NOTFOUND', `__symbols__/${fp.name}: path not found`);
        const ph = getPhandle(sym);
        if (!ph) throw new OverlayError('FDT_ERR_NOTFOUND', `${nodePath(sym)} (label ${fp.name}) has no phandle`);
        const node = byPath(oroot, m[1]);
        if (!node) throw new OverlayError('FDT_ERR_BADOVERLAY', `fixup path ${m[1]} not in the overlay`);
        const prop = liveProp(node, m[2]!);
        const off = Number(m[3]);
        if (!prop) throw new OverlayError('FDT_ERR_NOTFOUND', `${m[1]}: no property ${m[2]}`);
        if (off + 4 > prop.value.bytes.length) throw new OverlayError('FDT_ERR_BADVALUE', `${m[1]}:${m[2]}: offset ${off} out of range`);
        prop.value.bytes.set(u32(ph), off);
      }
    }
  }
  // 4. Merge each fragment's __overlay__ into its target.
  const apply = (t: Node, o: Node): void => {
    for (const p of o.properties) setProp(strings, t, p.name, p.value.bytes);
    for (const c of o.children) apply(addSubnode(t, c.name), c);
  };
  for (const fragment of oroot.children) {
    const ov = child(fragment, '__overlay__');
    if (!ov) continue;
    apply(target(root, fragment).node, ov);
  }
  // 5. The overlay's symbols, rewritten to their place in the base.
  const osym = child(oroot, '__symbols__');
  if (osym) {
    let rsym = child(root, '__symbols__');
    if (!rsym) rsym = addSubnode(root, '__symbols__');
    for (const sp of osym.properties) {
      const path = text(sp.value.bytes);
      if (!path.length || path.indexOf('\0') !== path.length - 1) throw new OverlayError('FDT_ERR_BADVALUE', `__symbols__/${sp.name}: not one string`);
      const p = path.slice(0, -1);
      if (!p.startsWith('/')) throw new OverlayError('FDT_ERR_BADVALUE', `__symbols__/${sp.name}: not a path`);
      const slash = p.indexOf('/', 1);
      if (slash < 0) continue;
      const rest = p.slice(slash);
      let rel: string;
      if (rest.startsWith('/__overlay__/') && rest.length > '/__overlay__/'.length) rel = rest.slice('/__overlay__/'.length);
      else if (rest === '/__overlay__') rel = '';
      else continue;
      const fragment = child(oroot, p.slice(1, slash));
      if (!fragment || !child(fragment, '__overlay__')) throw new OverlayError('FDT_ERR_BADOVERLAY', `__symbols__/${sp.name}: no fragment`);
      const tg = target(root, fragment);
      const tpath = tg.path ?? nodePath(tg.node);
      const full = (tpath.length > 1 ? tpath : '') + '/' + rel;
      setProp(strings, rsym, sp.name, latin1Bytes(full + '\0'));
    }
  }
}

/** fdtoverlay: applies each overlay blob to the base blob in turn; returns the packed result. */
export function applyOverlays(baseBlob: Uint8Array, overlayBlobs: Uint8Array[]): Uint8Array {
  const base = readDtb(baseBlob).tree;
  const v = new DataView(baseBlob.buffer, baseBlob.byteOffset, baseBlob.byteLength);
  const offStr = v.getUint32(12);
  const version = v.getUint32(20);
  const sizeStr = version >= 3 ? v.getUint32(32) : baseBlob.length - offStr;
  const strings = new Strings(text(baseBlob.subarray(offStr, offStr + sizeStr)));
  for (const ob of overlayBlobs) applyOverlayTree(base, readDtb(ob).tree, strings);
  return writeDtb(base, { strings: strings.text });
}
