// The tree dom0 receives: the generated one (guest-tree.ts), or the user's own DTS/DTB in its place,
// optionally with an overlay (plain DTS nodes merged as dtc merges repeated nodes, or a /plugin/
// DTS or .dtbo applied as fdtoverlay applies it); then Xen's additions to
// /chosen (bootargs when given, the initrd range). Bad trees become one positioned Dom0Error line.
import { compileDts, dtbToTree, isDtb, treeToDtb, treeToDts, applyOverlayTree, DtbError, OverlayError, formatDiagnostic, type DeviceTree } from '../devicetree/index';
import { newNode } from '../devicetree/model';
import { Dom0Error } from './errors';
import { buildGuestTree, writeChosen, type GuestTreeOptions } from './guest-tree';

export interface UserTree {
  /** DTS source or DTB bytes. */
  bytes: Uint8Array;
  path: string;
}


function compile(source: string, file: string, readFile?: (p: string) => Uint8Array | undefined): DeviceTree {
  const r = compileDts(source, { file, ...(readFile ? { readFile } : {}) });
  const err = r.diagnostics.find((d) => d.severity === 'error');
  if (err || !r.tree) throw new Dom0Error(formatDiagnostic(err ?? { severity: 'error', message: `${file}: no tree` }).trim());
  return r.tree;
}

/** Reads the user's replacement tree (DTB by its magic number, else DTS). */
export function loadUserTree(u: UserTree): DeviceTree {
  if (isDtb(u.bytes)) return readDtb(u.bytes, u.path);
  return compile(Buffer.from(u.bytes).toString('latin1'), u.path);
}

function readDtb(bytes: Uint8Array, path: string): DeviceTree {
  try {
    return dtbToTree(bytes, path);
  } catch (e) {
    if (e instanceof DtbError) throw new Dom0Error(`${path}: malformed DTB at byte offset ${e.offset}: ${e.message}`);
    throw e;
  }
}

/**
 * Applies a compiled overlay (a `/plugin/` DTS, or a .dtbo blob) as fdtoverlay does: fragments by
 * `target` / `target-path`, `&label` references resolved through the base's labels. The generated tree
 * carries no `__symbols__` (Xen's has none either), so one is made from its labels for the duration
 * of the merge and dropped again unless the base had its own.
 */
function applyPlugin(base: DeviceTree, overlay: DeviceTree, path: string): DeviceTree {
  const hadSymbols = base.root.children.some((c) => c.name === '__symbols__' && !c.deleted);
  let target = base;
  if (!hadSymbols) {
    const withSymbols = compileDts(treeToDts(base), { file: '<generated tree>', symbols: true });
    if (withSymbols.tree) target = withSymbols.tree;
  }
  // Through the flat form, so phandles and fixups are exactly what a .dtbo would carry.
  target = readDtb(treeToDtb(target), '<generated tree>');
  const ov = readDtb(treeToDtb(overlay), path);
  try {
    applyOverlayTree(target, ov);
  } catch (e) {
    if (e instanceof OverlayError) throw new Dom0Error(`${path}: cannot apply overlay: ${e.message}`);
    throw e;
  }
  if (!hadSymbols) target.root.children = target.root.children.filter((c) => c.name !== '__symbols__');
  return target;
}

/**
 * Merges `overlay` into `base`. A `/plugin/` DTS or a .dtbo blob is applied as fdtoverlay applies it;
 * plain DTS nodes (`/ { chosen { bootargs = "…"; }; };`, `&{/path} { … };`) are merged exactly as dtc
 * merges a node written twice. Positions in messages refer to the overlay file; a plain DTS overlay's
 * `/dts-v1/;` header is optional.
 */
export function mergeOverlay(base: DeviceTree, overlay: UserTree): DeviceTree {
  if (isDtb(overlay.bytes)) return applyPlugin(base, readDtb(overlay.bytes, overlay.path), overlay.path);
  const text = Buffer.from(overlay.bytes).toString('latin1');
  if (/^\s*(\/dts-v1\/\s*;\s*)?\/plugin\/\s*;/.test(text)) return applyPlugin(base, compile(text, overlay.path), overlay.path);
  // Blank out the header (same length, so line and column numbers stay right).
  const body = text.replace(/^(\s*)\/dts-v1\/\s*;/, (m) => m.replace(/[^\n]/g, ' '));
  const name = overlay.path;
  const main = `${treeToDts(base)}\n/include/ "${name.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"\n`;
  return compile(main, '<generated tree>', (p) => (p === name || p.endsWith(name) ? Buffer.from(body, 'latin1') : undefined));
}

export interface Dom0TreeOptions extends GuestTreeOptions {
  userTree?: UserTree;
  overlay?: UserTree;
}

export function makeDom0Tree(o: Dom0TreeOptions): DeviceTree {
  let tree = o.userTree ? loadUserTree(o.userTree) : buildGuestTree({ ...o, initrd: undefined });
  if (o.overlay) tree = mergeOverlay(tree, o.overlay);
  let chosen = tree.root.children.find((c) => c.name === 'chosen' && !c.deleted);
  if (!chosen) {
    chosen = newNode('chosen', tree.root);
    tree.root.children.push(chosen);
  }
  // --bootargs applies to a user tree too; on the generated tree it is already there (under an overlay's).
  writeChosen(chosen, o.userTree ? o.bootargs : undefined, o.initrd);
  return tree;
}
