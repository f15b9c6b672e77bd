// dtc's structural checks and reference fixups (checks.c): duplicate names and labels, name
// characters, explicit phandles, `name` properties, phandle and path reference resolution (these
// modify the tree, as in dtc) and /omit-if-no-ref/ removal.
import type { Marker, Node, Property } from '../model';
import { MarkerType, nodePath } from '../model';
import { deleteNode, getNodeByRef, latin1Bytes, liveLabels, readU32, writeU32 } from '../livetree';
import type { PhandleAllocator } from '../livetree';
import type { CheckContext, CheckDescriptor } from './framework';

const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const DIGITS = '0123456789';
const NODECHARS = LOWER + UPPER + DIGITS + ',._+-@';
const PROPCHARS = LOWER + UPPER + DIGITS + ',._+*#?-';
const STRICT = LOWER + UPPER + DIGITS + ',-';

/** Membership tables for the character sets, built once per set (checks test every name of the tree). */
const tables = new Map<string, Uint8Array>();
function table(set: string): Uint8Array {
  let t = tables.get(set);
  if (!t) {
    t = new Uint8Array(256);
    for (let i = 0; i < set.length; i++) t[set.charCodeAt(i) & 0xff] = 1;
    tables.set(set, t);
  }
  return t;
}

function strspn(s: string, set: string): number {
  const t = table(set);
  let n = 0;
  while (n < s.length) {
    const c = s.charCodeAt(n);
    if (c > 0xff || !t[c]) break;
    n++;
  }
  return n;
}

export function basenameLen(name: string): number {
  const at = name.indexOf('@');
  return at >= 0 ? at : name.length;
}

export function unitName(name: string): string {
  const at = name.indexOf('@');
  return at >= 0 ? name.slice(at + 1) : '';
}

// Deleted entries are rare after parsing (only /omit-if-no-ref/ leaves some): avoid copying.
function liveChildren(n: Node): Node[] {
  return n.children.some((c) => c.deleted) ? n.children.filter((c) => !c.deleted) : n.children;
}

function liveProps(n: Node): Property[] {
  return n.properties.some((p) => p.deleted) ? n.properties.filter((p) => !p.deleted) : n.properties;
}

function checkDuplicateNodeNames(ctx: CheckContext, node: Node): void {
  // dtc compares each live child with every later sibling (deleted ones included) and reports the
  // later one for each pair; grouping by name gives the same messages in the same order without
  // comparing every pair.
  const kids = node.children;
  if (kids.length < 2) return;
  const groups = new Map<string, number[]>();
  kids.forEach((c, i) => {
    const g = groups.get(c.name);
    if (g) g.push(i);
    else groups.set(c.name, [i]);
  });
  if (groups.size === kids.length) return;
  kids.forEach((c, i) => {
    if (c.deleted) return;
    const g = groups.get(c.name)!;
    for (const j of g) if (j > i) ctx.fail(kids[j]!, 'Duplicate node name');
  });
}

function checkDuplicatePropertyNames(ctx: CheckContext, node: Node): void {
  // As dtc: each live property against every later live one, reported on the earlier.
  const props = node.properties;
  if (props.length < 2) return;
  if (props.length <= 16) {
    // Few properties (nearly every node): compare the pairs, with nothing to allocate.
    for (let i = 0; i < props.length; i++) {
      const p = props[i]!;
      if (p.deleted) continue;
      for (let j = i + 1; j < props.length; j++) {
        const q = props[j]!;
        if (!q.deleted && q.name === p.name) ctx.failProp(node, p, 'Duplicate property name');
      }
    }
    return;
  }
  const groups = new Map<string, number[]>();
  props.forEach((p, i) => {
    if (p.deleted) return;
    const g = groups.get(p.name);
    if (g) g.push(i);
    else groups.set(p.name, [i]);
  });
  props.forEach((p, i) => {
    if (p.deleted) return;
    for (const j of groups.get(p.name)!) if (j > i) ctx.failProp(node, p, 'Duplicate property name');
  });
}

function checkNodeNameChars(ctx: CheckContext, node: Node): void {
  const n = strspn(node.name, ctx.check.data as string);
  if (n < node.name.length) ctx.fail(node, `Bad character '${node.name[n]}' in node name`);
}

function checkNodeNameCharsStrict(ctx: CheckContext, node: Node): void {
  const n = strspn(node.name, ctx.check.data as string);
  if (n < basenameLen(node.name)) ctx.fail(node, `Character '${node.name[n]}' not recommended in node name`);
}

function checkNodeNameFormat(ctx: CheckContext, node: Node): void {
  if (unitName(node.name).includes('@')) ctx.fail(node, "multiple '@' characters in node name");
}

function checkNodeNameVsPropertyName(ctx: CheckContext, node: Node): void {
  if (!node.parent) return;
  if (liveProps(node.parent).some((p) => p.name === node.name)) ctx.fail(node, 'node name and property name conflict');
}

function checkPropertyNameChars(ctx: CheckContext, node: Node): void {
  for (const p of liveProps(node)) {
    const n = strspn(p.name, ctx.check.data as string);
    if (n < p.name.length) ctx.failProp(node, p, `Bad character '${p.name[n]}' in property name`);
  }
}

function checkPropertyNameCharsStrict(ctx: CheckContext, node: Node): void {
  for (const p of liveProps(node)) {
    let name = p.name;
    let n = strspn(name, STRICT);
    if (n === name.length) continue;
    if (name === 'device_type') continue;
    if (name[n] === '#' && (n === 0 || name[n - 1] === ',')) {
      name = name.slice(n + 1);
      n = strspn(name, STRICT);
    }
    if (n < name.length) ctx.failProp(node, p, `Character '${name[n]}' not recommended in property name`);
  }
}

function descLabel(node: Node, prop: Property | undefined, mark: Marker | undefined): string {
  return `${mark ? 'value of ' : ''}${prop ? "'" : ''}${prop ? prop.name : ''}${prop ? "' in " : ''}${nodePath(node)}`;
}

type LabelOwner = [Node, Property | undefined, Marker | undefined];

/**
 * What dtc's lookups would find first for every label: a node label (pre-order), else a property
 * label, else a value label. Built once per run instead of three tree walks per label.
 */
function labelIndex(ctx: CheckContext): Map<string, LabelOwner> {
  let idx = ctx.state.get('labelIndex') as Map<string, LabelOwner> | undefined;
  if (idx) return idx;
  const nodes = new Map<string, LabelOwner>();
  const props = new Map<string, LabelOwner>();
  const marks = new Map<string, LabelOwner>();
  const walk = (n: Node): void => {
    for (const l of liveLabels(n)) if (!nodes.has(l)) nodes.set(l, [n, undefined, undefined]);
    for (const p of liveProps(n)) {
      for (const l of liveLabels(p)) if (!props.has(l)) props.set(l, [n, p, undefined]);
      for (const m of p.value.markers) if (m.type === MarkerType.Label && !marks.has(m.ref!)) marks.set(m.ref!, [n, p, m]);
    }
    for (const c of liveChildren(n)) walk(c);
  };
  walk(ctx.tree.root);
  // Node labels win over property labels, which win over value labels (only looked up, never iterated).
  idx = nodes;
  for (const [l, o] of props) if (!idx.has(l)) idx.set(l, o);
  for (const [l, o] of marks) if (!idx.has(l)) idx.set(l, o);
  ctx.state.set('labelIndex', idx);
  return idx;
}

function checkDuplicateLabel(ctx: CheckContext, label: string, node: Node, prop?: Property, mark?: Marker): void {
  const hit = labelIndex(ctx).get(label);
  if (!hit) return;
  const [otherNode, otherProp, otherMark] = hit;
  if (otherNode !== node || otherProp !== prop || otherMark !== mark) {
    ctx.fail(node, `Duplicate label '${label}' on ${descLabel(node, prop, mark)} and ${descLabel(otherNode, otherProp, otherMark)}`);
  }
}

function checkDuplicateLabelNode(ctx: CheckContext, node: Node): void {
  for (const l of liveLabels(node)) checkDuplicateLabel(ctx, l, node);
  for (const p of liveProps(node)) {
    for (const l of liveLabels(p)) checkDuplicateLabel(ctx, l, node, p);
    for (const m of p.value.markers) if (m.type === MarkerType.Label) checkDuplicateLabel(ctx, m.ref!, node, p, m);
  }
}

function checkPhandleProp(ctx: CheckContext, node: Node, propname: string): number {
  const prop = liveProps(node).find((p) => p.name === propname);
  if (!prop) return 0;
  if (prop.value.bytes.length !== 4) {
    ctx.failProp(node, prop, `bad length (${prop.value.bytes.length}) ${prop.name} property`);
    return 0;
  }
  for (const m of prop.value.markers) {
    if (m.type !== MarkerType.RefPhandle) continue;
    if (node !== getNodeByRef(ctx.tree.root, m.ref!)) ctx.fail(node, `${prop.name} is a reference to another node`);
    return 0;
  }
  const ph = readU32(prop.value.bytes);
  if (ph === 0 || ph === 0xffffffff) {
    ctx.failProp(node, prop, `bad value (0x${ph.toString(16)}) in ${prop.name} property`);
    return 0;
  }
  return ph;
}

function checkExplicitPhandles(ctx: CheckContext, node: Node): void {
  let phandle = checkPhandleProp(ctx, node, 'phandle');
  const linuxPhandle = checkPhandleProp(ctx, node, 'linux,phandle');
  if (!phandle && !linuxPhandle) return;
  if (linuxPhandle && phandle && phandle !== linuxPhandle) ctx.fail(node, "mismatching 'phandle' and 'linux,phandle' properties");
  if (linuxPhandle && !phandle) phandle = linuxPhandle;
  // get_node_by_phandle: only nodes before this one (pre-order) have phandles yet, so a map filled as
  // the check walks finds the same node without a tree walk per phandle.
  let seen = ctx.state.get('explicitPhandles') as Map<number, Node> | undefined;
  if (!seen) {
    // Phandles already set before the check (trees built in code) are found first, as dtc's walk would.
    const m = new Map<number, Node>();
    const walk = (n: Node): void => {
      if (n.phandle && n.phandle !== 0xffffffff && !m.has(n.phandle)) m.set(n.phandle, n);
      for (const c of n.children) if (!c.deleted) walk(c);
    };
    walk(ctx.tree.root);
    ctx.state.set('explicitPhandles', (seen = m));
  }
  const other = seen.get(phandle);
  if (other && other !== node) {
    ctx.fail(node, `duplicated phandle 0x${phandle.toString(16)} (seen before at ${nodePath(other)})`);
    return;
  }
  node.phandle = phandle;
  if (!seen.has(phandle)) seen.set(phandle, node);
}

function checkIsString(ctx: CheckContext, node: Node): void {
  const prop = liveProps(node).find((p) => p.name === ctx.check.data);
  if (!prop) return;
  const b = prop.value.bytes;
  const ok = b.length > 0 && b[b.length - 1] === 0 && b.indexOf(0) === b.length - 1;
  if (!ok) ctx.failProp(node, prop, 'property is not a string');
}

function checkNameProperties(ctx: CheckContext, node: Node): void {
  const idx = node.properties.findIndex((p) => p.name === 'name');
  if (idx < 0) return;
  const prop = node.properties[idx]!;
  const bl = basenameLen(node.name);
  const b = prop.value.bytes;
  let same = b.length === bl + 1;
  for (let i = 0; same && i < bl; i++) if (b[i] !== node.name.charCodeAt(i)) same = false;
  if (!same) {
    const nul = b.indexOf(0);
    const shown = String.fromCharCode(...b.subarray(0, nul < 0 ? b.length : nul));
    ctx.fail(node, `"name" property is incorrect ("${shown}" instead of base node name)`);
  } else {
    node.properties.splice(idx, 1);
  }
}

function allocator(ctx: CheckContext): PhandleAllocator {
  const a = ctx.state.get('phandles') as PhandleAllocator | undefined;
  if (!a) throw new Error('phandle_references: no phandle allocator in the check state');
  return a;
}

/**
 * get_node_by_ref with the label lookups served from one index (the first live node in pre-order
 * carrying the label, as get_node_by_label finds it): references do not change labels or nodes.
 */
function refLookup(ctx: CheckContext, ref: string): Node | undefined {
  if (ref === '/' || ref[0] === '/') return getNodeByRef(ctx.tree.root, ref);
  let idx = ctx.state.get('refLabels') as Map<string, Node> | undefined;
  if (!idx) {
    idx = new Map();
    const m = idx;
    const walk = (n: Node): void => {
      for (const l of liveLabels(n)) if (!m.has(l)) m.set(l, n);
      for (const c of n.children) if (!c.deleted) walk(c);
    };
    walk(ctx.tree.root);
    ctx.state.set('refLabels', idx);
  }
  return idx.get(ref);
}

function fixupPhandleReferences(ctx: CheckContext, node: Node): void {
  for (const p of liveProps(node)) {
    for (const m of p.value.markers) {
      if (m.type !== MarkerType.RefPhandle) continue;
      const ref = refLookup(ctx, m.ref!);
      if (!ref) {
        if (!ctx.plugin) ctx.fail(node, `Reference to non-existent node or label "${m.ref}"\n`);
        else writeU32(p.value.bytes, m.offset, 0xffffffff);
        continue;
      }
      const ph = allocator(ctx).get(ref);
      writeU32(p.value.bytes, m.offset, ph);
      ref.isReferenced = true;
    }
  }
}

function fixupPathReferences(ctx: CheckContext, node: Node): void {
  for (const p of liveProps(node)) {
    const ms = p.value.markers;
    for (let i = 0; i < ms.length; i++) {
      const m = ms[i]!;
      if (m.type !== MarkerType.RefPath) continue;
      const ref = refLookup(ctx, m.ref!);
      if (!ref) {
        ctx.fail(node, `Reference to non-existent node or label "${m.ref}"\n`);
        continue;
      }
      const path = latin1Bytes(nodePath(ref) + '\0');
      const old = p.value.bytes;
      const nb = new Uint8Array(old.length + path.length);
      nb.set(old.subarray(0, m.offset));
      nb.set(path, m.offset);
      nb.set(old.subarray(m.offset), m.offset + path.length);
      for (let j = i + 1; j < ms.length; j++) ms[j]!.offset += path.length;
      p.value = { bytes: nb, markers: ms };
      ref.isReferenced = true;
    }
  }
}

function fixupOmitUnusedNodes(ctx: CheckContext, node: Node): void {
  if (ctx.symbols && node.labels.length) return;
  if (node.omitIfNoRef && !node.isReferenced) deleteNode(node);
}

const d = (name: string, level: 'warn' | 'error' | 'check', fn: CheckDescriptor['fn'], data?: unknown, prereqs: string[] = []): CheckDescriptor => {
  const c: CheckDescriptor = { name, warn: level === 'warn', error: level === 'error', prereqs };
  if (fn) c.fn = fn;
  if (data !== undefined) c.data = data;
  return c;
};

export const structuralChecks: CheckDescriptor[] = [
  d('always_fail', 'check', (ctx, node) => ctx.fail(node, 'always_fail check')),
  d('duplicate_node_names', 'error', checkDuplicateNodeNames),
  d('duplicate_property_names', 'error', checkDuplicatePropertyNames),
  d('node_name_chars', 'error', checkNodeNameChars, NODECHARS),
  d('node_name_chars_strict', 'check', checkNodeNameCharsStrict, STRICT),
  d('node_name_format', 'error', checkNodeNameFormat, undefined, ['node_name_chars']),
  d('node_name_vs_property_name', 'warn', checkNodeNameVsPropertyName, undefined, ['node_name_chars']),
  d('property_name_chars', 'error', checkPropertyNameChars, PROPCHARS),
  d('property_name_chars_strict', 'check', checkPropertyNameCharsStrict, STRICT),
  d('duplicate_label', 'error', checkDuplicateLabelNode),
  d('explicit_phandles', 'error', checkExplicitPhandles),
  d('name_is_string', 'error', checkIsString, 'name'),
  d('name_properties', 'error', checkNameProperties, undefined, ['name_is_string']),
  d('phandle_references', 'error', fixupPhandleReferences, undefined, ['duplicate_node_names', 'explicit_phandles']),
  d('path_references', 'error', fixupPathReferences, undefined, ['duplicate_node_names']),
  d('omit_unused_nodes', 'error', fixupOmitUnusedNodes, undefined, ['phandle_references', 'path_references']),
];
