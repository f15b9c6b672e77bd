// The language features over a DtsWorkspace: diagnostics (the compiler's, with dtc's check names), outline,
// definition/references/rename of labels, includes, hover (resolved phandles, translated addresses,
// interrupt parents) and completion. Paths are file-system paths; main.ts converts to and from URIs.
import {
  CompletionItemKind, DiagnosticSeverity, InsertTextFormat, MarkupKind, SymbolKind,
  type CompletionItem, type Diagnostic as LspDiagnostic, type DocumentSymbol, type Hover, type Range,
} from 'vscode-languageserver';
import type { DeviceTree, Node, Diagnostic } from '../devicetree/model';
import { getProperty, nodePath } from '../devicetree/model';
import type { DtBackend, BackendAddressMap } from './backend';
import type { FileInfo, DtsWorkspace } from './workspace';
import type { LabelDef, RefUse, ScanNode, Span } from './scan';
import { GENERIC_NODE_NAMES, STANDARD_PROPERTIES, STATUS_VALUES } from './standard-names';

export interface Loc {
  path: string;
  range: Range;
}

export interface Compiled {
  tree?: DeviceTree;
  diagnostics: Diagnostic[];
  map?: BackendAddressMap;
  /** Milliseconds the compile took (for the benchmark and the log). */
  ms: number;
}

const hex = (v: bigint | number) => `0x${v.toString(16)}`;

export class DtsFeatures {
  private readonly compiled = new Map<string, { key: string; result: Compiled }>();

  constructor(
    readonly ws: DtsWorkspace,
    private readonly backend: DtBackend,
  ) {}

  private range(f: FileInfo, s: Span): Range {
    return { start: f.lines.position(s.start), end: f.lines.position(s.end) };
  }

  /** Compiles the file with its includes; cached until any file of its unit changes. */
  compile(path: string): Compiled {
    const unit = this.ws.unit(path);
    const key = unit.map((f) => `${f.path}\0${f.text.length}\0${hashText(f.text)}`).join('\n');
    const hit = this.compiled.get(path);
    if (hit && hit.key === key) return hit.result;
    const t0 = performance.now();
    const text = this.ws.readText(path) ?? '';
    let result: Compiled;
    try {
      const out = this.backend.compile(text, path, this.ws.includePaths(path), (p) => this.ws.readText(p));
      let map: BackendAddressMap | undefined;
      if (out.tree) {
        try {
          map = this.backend.addressMap(out.tree);
        } catch {
          map = undefined;
        }
      }
      result = { tree: out.tree, diagnostics: out.diagnostics, map, ms: 0 };
    } catch (e) {
      result = { diagnostics: [{ severity: 'error', message: `internal error in the device-tree compiler: ${(e as Error).message}` }], ms: 0 };
    }
    result.ms = performance.now() - t0;
    this.compiled.set(path, { key, result });
    return result;
  }

  diagnostics(path: string): LspDiagnostic[] {
    const f = this.ws.get(path);
    if (!f) return [];
    const c = this.compile(path);
    const out: LspDiagnostic[] = [];
    const all = [...c.diagnostics, ...(c.map?.diagnostics ?? [])];
    // dtc's closing "Unable to parse input tree" repeats the positioned syntax error; one squiggle is enough.
    const positionedError = all.some((d) => d.severity === 'error' && d.pos);
    let leading: Map<string, Span> | undefined;
    for (const d of all) {
      if (!d.pos && positionedError && /^Unable to parse input tree/.test(d.message)) continue;
      const severity = d.severity === 'error' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning;
      const base = { severity, source: 'dtc', code: d.check, message: d.message.trimEnd() };
      if (d.pos && d.pos.file === path) {
        out.push({ ...base, range: this.posRange(d.pos) });
        continue;
      }
      // A problem in an included file: show it on the #include line that brings that file in.
      const inc = d.pos ? (leading ??= this.includesLeadingTo(f)).get(d.pos.file) : undefined;
      const where = d.pos ? `${d.pos.file}:${d.pos.line}:${d.pos.column}: ` : '';
      out.push({ ...base, message: `${where}${d.message}`, range: inc ? this.range(f, inc) : { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } });
    }
    return out;
  }

  private posRange(p: { line: number; column: number; endLine: number; endColumn: number }): Range {
    const start = { line: Math.max(0, p.line - 1), character: Math.max(0, p.column - 1) };
    let end = { line: Math.max(0, p.endLine - 1), character: Math.max(0, p.endColumn - 1) };
    if (end.line < start.line || (end.line === start.line && end.character <= start.character)) end = { line: start.line, character: start.character + 1 };
    return { start, end };
  }

  /**
   * For each file the unit of `f` includes, the #include line of `f` that brings it in (the first one). Built
   * once per diagnostics run: a big board has dozens of diagnostics in included files and dozens of includes.
   */
  private includesLeadingTo(f: FileInfo): Map<string, Span> {
    const out = new Map<string, Span>();
    for (const inc of f.scan.includes) {
      const r = this.ws.resolveInclude(f.path, inc);
      if (!r) continue;
      for (const u of this.ws.unit(r)) if (!out.has(u.path)) out.set(u.path, inc.span);
    }
    return out;
  }

  symbols(path: string): DocumentSymbol[] {
    const f = this.ws.get(path);
    if (!f) return [];
    const conv = (n: ScanNode): DocumentSymbol => {
      const range = this.range(f, n.span);
      const sel = this.range(f, n.nameSpan);
      return {
        name: n.name || '(unnamed)',
        detail: n.labels.map((l) => `${l.name}:`).join(' ') || undefined,
        kind: n.extends ? SymbolKind.Object : n.name === '/' ? SymbolKind.Namespace : SymbolKind.Module,
        range,
        selectionRange: sel,
        children: [
          ...n.properties.filter((p) => !p.deleted).map((p) => ({ name: p.name, kind: SymbolKind.Property, range: this.range(f, p.span), selectionRange: this.range(f, p.nameSpan) })),
          ...n.children.filter((c) => !c.deleted).map(conv),
        ],
      };
    };
    return f.scan.roots.map(conv);
  }

  /** Files whose labels are visible from `path`: its unit, plus units of open files that include it. */
  private visibleFiles(path: string): FileInfo[] {
    const seen = new Map<string, FileInfo>();
    for (const f of this.ws.unit(path)) seen.set(f.path, f);
    for (const inc of this.ws.includers(path)) for (const f of this.ws.unit(inc.path)) seen.set(f.path, f);
    return [...seen.values()];
  }

  private labelDefs(path: string, name: string): { file: FileInfo; def: LabelDef }[] {
    const out: { file: FileInfo; def: LabelDef }[] = [];
    for (const f of this.visibleFiles(path)) for (const d of f.scan.labels) if (d.name === name) out.push({ file: f, def: d });
    return out;
  }

  private labelAt(f: FileInfo, offset: number): { name: string; span: Span; kind: 'def' | 'ref' } | undefined {
    for (const d of f.scan.labels) if (offset >= d.span.start && offset <= d.span.end) return { name: d.name, span: d.span, kind: 'def' };
    for (const r of f.scan.refs) if (!r.isPath && offset >= r.span.start && offset <= r.span.end) return { name: r.target, span: r.nameSpan, kind: 'ref' };
    return undefined;
  }

  definition(path: string, line: number, character: number): Loc[] {
    const f = this.ws.get(path);
    if (!f) return [];
    const off = f.lines.offset(line, character);
    for (const inc of f.scan.includes) {
      if (off >= inc.span.start && off <= inc.span.end) {
        const r = this.ws.resolveInclude(path, inc);
        return r ? [{ path: r, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } }] : [];
      }
    }
    const ref = f.scan.refs.find((r) => off >= r.span.start && off <= r.span.end);
    if (ref?.isPath) {
      const n = this.findScanNodeByPath(path, ref.target);
      return n ? [{ path: n.file.path, range: this.range(n.file, n.node.nameSpan) }] : [];
    }
    const l = this.labelAt(f, off);
    if (!l) return [];
    return this.labelDefs(path, l.name).map(({ file, def }) => ({ path: file.path, range: this.range(file, def.span) }));
  }

  references(path: string, line: number, character: number, includeDeclaration: boolean): Loc[] {
    const f = this.ws.get(path);
    if (!f) return [];
    const l = this.labelAt(f, f.lines.offset(line, character));
    if (!l) return [];
    return this.labelOccurrences(path, l.name, includeDeclaration);
  }

  private labelOccurrences(path: string, name: string, includeDeclaration: boolean): Loc[] {
    const out: Loc[] = [];
    for (const file of this.visibleFiles(path)) {
      if (includeDeclaration) for (const d of file.scan.labels) if (d.name === name) out.push({ path: file.path, range: this.range(file, d.span) });
      for (const r of file.scan.refs) if (!r.isPath && r.target === name) out.push({ path: file.path, range: this.range(file, r.nameSpan) });
    }
    return out;
  }

  prepareRename(path: string, line: number, character: number): Range | undefined {
    const f = this.ws.get(path);
    if (!f) return undefined;
    const l = this.labelAt(f, f.lines.offset(line, character));
    return l ? this.range(f, l.span) : undefined;
  }

  /** Edits per file, or an error message when the new name is not a valid label or already in use. */
  rename(path: string, line: number, character: number, newName: string): Map<string, { range: Range; newText: string }[]> | string {
    const f = this.ws.get(path);
    if (!f) return 'no such document';
    const l = this.labelAt(f, f.lines.offset(line, character));
    if (!l) return 'Only labels can be renamed.';
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(newName)) return `"${newName}" is not a valid label (letters, digits and _, not starting with a digit).`;
    if (newName !== l.name && this.labelDefs(path, newName).length) return `The label "${newName}" is already defined.`;
    const edits = new Map<string, { range: Range; newText: string }[]>();
    for (const loc of this.labelOccurrences(path, l.name, true)) {
      const list = edits.get(loc.path) ?? edits.set(loc.path, []).get(loc.path)!;
      if (!list.some((e) => e.range.start.line === loc.range.start.line && e.range.start.character === loc.range.start.character)) list.push({ range: loc.range, newText: newName });
    }
    return edits;
  }

  /** The node path a label names, by the compiled tree when there is one, else by the scan. */
  private labelPath(path: string, label: string, tree: DeviceTree | undefined): string | undefined {
    if (tree) {
      const n = findNode(tree.root, (x) => x.labels.includes(label));
      if (n) return nodePath(n);
    }
    const d = this.labelDefs(path, label)[0];
    return d?.def.node ? this.scanPath(path, d.def.node, 0) : undefined;
  }

  private scanPath(path: string, n: ScanNode, depth: number): string | undefined {
    if (depth > 32) return undefined;
    if (!n.parent) {
      if (n.name === '/') return '/';
      if (n.extends) return n.extends.isPath ? n.extends.target : this.labelPath(path, n.extends.target, undefined);
      return undefined;
    }
    const p = this.scanPath(path, n.parent, depth + 1);
    if (p === undefined || !n.name) return undefined;
    return p === '/' ? `/${n.name}` : `${p}/${n.name}`;
  }

  private findScanNodeByPath(path: string, target: string): { file: FileInfo; node: ScanNode } | undefined {
    for (const file of this.visibleFiles(path)) {
      const stack = [...file.scan.roots];
      while (stack.length) {
        const n = stack.pop()!;
        if (this.scanPath(path, n, 0) === target) return { file, node: n };
        stack.push(...n.children);
      }
    }
    return undefined;
  }

  hover(path: string, line: number, character: number): Hover | undefined {
    const f = this.ws.get(path);
    if (!f) return undefined;
    const off = f.lines.offset(line, character);
    const c = this.compile(path);
    const ref = f.scan.refs.find((r) => off >= r.span.start && off <= r.span.end);
    const label = ref ? undefined : f.scan.labels.find((d) => off >= d.span.start && off <= d.span.end);
    const node = ref || label ? undefined : innermostNodeName(f.scan.roots, off);
    const prop = ref || label || node ? undefined : innermostProperty(f.scan.roots, off);
    let nodePathText: string | undefined;
    let span: Span | undefined;
    if (ref) {
      nodePathText = ref.isPath ? ref.target : this.labelPath(path, ref.target, c.tree);
      span = ref.span;
      if (!nodePathText) return { contents: { kind: MarkupKind.Markdown, value: `**&${ref.target}**: no node has this label` }, range: this.range(f, span) };
    } else if (label) {
      nodePathText = label.node ? this.labelPath(path, label.name, c.tree) : undefined;
      span = label.span;
    } else if (node) {
      nodePathText = this.scanPath(path, node, 0);
      span = node.nameSpan;
    } else if (prop) {
      const std = STANDARD_PROPERTIES.find((s) => s.name === prop.prop.name);
      const parts: string[] = [`**${prop.prop.name}**`];
      if (std) parts.push(std.doc);
      const p = this.scanPath(path, prop.node, 0);
      const tn = p && c.tree ? findByPath(c.tree, p) : undefined;
      const tp = tn ? getProperty(tn, prop.prop.name) : undefined;
      if (tp && tn && c.tree) parts.push(...describeValue(c.tree, tn, tp.name));
      return { contents: { kind: MarkupKind.Markdown, value: parts.join('\n\n') }, range: this.range(f, prop.prop.nameSpan) };
    }
    if (!span) return undefined;
    const lines: string[] = [];
    const tn = nodePathText && c.tree ? findByPath(c.tree, nodePathText) : undefined;
    lines.push(`**${nodePathText ?? (label ? `${label.name}:` : '?')}**`);
    if (tn && c.tree) lines.push(...describeNode(c.tree, tn, c.map));
    else if (!c.tree) lines.push('_(the file does not compile, so addresses and phandles are not known)_');
    return { contents: { kind: MarkupKind.Markdown, value: lines.join('\n\n') }, range: this.range(f, span) };
  }

  completion(path: string, line: number, character: number): CompletionItem[] {
    const f = this.ws.get(path);
    if (!f) return [];
    const off = f.lines.offset(line, character);
    const lineText = f.text.slice(f.lines.offset(line, 0), off);
    if (/&\{[^}]*$/.test(lineText)) {
      return this.allNodePaths(path).map((p) => ({ label: p, kind: CompletionItemKind.Folder }));
    }
    if (/&[A-Za-z0-9_]*$/.test(lineText)) {
      const seen = new Set<string>();
      const items: CompletionItem[] = [];
      for (const file of this.visibleFiles(path)) {
        for (const d of file.scan.labels) {
          if (seen.has(d.name)) continue;
          seen.add(d.name);
          items.push({ label: d.name, kind: CompletionItemKind.Reference, detail: d.node ? this.scanPath(path, d.node, 0) : undefined });
        }
      }
      return items;
    }
    if (/status\s*=\s*"[a-z]*$/.test(lineText)) return STATUS_VALUES.map((v) => ({ label: v, kind: CompletionItemKind.EnumMember }));
    if (/^\s*[A-Za-z0-9,._+#?@-]*$/.test(lineText) && innermostNode(f.scan.roots, off)) {
      const items: CompletionItem[] = STANDARD_PROPERTIES.map((p) => ({
        label: p.name,
        kind: CompletionItemKind.Property,
        documentation: p.doc,
        insertText: p.snippet ?? `${p.name};`,
        insertTextFormat: InsertTextFormat.Snippet,
      }));
      for (const n of GENERIC_NODE_NAMES) items.push({ label: n, kind: CompletionItemKind.Module, detail: 'node', insertText: `${n}\${1:@\${2:0}} {\n\t$0\n};`, insertTextFormat: InsertTextFormat.Snippet });
      for (const d of ['/delete-node/', '/delete-property/', '/omit-if-no-ref/']) items.push({ label: d, kind: CompletionItemKind.Keyword });
      return items;
    }
    if (/^\s*\/?[a-z-]*$/.test(lineText)) {
      return ['/dts-v1/;', '/plugin/;', '/memreserve/', '/include/', '/ {'].map((k) => ({ label: k, kind: CompletionItemKind.Keyword }));
    }
    return [];
  }

  private allNodePaths(path: string): string[] {
    const c = this.compile(path);
    if (!c.tree) return [];
    const out: string[] = [];
    const walk = (n: Node) => {
      out.push(nodePath(n));
      n.children.forEach(walk);
    };
    walk(c.tree.root);
    return out;
  }
}

function hashText(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

function findNode(n: Node, pred: (n: Node) => boolean): Node | undefined {
  if (!n.deleted && pred(n)) return n;
  for (const c of n.children) {
    const r = findNode(c, pred);
    if (r) return r;
  }
  return undefined;
}

export function findByPath(tree: DeviceTree, path: string): Node | undefined {
  if (path === '/') return tree.root;
  let n: Node | undefined = tree.root;
  for (const part of path.split('/').filter(Boolean)) {
    n = n.children.find((c) => !c.deleted && (c.name === part || (!part.includes('@') && c.name.split('@')[0] === part)));
    if (!n) return undefined;
  }
  return n;
}

function cellsOf(tree: DeviceTree, n: Node, name: string): number[] | undefined {
  const p = getProperty(n, name);
  if (!p || p.value.bytes.length % 4) return undefined;
  const dv = new DataView(p.value.bytes.buffer, p.value.bytes.byteOffset, p.value.bytes.byteLength);
  const out: number[] = [];
  for (let i = 0; i < p.value.bytes.length; i += 4) out.push(dv.getUint32(i));
  return out;
}

function byPhandle(tree: DeviceTree, ph: number): Node | undefined {
  return findNode(tree.root, (n) => n.phandle === ph || cellsOf(tree, n, 'phandle')?.[0] === ph);
}

/** The interrupt parent as the spec defines it: interrupt-parent here or on the nearest ancestor. */
function interruptParent(tree: DeviceTree, n: Node): Node | undefined {
  for (let x: Node | null = n; x; x = x.parent) {
    const ph = cellsOf(tree, x, 'interrupt-parent');
    if (ph?.length) return byPhandle(tree, ph[0]);
  }
  return undefined;
}

function describeNode(tree: DeviceTree, n: Node, map: BackendAddressMap | undefined): string[] {
  const out: string[] = [];
  const path = nodePath(n);
  const compat = getProperty(n, 'compatible');
  if (compat) out.push(`compatible: ${splitStrings(compat.value.bytes).map((s) => `\`${s}\``).join(', ')}`);
  if (n.labels.length) out.push(`labels: ${n.labels.join(', ')}`);
  const ph = n.phandle || cellsOf(tree, n, 'phandle')?.[0] || cellsOf(tree, n, 'linux,phandle')?.[0];
  if (ph) out.push(`phandle: ${ph} (${hex(ph)})`);
  const regions = map?.regions.filter((r) => r.path === path) ?? [];
  for (const r of regions) {
    const base = r.cpuAddress ?? r.busAddress;
    const text = `${hex(base)}..${hex(base + (r.size > 0n ? r.size - 1n : 0n))}`;
    out.push(`reg[${r.index}]: ${r.cpuAddress === undefined ? `bus ${text} (not translatable to a CPU address)` : `CPU ${text}${r.cpuAddress !== r.busAddress ? ` (bus ${hex(r.busAddress)})` : ''}`}, size ${hex(r.size)}${r.overlapsWith.length ? ` — **overlaps** ${r.overlapsWith.join(', ')}` : ''}`);
  }
  const irqs = map?.interrupts.filter((i) => i.path === path) ?? [];
  for (const i of irqs) out.push(`interrupt[${i.index}]: <${i.specifier.map((c) => hex(c)).join(' ')}> → ${i.controllerPath ?? '(no controller)'}${i.via.length ? ` via ${i.via.join(', ')}` : ''}`);
  if (getProperty(n, 'interrupts')) {
    const ip = interruptParent(tree, n);
    out.push(`interrupt parent: ${ip ? nodePath(ip) : '(none found)'}`);
  }
  const status = getProperty(n, 'status');
  if (status) out.push(`status: ${splitStrings(status.value.bytes)[0] ?? ''}`);
  return out;
}

function describeValue(tree: DeviceTree, n: Node, name: string): string[] {
  const p = getProperty(n, name)!;
  const out: string[] = [];
  const refs = p.value.markers.filter((m) => (m.type as string) === 'ref-phandle' && m.ref);
  for (const m of refs) {
    const dv = new DataView(p.value.bytes.buffer, p.value.bytes.byteOffset, p.value.bytes.byteLength);
    const ph = m.offset + 4 <= p.value.bytes.length ? dv.getUint32(m.offset) : 0;
    const target = ph ? byPhandle(tree, ph) : undefined;
    out.push(`\`&${m.ref}\` = phandle ${ph} → ${target ? nodePath(target) : '(unresolved)'}`);
  }
  if (name === 'interrupts' || name === 'interrupts-extended') {
    const ip = interruptParent(tree, n);
    out.push(`interrupt parent: ${ip ? nodePath(ip) : '(none found)'}`);
  }
  if (!refs.length && (name === 'interrupt-parent' || name === 'phandle')) {
    const v = cellsOf(tree, n, name)?.[0];
    if (v !== undefined && name === 'interrupt-parent') {
      const t = byPhandle(tree, v);
      out.push(`phandle ${v} → ${t ? nodePath(t) : '(unresolved)'}`);
    }
  }
  return out;
}

function splitStrings(b: Uint8Array): string[] {
  return new TextDecoder().decode(b).split('\0').filter((s, i, a) => s || i < a.length - 1);
}

function innermostNode(roots: ScanNode[], off: number): ScanNode | undefined {
  for (const n of roots) {
    if (off > n.nameSpan.end && off < n.span.end) return innermostNode(n.children, off) ?? n;
  }
  return undefined;
}

function innermostNodeName(roots: ScanNode[], off: number): ScanNode | undefined {
  for (const n of roots) {
    if (off >= n.nameSpan.start && off <= n.nameSpan.end && n.name) return n;
    if (off >= n.span.start && off <= n.span.end) {
      const c = innermostNodeName(n.children, off);
      if (c) return c;
    }
  }
  return undefined;
}

function innermostProperty(roots: ScanNode[], off: number): { node: ScanNode; prop: ScanNode['properties'][number] } | undefined {
  const n = innermostNode(roots, off);
  if (!n) return undefined;
  const prop = n.properties.find((p) => off >= p.nameSpan.start && off <= p.nameSpan.end);
  return prop ? { node: n, prop } : undefined;
}

export type { RefUse };
