// The tree dom0 receives: the generated one (guest-tree.ts), or the user's own DTS/DTB in its place,
// optionally with a DTS overlay merged in the way dtc merges repeated nodes; then Xen's additions to
// /chosen (bootargs when given, the initrd range). Bad trees become one positioned Dom0Error line.
import { compileDts, dtbToTree, treeToDts, DtbError, formatDiagnostic, type DeviceTree } from '../devicetree/index';
import { newNode } from '../devicetree/model';
import { Dom0Error } from './errors';
import { buildGuestTree, writeChosen, type GuestTreeOptions } from './guest-tree';

export interface UserTree {
  /** DTS source or DTB bytes. */
  bytes: Uint8Array;
  path: string;
}

const FDT_MAGIC = [0xd0, 0x0d, 0xfe, 0xed];
const isDtb = (b: Uint8Array) => b.length >= 4 && FDT_MAGIC.every((m, i) => b[i] === m);

function compile(source: string, file: string, readFile?: (p: string) => Uint8Array | undefined): DeviceTree {
  const r = compileDts(source, { file, ...(readFile ? { readFile } : {}) });
  const err = r.diagnostics.find((d) => d.severity === 'error');
  if (err || !r.tree) throw new Dom0Error(formatDiagnostic(err ?? { severity: 'error', message: `${file}: no tree` }).trim());
  return r.tree;
}

/** Reads the user's replacement tree (DTB by its magic number, else DTS). */
export function loadUserTree(u: UserTree): DeviceTree {
  if (isDtb(u.bytes)) {
    try {
      return dtbToTree(u.bytes, u.path);
    } catch (e) {
      if (e instanceof DtbError) throw new Dom0Error(`${u.path}: malformed DTB at byte offset ${e.offset}: ${e.message}`);
      throw e;
    }
  }
  return compile(Buffer.from(u.bytes).toString('latin1'), u.path);
}

/**
 * Merges DTS `overlay` into `base`: the overlay's nodes (`/ { chosen { bootargs = "…"; }; };`, or
 * `&{/path} { … };`) are applied on top of the tree, exactly as dtc merges a node written twice.
 * Positions in messages refer to the overlay file; its `/dts-v1/;` header is optional.
 */
export function mergeOverlay(base: DeviceTree, overlay: UserTree): DeviceTree {
  const text = Buffer.from(overlay.bytes).toString('latin1');
  if (/^\s*(\/dts-v1\/\s*;\s*)?\/plugin\/\s*;/.test(text)) {
    throw new Dom0Error(`${overlay.path}: /plugin/ overlays with fragments are not supported here; write the nodes to merge directly, e.g. / { chosen { bootargs = "…"; }; };`);
  }
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
