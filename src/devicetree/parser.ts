// The DTS parser: dtc's dtc-parser.y grammar as recursive descent, with the same semantic actions in
// the same order (merges, deletions and orphan fragments happen as each top-level block is read), the
// same value encoding (markers for types, labels and references) and the same messages and positions
// (a rule's position spans its first to its last token, as bison's default).
import type { Lexer, Token } from './lexer';
import { FatalError, tokenSpan, unescapeString } from './lexer';
import type { Data, DeviceTree, Marker, Node, Property, ReserveEntry, SourcePos } from './model';
import { MarkerType, newNode } from './model';
import { allocBytes, bytesOf } from './byte-arena';
import { addChild, addLabel, deleteNode, getNodeByRef, guessBootCpuid, latin1Bytes, mergeNodes, newProperty, purgeDeleted } from './livetree';

export interface ParseMessage {
  prefix: string;
  message: string;
  pos?: SourcePos;
}

export interface ParseResult {
  tree?: DeviceTree;
  messages: ParseMessage[];
  /** dtc's final fatal message when the parse failed ("Unable to parse input tree", ...). */
  fatal?: string;
  /** Where a fatal error arose (a missing include), for editors; dtc prints none. */
  fatalPos?: SourcePos;
}

export interface ParserHost {
  /** Reads a /incbin/ file relative to `dir`, then the include path; `name` is the path opened. */
  readBinary(name: string, dir: string | null): { name: string; bytes: Uint8Array } | undefined;
}

class SyntaxAbort extends Error {}
/** Nesting beyond the parser's stack: never recovered from. */
class DepthAbort extends SyntaxAbort {}

const M64 = (1n << 64n) - 1n;
/** bison's default stack limit, which dtc's parser keeps. */
const YYMAXDEPTH = 10000;
const M32 = 0xffffffffn;
const M16 = 0xffffn;
const M8 = 0xffn;

/** An integer expression's value and its first and last tokens (its position, built only for messages). */
interface Expr {
  v: bigint;
  first: Token;
  last: Token;
}

/** A growable property value. */
class DataBuilder {
  bytes: number[] = [];
  markers: Marker[] = [];
  marker(type: MarkerType, ref?: string, pos?: SourcePos): void {
    const m: Marker = { type, offset: this.bytes.length };
    if (ref !== undefined) m.ref = ref;
    if (pos) m.pos = pos;
    this.markers.push(m);
  }
  /** A string's bytes (one char per byte) and its terminating NUL. */
  appendString(s: string): void {
    const b = this.bytes;
    for (let i = 0; i < s.length; i++) b.push(s.charCodeAt(i) & 0xff);
    b.push(0);
  }
  append(b: ArrayLike<number>): void {
    for (let i = 0; i < b.length; i++) this.bytes.push(b[i]!);
  }
  appendInt(v: bigint, bits: number): void {
    const b = this.bytes;
    if (bits === 64) {
      const hi = Number((v >> 32n) & 0xffffffffn);
      const lo = Number(v & 0xffffffffn);
      b.push(hi >>> 24, (hi >>> 16) & 0xff, (hi >>> 8) & 0xff, hi & 0xff, lo >>> 24, (lo >>> 16) & 0xff, (lo >>> 8) & 0xff, lo & 0xff);
      return;
    }
    const n = v <= M32 ? Number(v) : Number(v & M32);
    if (bits === 32) b.push(n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
    else if (bits === 16) b.push((n >>> 8) & 0xff, n & 0xff);
    else b.push(n & 0xff);
  }
  toData(): Data {
    return { bytes: bytesOf(this.bytes), markers: this.markers };
  }
}

/**
 * Property names as V8-internalized strings (object keys are): the checks look each node's properties
 * up by constant names hundreds of thousands of times, and two internalized strings compare by pointer
 * instead of by content. One table per process; it holds only distinct names (a few thousand at most).
 */
const internedNames = new Map<string, string>();
function internName(s: string): string {
  let r = internedNames.get(s);
  if (r === undefined) {
    r = Object.keys({ [s]: 0 })[0]!;
    internedNames.set(r, r);
  }
  return r;
}

function span(a: SourcePos, b: SourcePos): SourcePos {
  return { file: a.file, line: a.line, column: a.column, endLine: b.endLine, endColumn: b.endColumn };
}

export class Parser {
  private tok: Token;
  private prev: Token | undefined;
  private readonly messages: ParseMessage[];
  private treeError = false;
  private orphanCount = 0;
  private plugin = false;

  /**
   * Recovery (for editors): after a syntax error, skip to the end of the property or node and go on,
   * so later errors are reported too and a partial tree is returned. dtc stops at the first.
   */
  recover = false;
  private recovered = false;

  constructor(private readonly lx: Lexer, private readonly host: ParserHost) {
    this.tok = undefined as unknown as Token;
    // Lexical and syntax messages share one list, in the order they are met (as dtc prints them).
    this.messages = lx.diagnostics;
  }

  private advance(): Token {
    const t = this.tok;
    this.prev = t;
    this.tok = this.buffer.length ? this.buffer.shift()! : this.lx.next();
    return t;
  }

  private is(kind: Token['kind'], ch?: string): boolean {
    return this.tok.kind === kind && (ch === undefined || this.tok.text === ch);
  }

  private isChar(ch: string): boolean {
    return this.tok.kind === 'CHAR' && this.tok.text === ch;
  }

  private syntaxError(): never {
    this.messages.push({ prefix: 'Error', message: 'syntax error', pos: this.tok.pos });
    throw new SyntaxAbort();
  }

  private expectChar(ch: string): Token {
    if (!this.isChar(ch)) this.syntaxError();
    return this.advance();
  }

  private expect(kind: Token['kind']): Token {
    if (this.tok.kind !== kind) this.syntaxError();
    return this.advance();
  }

  private error(pos: SourcePos, message: string): void {
    this.messages.push({ prefix: 'Error', message, pos });
    this.treeError = true;
  }

  parse(): ParseResult {
    try {
      this.tok = this.lx.next();
      const tree = this.sourcefile();
      if (this.recovered) return { messages: this.messages, fatal: 'Unable to parse input tree', tree };
      if (this.treeError || this.messages.some((m) => m.prefix === 'Lexical error')) {
        return { messages: this.messages, fatal: 'Syntax error parsing input tree', tree };
      }
      return { tree, messages: this.messages };
    } catch (e) {
      if (e instanceof SyntaxAbort) return { messages: this.messages, fatal: 'Unable to parse input tree' };
      if (e instanceof FatalError) {
        const r: ParseResult = { messages: this.messages, fatal: e.message };
        const pos = e.pos ?? this.tok?.pos;
        if (pos) r.fatalPos = pos;
        return r;
      }
      throw e;
    }
  }

  private sourcefile(): DeviceTree {
    const flags = this.headers();
    this.plugin = flags.plugin;
    const reserves = this.memreserves();
    const root = this.devicetree();
    const boot = guessBootCpuid(root);
    purgeDeleted(root);
    return { v1: true, plugin: flags.plugin, reserveMap: reserves, root, bootCpuidPhys: boot, source: '' };
  }

  private headers(): { plugin: boolean } {
    const hs: { plugin: boolean; pos: SourcePos }[] = [];
    do {
      const base = this.sp;
      const v = this.expect('V1');
      this.push(v);
      let end = this.expectChar(';');
      this.push(end);
      let plugin = false;
      if (this.is('PLUGIN')) {
        this.push(this.advance());
        end = this.expectChar(';');
        this.push(end);
        plugin = true;
      }
      this.sp = base + 1;
      hs.push({ plugin, pos: tokenSpan(v, end) });
    } while (this.is('V1'));
    this.sp = 2;
    // headers: header | header headers  (right recursive: the innermost pair is compared first)
    for (let i = hs.length - 2; i >= 0; i--) {
      if (hs[i]!.plugin !== hs[i + 1]!.plugin) this.error(span(hs[i + 1]!.pos, hs[hs.length - 1]!.pos), "Header flags don't match earlier ones");
    }
    return { plugin: hs[0]!.plugin };
  }

  private memreserves(): ReserveEntry[] {
    const list: ReserveEntry[] = [];
    for (;;) {
      const base = this.sp;
      if (this.is('MEMRESERVE')) {
        list.push(this.memreserve([]));
      } else if (this.is('LABEL')) {
        // Labels here can only belong to a memreserve (a devicetree never starts with a label).
        const labels: string[] = [];
        while (this.is('LABEL')) {
          const l = this.advance();
          this.push(l);
          labels.push(l.text);
        }
        if (!this.is('MEMRESERVE')) this.syntaxError();
        list.push(this.memreserve(labels));
      } else {
        // memreserves: /* empty */, then every memreserve kept on the stack is reduced.
        this.push(this.tok);
        this.sp = 3;
        return list;
      }
      this.sp = base + 1;
    }
  }

  private memreserve(labels: string[]): ReserveEntry {
    const start = this.expect('MEMRESERVE');
    this.push(start);
    const address = this.integerPrim().v;
    const size = this.integerPrim().v;
    const end = this.expectChar(';');
    this.push(end);
    const r: ReserveEntry = { address, size, labels: [], pos: tokenSpan(start, end) };
    for (let i = labels.length - 1; i >= 0; i--) if (!r.labels.includes(labels[i]!)) r.labels.unshift(labels[i]!);
    return r;
  }

  private isRef(): boolean {
    return this.is('LABEL_REF') || this.is('PATH_REF');
  }

  private devicetree(): Node {
    let root: Node;
    // Stack entries below each top-level block: the start state, headers, memreserves (and devicetree after the first block).
    if (this.isChar('/')) {
      this.push(this.advance());
      root = this.nodedef();
      root.name = '';
    } else if (this.isRef()) {
      const ref = this.advance();
      this.push(ref);
      const nd = this.nodedef();
      if (!this.plugin) this.error(nd.pos!, `Label or path ${ref.text} not found`);
      root = newNode('');
      this.addOrphan(root, nd, ref.text);
    } else this.syntaxError();

    for (;;) {
      this.sp = 4;
      if (this.isChar('/')) {
        this.push(this.advance());
        const nd = this.nodedef();
        mergeNodes(root, nd);
      } else if (this.is('LABEL')) {
        const label = this.advance();
        this.push(label);
        if (!this.isRef()) this.syntaxError();
        const ref = this.advance();
        this.push(ref);
        const nd = this.nodedef();
        const target = getNodeByRef(root, ref.text);
        if (target) {
          addLabel(target, label.text, label.pos);
          mergeNodes(target, nd);
        } else this.error(ref.pos, `Label or path ${ref.text} not found`);
      } else if (this.is('PATH_REF')) {
        const ref = this.advance();
        this.push(ref);
        const nd = this.nodedef();
        if (this.plugin) this.addOrphan(root, nd, ref.text);
        else {
          const target = getNodeByRef(root, ref.text);
          if (target) mergeNodes(target, nd);
          else this.error(ref.pos, `Label or path ${ref.text} not found`);
        }
      } else if (this.is('LABEL_REF')) {
        const ref = this.advance();
        this.push(ref);
        const nd = this.nodedef();
        const target = getNodeByRef(root, ref.text);
        if (target) mergeNodes(target, nd);
        else if (this.plugin) this.addOrphan(root, nd, ref.text);
        else this.error(ref.pos, `Label or path ${ref.text} not found`);
      } else if (this.is('DEL_NODE') || this.is('OMIT_NO_REF')) {
        const kw = this.advance();
        this.push(kw);
        if (!this.isRef()) this.syntaxError();
        const ref = this.advance();
        this.push(ref);
        this.push(this.expectChar(';'));
        const target = getNodeByRef(root, ref.text);
        if (!target) this.error(ref.pos, `Label or path ${ref.text} not found`);
        else if (kw.kind === 'DEL_NODE') deleteNode(target);
        else target.omitIfNoRef = true;
      } else if (this.is('EOF')) {
        return root;
      } else this.syntaxError();
    }
  }

  /** add_orphan_node: a plugin's `&ref { }` becomes /fragment@N with target or target-path and __overlay__. */
  private addOrphan(dt: Node, nd: Node, ref: string): void {
    const d = new DataBuilder();
    let p: Property;
    if (ref[0] === '/') {
      d.marker(MarkerType.TypeString, ref);
      d.append(latin1Bytes(ref + '\0'));
      p = newProperty('target-path', d.toData());
    } else {
      d.marker(MarkerType.RefPhandle, ref);
      d.appendInt(0xffffffffn, 32);
      p = newProperty('target', d.toData());
    }
    nd.name = '__overlay__';
    const frag = newNode(`fragment@${this.orphanCount++}`);
    frag.properties.push(p);
    addChild(frag, nd);
    addChild(dt, frag);
  }

  /**
   * dtc's parser is bison's: its stack holds one entry per grammar symbol of the input read so far and
   * not yet reduced, and has room for YYMAXDEPTH (10,000) entries. Right-recursive rules keep their
   * items on it (every sibling node, every label before a node or property, every /memreserve/), as do
   * open nodes (3 entries each) and parentheses. `sp` follows that count; the push that would make it
   * 10,000 fails as dtc does, with "memory exhausted" at the token being read.
   */
  private sp = 1;
  private push(at: Token): void {
    if (++this.sp >= YYMAXDEPTH) {
      this.messages.push({ prefix: 'Error', message: 'memory exhausted', pos: at.pos });
      throw new DepthAbort();
    }
  }

  /**
   * Nesting of parentheses and unary operators (256) and of nodes (1,000), bounded below bison's
   * limit so that recursion here and in every later pass stays within the JavaScript stack. dtc
   * accepts up to about 9,990 parentheses and 3,330 nested nodes; no real tree comes near either.
   */
  private depth = 0;
  private nodeDepth = 0;
  private enter(): void {
    if (++this.depth > 256) {
      this.messages.push({ prefix: 'Error', message: 'memory exhausted', pos: this.tok.pos });
      throw new DepthAbort();
    }
  }

  /** nodedef: '{' proplist subnodes '}' ';' (one entry once reduced). */
  private nodedef(): Node {
    const base = this.sp;
    if (++this.nodeDepth > 1000) {
      this.messages.push({ prefix: 'Error', message: 'memory exhausted', pos: this.tok.pos });
      throw new DepthAbort();
    }
    const n = this.nodedefInner();
    this.nodeDepth--;
    this.sp = base + 1;
    return n;
  }

  private nodedefInner(): Node {
    const open = this.expectChar('{');
    this.push(open);
    // proplist: /* empty */ is reduced at once (a default reduction: no look-ahead read yet).
    this.push(open);
    const props: Property[] = [];
    const children: Node[] = [];
    for (;;) {
      // Labels prefix both properties and subnodes; look past them to decide (bison shifts them alike).
      let k = 0;
      while (this.peekN(k).kind === 'LABEL') k++;
      const t = this.peekN(k);
      let isProp = false;
      let isNode = false;
      if (t.kind === 'DEL_PROP') isProp = true;
      else if (t.kind === 'DEL_NODE' || t.kind === 'OMIT_NO_REF') isNode = true;
      else if (t.kind === 'PROPNODENAME') {
        const t2 = this.peekN(k + 1);
        if (t2.kind === 'CHAR' && (t2.text === '=' || t2.text === ';')) isProp = true;
        else isNode = true;
      } else if (k > 0 || (this.recover && !this.isChar('}') && !this.is('EOF'))) {
        while (this.is('LABEL')) this.advance();
        if (!this.recover) this.syntaxError();
        this.messages.push({ prefix: 'Error', message: 'syntax error', pos: this.tok.pos });
        this.recovered = true;
        this.skipItem();
        continue;
      }
      if (this.recover && (isProp || isNode)) {
        const save = this.messages.length;
        const sp = this.sp;
        try {
          if (isProp) {
            const p = this.propdef();
            if (children.length) {
              this.messages.push({ prefix: 'Error', message: 'Properties must precede subnodes', pos: p.pos ?? this.prev!.pos });
              this.recovered = true;
            }
            props.push(p);
          } else children.push(this.subnode());
        } catch (e) {
          if (!(e instanceof SyntaxAbort) || e instanceof DepthAbort) throw e;
          void save;
          this.sp = sp + (isNode ? 1 : 0);
          this.recovered = true;
          this.skipItem();
        }
        continue;
      }
      if (isProp) {
        const first = this.tok;
        const p = this.propdef();
        if (children.length) {
          this.messages.push({ prefix: 'Error', message: 'Properties must precede subnodes', pos: tokenSpan(first, this.prev!) });
          throw new SyntaxAbort();
        }
        props.push(p);
      } else if (isNode) {
        children.push(this.subnode());
      } else break;
    }
    // subnodes: /* empty */ with '}' as look-ahead, then '}' and ';'.
    this.push(this.tok);
    this.push(this.expectChar('}'));
    const semi = this.expectChar(';');
    this.push(semi);
    const n = newNode('');
    n.properties = props;
    for (const c of children) addChild(n, c);
    n.pos = tokenSpan(open, semi);
    return n;
  }

  /** subnode (one stack entry once reduced; siblings stay on the stack until the parent's '}'). */
  private subnode(): Node {
    const base = this.sp;
    const n = this.subnodeInner();
    this.sp = base + 1;
    return n;
  }

  private subnodeInner(): Node {
    // subnode: DT_LABEL subnode | DT_OMIT_NO_REF subnode, read in a loop (thousands of labels must
    // not recurse); the prefixes apply innermost first, as bison reduces them.
    const prefixes: Token[] = [];
    while (this.is('LABEL') || this.is('OMIT_NO_REF')) {
      const t = this.advance();
      this.push(t);
      prefixes.push(t);
    }
    const n = this.subnodeBody();
    for (let i = prefixes.length - 1; i >= 0; i--) {
      const t = prefixes[i]!;
      if (t.kind === 'LABEL') addLabel(n, t.text, t.pos);
      else n.omitIfNoRef = true;
    }
    return n;
  }

  private subnodeBody(): Node {
    if (this.is('DEL_NODE')) {
      const del = this.advance();
      this.push(del);
      const name = this.expect('PROPNODENAME');
      this.push(name);
      const semi = this.expectChar(';');
      this.push(semi);
      const n = newNode(name.text);
      n.deleted = true;
      n.pos = tokenSpan(del, semi);
      return n;
    }
    const name = this.expect('PROPNODENAME');
    this.push(name);
    const n = this.nodedef();
    n.name = name.text;
    return n;
  }

  /** propdef (reduced at once into proplist, which is left-recursive: properties do not pile up). */
  private propdef(): Property {
    const base = this.sp;
    const p = this.propdefInner();
    this.sp = base;
    return p;
  }

  private propdefInner(): Property {
    // propdef: DT_LABEL propdef, read in a loop; labels apply innermost first.
    const labels: Token[] = [];
    while (this.is('LABEL')) {
      const l = this.advance();
      this.push(l);
      labels.push(l);
    }
    const p = this.propdefBody();
    for (let i = labels.length - 1; i >= 0; i--) addLabel(p, labels[i]!.text, labels[i]!.pos);
    return p;
  }

  private propdefBody(): Property {
    if (this.is('DEL_PROP')) {
      this.push(this.advance());
      const name = this.expect('PROPNODENAME');
      this.push(name);
      this.push(this.expectChar(';'));
      const p = newProperty(internName(name.text), { bytes: allocBytes(0), markers: [] });
      p.deleted = true;
      return p;
    }
    const name = this.expect('PROPNODENAME');
    this.push(name);
    if (this.isChar(';')) {
      const semi = this.advance();
      this.push(semi);
      return newProperty(internName(name.text), { bytes: allocBytes(0), markers: [] }, tokenSpan(name, semi));
    }
    const eq = this.expectChar('=');
    this.push(eq);
    // propdataprefix: /* empty */ (a default reduction, positioned at '=').
    this.push(eq);
    const d = this.propdata();
    const semi = this.expectChar(';');
    this.push(semi);
    return newProperty(internName(name.text), d.toData(), tokenSpan(name, semi));
  }

  /** Error recovery: skip to just after the `;` ending this item, or to the `}` closing the node. */
  private skipItem(): void {
    let depth = 0;
    for (;;) {
      if (this.is('EOF')) return;
      if (this.isChar('{')) depth++;
      else if (this.isChar('}')) {
        if (depth === 0) return;
        depth--;
      } else if (this.isChar(';') && depth === 0) {
        this.advance();
        return;
      }
      this.advance();
    }
  }

  /** Token k ahead of the current one (0 = current). */
  private peekN(k: number): Token {
    if (k === 0) return this.tok;
    while (this.buffer.length < k) this.buffer.push(this.lx.next());
    return this.buffer[k - 1]!;
  }
  private buffer: Token[] = [];

  /** propdata, with the propdataprefix entry already pushed (left-recursive: one entry while reading items). */
  private propdata(): DataBuilder {
    const d = new DataBuilder();
    const base = this.sp;
    for (;;) {
      while (this.is('LABEL')) {
        const l = this.advance();
        this.push(l);
        this.sp = base;
        d.marker(MarkerType.Label, l.text, l.pos);
      }
      this.propItem(d);
      this.sp = base;
      while (this.is('LABEL')) {
        const l = this.advance();
        this.push(l);
        this.sp = base;
        d.marker(MarkerType.Label, l.text, l.pos);
      }
      if (this.isChar(',')) {
        this.push(this.advance());
        this.sp = base;
        continue;
      }
      return d;
    }
  }

  private propItem(d: DataBuilder): void {
    if (this.is('STRING')) {
      const s = this.advance();
      this.push(s);
      const u = unescapeString(s.text);
      if (u.fatal) throw new FatalError(u.fatal, s.pos);
      d.marker(MarkerType.TypeString);
      d.appendString(u.bytes);
      return;
    }
    if (this.isRef()) {
      const r = this.advance();
      this.push(r);
      d.marker(MarkerType.TypeString, r.text, r.pos);
      d.marker(MarkerType.RefPath, r.text, r.pos);
      return;
    }
    if (this.isChar('[')) {
      const open = this.advance();
      this.push(open);
      this.push(open); // bytestring: /* empty */
      const inner = this.sp;
      d.marker(MarkerType.TypeUint8);
      for (;;) {
        if (this.is('BYTE')) {
          const b = this.advance();
          this.push(b);
          d.append([Number(b.value!)]);
        } else if (this.is('LABEL')) {
          const l = this.advance();
          this.push(l);
          d.marker(MarkerType.Label, l.text, l.pos);
        } else break;
        this.sp = inner;
      }
      this.push(this.expectChar(']'));
      return;
    }
    if (this.is('INCBIN')) {
      const kw = this.advance();
      this.push(kw);
      this.push(this.expectChar('('));
      const fnTok = this.expect('STRING');
      this.push(fnTok);
      let offset: bigint | undefined;
      let length: bigint | undefined;
      if (this.isChar(',')) {
        this.push(this.advance());
        offset = this.integerPrim().v;
        this.push(this.expectChar(','));
        length = this.integerPrim().v;
      }
      this.push(this.expectChar(')'));
      const u = unescapeString(fnTok.text);
      if (u.fatal) throw new FatalError(u.fatal, fnTok.pos);
      const fname = u.bytes.split('\0')[0]!;
      const opened = this.host.readBinary(fname, fnTok.dir);
      if (!opened) throw new FatalError(`Couldn't open "${fname}": No such file or directory`, fnTok.pos);
      // Listed with the included files (dtc's dependency output names it too).
      this.lx.includes.push({ file: opened.name, pos: tokenSpan(kw, fnTok) });
      const bin = opened.bytes;
      let bytes = bin;
      if (offset !== undefined) {
        const off = offset > BigInt(bin.length) ? bin.length : Number(offset);
        bytes = bin.subarray(off);
        if (length !== undefined && length < BigInt(bytes.length)) bytes = bytes.subarray(0, Number(length));
      }
      d.marker(MarkerType.TypeNone);
      d.append(bytes);
      return;
    }
    // arrayprefix ... '>'
    let bits = 32;
    const itemBase = this.sp;
    if (this.is('BITS')) {
      this.push(this.advance());
      const lit = this.expect('LITERAL');
      this.push(lit);
      const v = lit.value!;
      if (v === 8n || v === 16n || v === 32n || v === 64n) bits = Number(v);
      else {
        this.error(lit.pos, 'Array elements must be 8, 16, 32 or 64-bits');
        bits = 32;
      }
      this.push(this.expectChar('<'));
    } else this.push(this.expectChar('<'));
    // Reduced to arrayprefix, which is left-recursive: cells do not pile up.
    this.sp = itemBase + 1;
    const type = bits === 8 ? MarkerType.TypeUint8 : bits === 16 ? MarkerType.TypeUint16 : bits === 64 ? MarkerType.TypeUint64 : MarkerType.TypeUint32;
    d.marker(type);
    for (;;) {
      if (this.isRef()) {
        const r = this.advance();
        this.push(r);
        if (bits === 32) d.marker(MarkerType.RefPhandle, r.text, r.pos);
        else this.error(r.pos, 'References are only allowed in arrays with 32-bit elements.');
        d.appendInt(M64 >> BigInt(64 - bits), bits);
      } else if (this.is('LABEL')) {
        const l = this.advance();
        this.push(l);
        d.marker(MarkerType.Label, l.text, l.pos);
      } else if (this.is('LITERAL') || this.is('CHAR_LITERAL') || this.isChar('(')) {
        const e = this.integerPrim();
        const v = e.v;
        const mask = bits === 64 ? M64 : bits === 32 ? M32 : bits === 16 ? M16 : M8;
        if (v > mask) {
          if (bits < 64 && (v | mask) !== M64) this.error(tokenSpan(e.first, e.last), `Value out of range for ${bits}-bit array element`);
          d.appendInt(v & mask, bits);
        } else d.appendInt(v, bits);
      } else break;
      this.sp = itemBase + 1;
    }
    this.push(this.expectChar('>'));
  }

  // ---- integer expressions (uint64, C precedence) ----

  private integerPrim(): Expr {
    if (this.is('LITERAL') || this.is('CHAR_LITERAL')) {
      const t = this.advance();
      this.push(t);
      return { v: t.value!, first: t, last: t };
    }
    const base = this.sp;
    const open = this.expectChar('(');
    this.push(open);
    this.enter();
    const e = this.expr();
    this.depth--;
    const close = this.expectChar(')');
    this.push(close);
    this.sp = base + 1;
    return { v: e.v, first: open, last: close };
  }

  private expr(): Expr {
    const base = this.sp;
    const c = this.binary(0);
    if (this.isChar('?')) {
      this.push(this.advance());
      const a = this.expr();
      this.push(this.expectChar(':'));
      const b = this.expr();
      this.sp = base + 1;
      return { v: c.v ? a.v : b.v, first: c.first, last: b.last };
    }
    return c;
  }

  private static readonly LEVELS: { ops: string[] }[] = [
    { ops: ['OR'] }, { ops: ['AND'] }, { ops: ['|'] }, { ops: ['^'] }, { ops: ['&'] },
    { ops: ['EQ', 'NE'] }, { ops: ['<', '>', 'LE', 'GE'] }, { ops: ['LSHIFT', 'RSHIFT'] }, { ops: ['+', '-'] }, { ops: ['*', '/', '%'] },
  ];

  private opHere(ops: string[]): string | undefined {
    const t = this.tok;
    const key = t.kind === 'CHAR' ? t.text : t.kind;
    return ops.includes(key) ? key : undefined;
  }

  private binary(level: number): Expr {
    if (level >= Parser.LEVELS.length) return this.unary();
    const base = this.sp;
    let l = this.binary(level + 1);
    for (;;) {
      const op = this.opHere(Parser.LEVELS[level]!.ops);
      if (!op) return l;
      this.push(this.advance());
      const r = this.binary(level + 1);
      this.sp = base + 1;
      const first = l.first;
      const last = r.last;
      let v: bigint;
      switch (op) {
        case 'OR': v = l.v || r.v ? 1n : 0n; break;
        case 'AND': v = l.v && r.v ? 1n : 0n; break;
        case '|': v = l.v | r.v; break;
        case '^': v = l.v ^ r.v; break;
        case '&': v = l.v & r.v; break;
        case 'EQ': v = l.v === r.v ? 1n : 0n; break;
        case 'NE': v = l.v !== r.v ? 1n : 0n; break;
        case '<': v = l.v < r.v ? 1n : 0n; break;
        case '>': v = l.v > r.v ? 1n : 0n; break;
        case 'LE': v = l.v <= r.v ? 1n : 0n; break;
        case 'GE': v = l.v >= r.v ? 1n : 0n; break;
        case 'LSHIFT': v = r.v < 64n ? (l.v << r.v) & M64 : 0n; break;
        case 'RSHIFT': v = r.v < 64n ? l.v >> r.v : 0n; break;
        case '+': v = (l.v + r.v) & M64; break;
        case '-': v = (l.v - r.v) & M64; break;
        case '*': v = (l.v * r.v) & M64; break;
        case '/':
          if (r.v !== 0n) v = l.v / r.v;
          else {
            this.error(tokenSpan(first, last), 'Division by zero');
            v = 0n;
          }
          break;
        default:
          if (r.v !== 0n) v = l.v % r.v;
          else {
            this.error(tokenSpan(first, last), 'Division by zero');
            v = 0n;
          }
      }
      l = { v, first, last };
    }
  }

  private unary(): Expr {
    if (this.isChar('-') || this.isChar('~') || this.isChar('!')) {
      const base = this.sp;
      const op = this.advance();
      this.push(op);
      this.enter();
      const e = this.unary();
      this.depth--;
      this.sp = base + 1;
      const v = op.text === '-' ? (-e.v) & M64 : op.text === '~' ? ~e.v & M64 : e.v ? 0n : 1n;
      return { v, first: op, last: e.last };
    }
    return this.integerPrim();
  }
}
