// An error-tolerant structural scan of one DTS file, for the editor features (outline, labels, &refs,
// includes, completion context). The compiler in src/devicetree/ gives the semantics and diagnostics; this
// scan gives positions for text that is mid-edit and does not compile, which an editor meets all the time.

/** Zero-based offsets into the scanned text. */
export interface Span {
  start: number;
  end: number;
}

export interface LabelDef {
  name: string;
  span: Span;
  /** The node the label names (labels on properties or values have none). */
  node?: ScanNode;
}

export interface RefUse {
  /** A label name, or a path for `&{/path}`. */
  target: string;
  isPath: boolean;
  /** The whole `&name` / `&{/path}` text. */
  span: Span;
  /** Just the name (without `&`, braces), for rename. */
  nameSpan: Span;
}

export interface ScanProperty {
  name: string;
  nameSpan: Span;
  span: Span;
  deleted: boolean;
}

export interface ScanNode {
  /** Node name with unit address; '/' for the root; '&label' or '&{/path}' for a reference to extend. */
  name: string;
  nameSpan: Span;
  /** From the first label (or name) to the closing brace, or to the end of text if unclosed. */
  span: Span;
  labels: LabelDef[];
  /** For `&label { ... }` at the top level: what it extends. */
  extends?: RefUse;
  properties: ScanProperty[];
  children: ScanNode[];
  parent?: ScanNode;
  deleted: boolean;
}

export interface IncludeUse {
  file: string;
  /** `#include <x>` searches the include paths only; `"x"` and `/include/` start beside the file. */
  system: boolean;
  span: Span;
  fileSpan: Span;
}

export interface ScanResult {
  roots: ScanNode[];
  labels: LabelDef[];
  refs: RefUse[];
  includes: IncludeUse[];
  macros: { name: string; span: Span }[];
}

type TokKind = 'word' | 'punct' | 'string' | 'directive' | 'ref' | 'label' | 'char';
interface Tok {
  kind: TokKind;
  text: string;
  start: number;
  end: number;
  ref?: RefUse;
}

const WORD = /[A-Za-z0-9,._+*#?@$-]/;
const LABEL_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;
const PP_DIRECTIVES = new Set(['include', 'define', 'undef', 'if', 'ifdef', 'ifndef', 'else', 'elif', 'endif', 'error', 'warning', 'pragma', 'line']);

function lex(text: string, out: ScanResult): Tok[] {
  const toks: Tok[] = [];
  const n = text.length;
  let i = 0;
  let lineStart = true;
  while (i < n) {
    const c = text[i];
    if (c === '\n') {
      lineStart = true;
      i++;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v') {
      i++;
      continue;
    }
    if (c === '/' && text[i + 1] === '/') {
      while (i < n && text[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const e = text.indexOf('*/', i + 2);
      i = e < 0 ? n : e + 2;
      continue;
    }
    const atLineStart = lineStart;
    lineStart = false;
    if (c === '#' && atLineStart) {
      const m = /^#[ \t]*([A-Za-z_]+)/.exec(text.slice(i, i + 40));
      if (m && PP_DIRECTIVES.has(m[1])) {
        i = scanPreprocessorLine(text, i, m[1], out);
        lineStart = true;
        continue;
      }
    }
    if (c === '"') {
      let j = i + 1;
      while (j < n && text[j] !== '"' && text[j] !== '\n') j += text[j] === '\\' ? 2 : 1;
      j = Math.min(n, j + 1);
      toks.push({ kind: 'string', text: text.slice(i, j), start: i, end: j });
      i = j;
      continue;
    }
    if (c === "'") {
      let j = i + 1;
      while (j < n && text[j] !== "'" && text[j] !== '\n') j += text[j] === '\\' ? 2 : 1;
      j = Math.min(n, j + 1);
      toks.push({ kind: 'char', text: text.slice(i, j), start: i, end: j });
      i = j;
      continue;
    }
    if (c === '/' && /[a-z]/.test(text[i + 1] ?? '')) {
      const m = /^\/[a-z-]+\//.exec(text.slice(i, i + 24));
      if (m) {
        toks.push({ kind: 'directive', text: m[0], start: i, end: i + m[0].length });
        i += m[0].length;
        continue;
      }
    }
    if (c === '&') {
      if (text[i + 1] === '{') {
        const close = text.indexOf('}', i + 2);
        const e = close < 0 ? n : close + 1;
        const ref: RefUse = { target: text.slice(i + 2, close < 0 ? n : close), isPath: true, span: { start: i, end: e }, nameSpan: { start: i + 2, end: close < 0 ? n : close } };
        toks.push({ kind: 'ref', text: text.slice(i, e), start: i, end: e, ref });
        i = e;
        continue;
      }
      let j = i + 1;
      while (j < n && /[A-Za-z0-9_]/.test(text[j])) j++;
      if (j > i + 1) {
        const ref: RefUse = { target: text.slice(i + 1, j), isPath: false, span: { start: i, end: j }, nameSpan: { start: i + 1, end: j } };
        toks.push({ kind: 'ref', text: text.slice(i, j), start: i, end: j, ref });
        i = j;
        continue;
      }
      toks.push({ kind: 'punct', text: '&', start: i, end: i + 1 });
      i++;
      continue;
    }
    if (WORD.test(c)) {
      let j = i + 1;
      while (j < n && WORD.test(text[j])) j++;
      const word = text.slice(i, j);
      if (text[j] === ':' && LABEL_RE.test(word)) {
        toks.push({ kind: 'label', text: word, start: i, end: j });
        i = j + 1;
        continue;
      }
      toks.push({ kind: 'word', text: word, start: i, end: j });
      i = j;
      continue;
    }
    toks.push({ kind: 'punct', text: c, start: i, end: i + 1 });
    i++;
  }
  return toks;
}

/** Records #include and #define; returns the offset after the (possibly continued) line. */
function scanPreprocessorLine(text: string, i: number, directive: string, out: ScanResult): number {
  let e = i;
  for (;;) {
    const nl = text.indexOf('\n', e);
    if (nl < 0) {
      e = text.length;
      break;
    }
    if (text[nl - 1] === '\\' || (text[nl - 1] === '\r' && text[nl - 2] === '\\')) {
      e = nl + 1;
      continue;
    }
    e = nl;
    break;
  }
  const line = text.slice(i, e);
  if (directive === 'include') {
    const m = /^#[ \t]*include[ \t]*(["<])([^">\n]*)[">]?/.exec(line);
    if (m) {
      const fileStart = i + m[0].indexOf(m[1]) + 1;
      out.includes.push({ file: m[2], system: m[1] === '<', span: { start: i, end: i + m[0].length }, fileSpan: { start: fileStart, end: fileStart + m[2].length } });
    }
  } else if (directive === 'define') {
    const m = /^#[ \t]*define[ \t]+([A-Za-z_][A-Za-z0-9_]*)/.exec(line);
    if (m) {
      const s = i + m[0].length - m[1].length;
      out.macros.push({ name: m[1], span: { start: s, end: s + m[1].length } });
    }
  }
  return e;
}

class Parser {
  private p = 0;
  constructor(
    private readonly toks: Tok[],
    private readonly out: ScanResult,
    private readonly textLength: number,
  ) {}

  private peek(k = 0): Tok | undefined {
    return this.toks[this.p + k];
  }

  private isPunct(t: Tok | undefined, c: string): boolean {
    return !!t && t.kind === 'punct' && t.text === c;
  }

  run(): void {
    while (this.p < this.toks.length) this.statement(undefined);
  }

  /** Skips to just after the next ';' at this nesting level (or before a '}' that closes the node). */
  private skipStatement(): void {
    let depth = 0;
    while (this.p < this.toks.length) {
      const t = this.toks[this.p];
      if (t.kind === 'ref' && t.ref) this.out.refs.push(t.ref);
      if (t.kind === 'label') this.out.labels.push({ name: t.text, span: { start: t.start, end: t.end } });
      if (t.kind === 'punct') {
        if (t.text === '<' || t.text === '[' || t.text === '(') depth++;
        else if (t.text === '>' || t.text === ']' || t.text === ')') depth = Math.max(0, depth - 1);
        else if (t.text === ';' && depth === 0) {
          this.p++;
          return;
        } else if ((t.text === '}' || t.text === '{') && depth === 0) return;
      }
      this.p++;
    }
  }

  private statement(parent: ScanNode | undefined): void {
    const start = this.peek();
    if (!start) return;
    if (start.kind === 'directive') {
      this.p++;
      if (start.text === '/include/') {
        const f = this.peek();
        if (f?.kind === 'string') {
          this.p++;
          const file = f.text.slice(1, f.text.endsWith('"') && f.text.length > 1 ? -1 : undefined);
          this.out.includes.push({ file, system: false, span: { start: start.start, end: f.end }, fileSpan: { start: f.start + 1, end: f.start + 1 + file.length } });
        }
        return;
      }
      if (start.text === '/omit-if-no-ref/') return;
      if (start.text === '/delete-node/') {
        const t = this.peek();
        if (t?.kind === 'ref' && t.ref) this.out.refs.push(t.ref);
        if (t && parent && t.kind === 'word') {
          const gone = parent.children.find((c) => c.name === t.text);
          if (gone) gone.deleted = true;
        }
        this.skipStatement();
        return;
      }
      if (start.text === '/delete-property/') {
        const t = this.peek();
        if (t && parent && t.kind === 'word') parent.properties.push({ name: t.text, nameSpan: { start: t.start, end: t.end }, span: { start: start.start, end: t.end }, deleted: true });
        this.skipStatement();
        return;
      }
      this.skipStatement();
      return;
    }
    if (this.isPunct(start, '}')) {
      this.p++;
      return;
    }
    if (this.isPunct(start, ';')) {
      this.p++;
      return;
    }
    const labels: LabelDef[] = [];
    while (this.peek()?.kind === 'label') {
      const l = this.peek()!;
      labels.push({ name: l.text, span: { start: l.start, end: l.end } });
      this.p++;
    }
    const head = this.peek();
    if (!head) {
      this.out.labels.push(...labels);
      return;
    }
    const next = this.peek(1);
    const nodeName = head.kind === 'word' || head.kind === 'ref' || this.isPunct(head, '/');
    if (nodeName && this.isPunct(next, '{')) {
      this.p += 2;
      const node: ScanNode = {
        name: head.text,
        nameSpan: { start: head.start, end: head.end },
        span: { start: labels[0]?.span.start ?? head.start, end: this.textLength },
        labels,
        properties: [],
        children: [],
        parent,
        deleted: false,
      };
      for (const l of labels) l.node = node;
      this.out.labels.push(...labels);
      if (head.kind === 'ref' && head.ref) {
        node.extends = head.ref;
        this.out.refs.push(head.ref);
      }
      if (parent) parent.children.push(node);
      else this.out.roots.push(node);
      this.body(node);
      return;
    }
    this.out.labels.push(...labels);
    if (head.kind === 'word' && parent && (this.isPunct(next, '=') || this.isPunct(next, ';'))) {
      const prop: ScanProperty = { name: head.text, nameSpan: { start: head.start, end: head.end }, span: { start: labels[0]?.span.start ?? head.start, end: head.end }, deleted: false };
      parent.properties.push(prop);
      this.p++;
      this.skipStatement();
      prop.span.end = this.toks[this.p - 1]?.end ?? head.end;
      return;
    }
    // Anything else (a half-typed line, /memreserve/ values, a stray word): skip to a safe point.
    if (this.peek() === head && !this.isPunct(head, '{')) this.skipStatement();
    if (this.isPunct(this.peek(), '{')) {
      // An anonymous or malformed block: scan its contents as an unnamed node so nothing inside is lost.
      const brace = this.peek()!;
      this.p++;
      const node: ScanNode = { name: '', nameSpan: { start: brace.start, end: brace.start }, span: { start: brace.start, end: this.textLength }, labels: [], properties: [], children: [], parent, deleted: false };
      if (parent) parent.children.push(node);
      else this.out.roots.push(node);
      this.body(node);
    }
  }

  private body(node: ScanNode): void {
    while (this.p < this.toks.length) {
      const t = this.peek()!;
      if (this.isPunct(t, '}')) {
        this.p++;
        node.span.end = t.end;
        if (this.isPunct(this.peek(), ';')) node.span.end = this.toks[this.p++].end;
        return;
      }
      const before = this.p;
      this.statement(node);
      if (this.p === before) this.p++;
    }
  }
}

export function scanDts(text: string): ScanResult {
  const out: ScanResult = { roots: [], labels: [], refs: [], includes: [], macros: [] };
  const toks = lex(text, out);
  new Parser(toks, out, text.length).run();
  return out;
}

/** The node path a scanned node stands for; `&label` nodes resolve through `labelPath`. */
export function scanNodePath(node: ScanNode, labelPath: (label: string) => string | undefined): string | undefined {
  if (!node.parent) {
    if (node.name === '/') return '/';
    if (node.extends) return node.extends.isPath ? node.extends.target : labelPath(node.extends.target);
    return undefined;
  }
  const parentPath = scanNodePath(node.parent, labelPath);
  if (parentPath === undefined || node.name === '') return undefined;
  return parentPath === '/' ? `/${node.name}` : `${parentPath}/${node.name}`;
}

/** Converts offsets to 0-based line/character positions (LSP's convention). */
export class LineMap {
  private readonly starts: number[] = [0];
  constructor(text: string) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.starts.push(i + 1);
  }
  position(offset: number): { line: number; character: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: offset - this.starts[lo] };
  }
  offset(line: number, character: number): number {
    const s = this.starts[Math.min(Math.max(line, 0), this.starts.length - 1)];
    return s + character;
  }
}
