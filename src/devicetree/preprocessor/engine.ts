// The preprocessor proper: the include stack, directives, conditional groups and the hand-over of
// text lines to the expander and the output writer. Behaviour follows
// `cpp -nostdinc -undef -D__DTS__ -x assembler-with-cpp`, the Linux kernel's flags for .dts files.
import type { Diagnostic, SourcePos } from '../model';
import { Expander, type ExpandHost, type TokenSource } from './expand';
import { ExprError, evaluate } from './expr';
import { lexFile, lexString, type LexedFile } from './lexer';
import { DefineError, parseDefine, sameDefinition, type Macro } from './macro';
import { OutputWriter } from './output';
import { Kind, type Token } from './tokens';

export interface EngineOptions {
  file: string;
  includeDirs: string[];
  defines?: Record<string, string>;
  readFile: (path: string) => string | undefined;
  /** Stop at the first error, as cpp does for a missing #include (default false: keep going). */
  stopAtFatal?: boolean;
}

interface FileEntry {
  /** The path as opened: what line markers and messages show. */
  path: string;
  /** After `#line`: presumed name and line offset. */
  presumed: string;
  lineDelta: number;
  /** Position of the `#include` that opened it (undefined for the main file). */
  includedFrom?: SourcePos;
}

interface Frame {
  file: number;
  lexed: LexedFile;
  pos: number;
  /** Index in the -I chain where the file was found (-1: the includer's directory or the main file). */
  dirIndex: number;
  condBase: number;
  /** Line after the `#include` being processed in this frame, for the return marker. */
  resumeLine: number;
}

interface IncludeEntry {
  path: string;
  text: string;
  /** Index in the -I chain (-1: the includer's directory or an absolute path). */
  dirIndex: number;
  /** The controlling macro, known once the file has been entered through this entry. */
  guard?: string | null;
}

interface Cond {
  type: string;
  wasTrue: boolean;
  sawElse: boolean;
  outerSkipping: boolean;
  tok: Token;
}

const MAX_DEPTH = 200;
const CONDITIONALS = new Set(['if', 'ifdef', 'ifndef', 'elif', 'else', 'endif']);
const DIRECTIVES = new Set([...CONDITIONALS, 'define', 'undef', 'include', 'include_next', 'import', 'line', 'error', 'warning', 'pragma', 'ident', 'sccs', 'assert', 'unassert']);

export interface EngineResult {
  text: string;
  diagnostics: Diagnostic[];
  includes: { file: string; pos: SourcePos }[];
}

export class Engine implements ExpandHost, TokenSource {
  readonly macros = new Map<string, Macro>();
  private files: FileEntry[] = [];
  private frames: Frame[] = [];
  private conds: Cond[] = [];
  private skipping = false;
  private lookahead: Token | null = null;
  private out = new OutputWriter();
  private diagnostics: Diagnostic[] = [];
  private includes: { file: string; pos: SourcePos }[] = [];
  private onceFiles = new Set<string>();
  private lookups = new Map<string, IncludeEntry>();
  private guardOf = new Map<string, string | null>();
  private lexCache = new Map<string, LexedFile>();
  private fileIndex = new Map<string, number>();
  private counter = 0;
  private fatal = false;
  private lastLine = 1;
  /** End of the directive line being handled, for messages about missing tokens. */
  private eol: Token | undefined;
  private readonly includeDirs: string[];

  constructor(private readonly opts: EngineOptions) {
    this.includeDirs = opts.includeDirs.map((d) => (d.length > 1 ? d.replace(/\/+$/, '') : d));
    const predefined: Record<string, string> = { __STDC__: '1', __STDC_HOSTED__: '1', __ASSEMBLER__: '1', __DTS__: '1', ...opts.defines };
    for (const [name, value] of Object.entries(predefined)) this.defineFromCommandLine(name, value);
    for (const b of ['FILE', 'LINE', 'COUNTER', 'INCLUDE_LEVEL', 'BASE_FILE'] as const) {
      this.macros.set(`__${b}__`, { name: `__${b}__`, funcLike: false, params: [], variadic: false, body: [], builtin: b });
    }
    this.macros.set('__has_include', { name: '__has_include', funcLike: false, params: [], variadic: false, body: [], builtin: 'has_include' });
    this.macros.set('__has_include_next', { name: '__has_include_next', funcLike: false, params: [], variadic: false, body: [], builtin: 'has_include' });
  }

  private defineFromCommandLine(name: string, value: string): void {
    const toks = lexString(`${name} ${value}`);
    try {
      const m = parseDefine(toks, toks[0]);
      m.def = undefined;
      this.macros.set(m.name, m);
    } catch (e) {
      if (!(e instanceof DefineError)) throw e;
      this.diagnostics.push({ severity: 'error', message: `<command-line>: ${e.message}` });
    }
  }

  run(source: string): EngineResult {
    this.files.push({ path: this.opts.file, presumed: this.opts.file, lineDelta: 0 });
    const lexed = lexFile(source, 0);
    this.reportComments(lexed, 0);
    this.frames.push({ file: 0, lexed, pos: 0, dirIndex: -1, condBase: 0, resumeLine: 0 });
    this.out.start(this.opts.file);
    const ex = new Expander(this, this);
    for (let t = ex.next(); t; t = ex.next()) {
      if (this.fatal) break;
      this.out.token(t);
    }
    return { text: this.out.finish(), diagnostics: this.diagnostics, includes: this.includes };
  }

  // ---- positions and messages ----

  posOf(t: Token): SourcePos {
    const f = this.files[t.file];
    if (!f) return { file: this.opts.file, line: this.lastLine, column: 1, endLine: this.lastLine, endColumn: 1 };
    const line = t.line + f.lineDelta;
    return { file: f.presumed, line, column: t.col, endLine: line, endColumn: t.col + Math.max(t.text.length, 1), includedFrom: f.includedFrom };
  }

  error(message: string, at: Token): void {
    this.diagnostics.push({ severity: 'error', message, pos: this.posOf(at) });
  }

  warning(message: string, at: Token): void {
    this.diagnostics.push({ severity: 'warning', message, pos: this.posOf(at) });
  }

  private reportComments(lexed: LexedFile, file: number): void {
    for (const [line, col] of lexed.unterminatedComments) {
      this.error('unterminated comment', { kind: Kind.Other, text: '/*', file, line, col, ws: false, bol: false });
    }
  }

  builtin(m: Macro, at: Token): Token {
    const frame = this.frames[this.frames.length - 1];
    const make = (kind: Kind, text: string): Token => ({ kind, text, file: at.file, line: at.line, col: at.col, ws: at.ws, bol: false });
    switch (m.builtin) {
      case 'FILE':
        return make(Kind.String, `"${escape(frame ? this.files[frame.file].presumed : this.opts.file)}"`);
      case 'BASE_FILE':
        return make(Kind.String, `"${escape(this.opts.file)}"`);
      case 'LINE':
        return make(Kind.Number, String(this.lastLine));
      case 'COUNTER':
        return make(Kind.Number, String(this.counter++));
      default:
        return make(Kind.Number, String(Math.max(0, this.frames.length - 1)));
    }
  }

  // ---- the token source: lines of text, directives handled on the way ----

  unread(t: Token): void {
    this.lookahead = t;
  }

  next(parsingArgs: boolean): Token | null {
    if (this.lookahead) {
      const t = this.lookahead;
      this.lookahead = null;
      if (t.bol && !parsingArgs) this.lineChange(t);
      return t;
    }
    for (;;) {
      if (this.fatal) return null;
      const frame = this.frames[this.frames.length - 1];
      if (!frame) return null;
      const toks = frame.lexed.tokens;
      if (frame.pos >= toks.length) {
        if (parsingArgs) return null;
        this.popFrame();
        continue;
      }
      const t = toks[frame.pos];
      if (t.bol && t.kind === Kind.Punct && t.text === '#') {
        if (this.directive(frame)) continue;
        // Assembler mode: not a directive, so `#` and the rest of the line are text.
      } else if (this.skipping) {
        frame.pos++;
        continue;
      }
      frame.pos++;
      if (this.skipping) continue;
      if (t.bol && !parsingArgs) this.lineChange(t);
      this.lastLine = t.line + this.files[t.file].lineDelta;
      return t;
    }
  }

  private lineChange(t: Token): void {
    const f = this.files[t.file];
    this.out.lineChange(t, f.presumed, t.line + f.lineDelta);
  }

  private popFrame(): void {
    const frame = this.frames.pop()!;
    while (this.conds.length > frame.condBase) {
      const c = this.conds.pop()!;
      this.error(`unterminated #${c.type}`, c.tok);
      this.skipping = c.outerSkipping;
    }
    const parent = this.frames[this.frames.length - 1];
    if (parent) {
      const pf = this.files[parent.file];
      this.out.leaveFile(pf.presumed, parent.resumeLine + pf.lineDelta);
    }
  }

  /** Handles the directive starting at frame.pos; false when it is assembler text instead. */
  private directive(frame: Frame): boolean {
    const toks = frame.lexed.tokens;
    const hash = toks[frame.pos];
    let end = frame.pos + 1;
    while (end < toks.length && !toks[end].bol) end++;
    const nameTok = toks[frame.pos + 1] && !toks[frame.pos + 1].bol ? toks[frame.pos + 1] : undefined;
    const name = nameTok && nameTok.kind === Kind.Ident ? nameTok.text : undefined;
    if (nameTok === undefined) {
      frame.pos = end; // the null directive
      return true;
    }
    if (name === undefined || !DIRECTIVES.has(name)) {
      if (this.skipping) {
        frame.pos = end;
        return true;
      }
      return false;
    }
    const args = toks.slice(frame.pos + 2, end);
    const lastLine = toks[end - 1].line;
    const last = toks[end - 1];
    // Where GCC reports "nothing more on this line": just past the last token.
    const eol: Token = { ...last, kind: Kind.Other, text: '', col: last.col + last.text.length, ws: false, bol: false };
    this.eol = eol;
    frame.pos = end;
    if (this.skipping && !CONDITIONALS.has(name)) return true;
    switch (name) {
      case 'define': return this.doDefine(args, nameTok), true;
      case 'undef': return this.doUndef(args, nameTok), true;
      case 'include':
      case 'include_next':
      case 'import':
        return this.doInclude(frame, name, args, nameTok, lastLine), true;
      case 'if':
      case 'ifdef':
      case 'ifndef':
        return this.doIf(name, args, nameTok), true;
      case 'elif': return this.doElif(args, nameTok), true;
      case 'else': return this.doElse(args, nameTok), true;
      case 'endif': return this.doEndif(args, nameTok), true;
      case 'line': return this.doLine(frame, args, nameTok, lastLine), true;
      case 'error':
      case 'warning': {
        const text = spell(args);
        const msg = `#${name}${text ? ' ' + text : ''}`;
        if (name === 'error') this.error(msg, nameTok);
        else this.warning(msg, nameTok);
        return true;
      }
      case 'pragma': return this.doPragma(frame, args, hash), true;
      default:
        return true; // #ident, #sccs, #assert, #unassert: accepted, no output that dtc would need
    }
  }

  private doDefine(args: Token[], at: Token): void {
    try {
      const m = parseDefine(args, this.eol ?? at);
      const old = this.macros.get(m.name);
      if (old?.builtin) this.warning(`redefining builtin macro "${m.name}"`, args[0]);
      else if (old && !sameDefinition(old, m)) this.warning(`"${m.name}" redefined`, args[0]);
      this.macros.set(m.name, m);
    } catch (e) {
      if (!(e instanceof DefineError)) throw e;
      this.error(e.message, e.token ?? at);
    }
  }

  private doUndef(args: Token[], at: Token): void {
    const n = args[0];
    if (!n) return this.error('no macro name given in #undef directive', this.eol ?? at);
    if (n.kind !== Kind.Ident) return this.error('macro names must be identifiers', n);
    if (n.text === 'defined') return this.error('"defined" cannot be used as a macro name', n);
    if (args.length > 1) this.warning('extra tokens at end of #undef directive', args[1]);
    if (this.macros.get(n.text)?.builtin) this.warning(`undefining "${n.text}"`, n);
    this.macros.delete(n.text);
  }

  // ---- conditionals ----

  private doIf(type: string, args: Token[], at: Token): void {
    const outer = this.skipping;
    let value = false;
    if (!outer) {
      if (type === 'if') value = this.evalIf(args, at, 'if');
      else {
        const n = args[0];
        if (!n) this.error(`no macro name given in #${type} directive`, this.eol ?? at);
        else if (n.kind !== Kind.Ident) this.error('macro names must be identifiers', n);
        else {
          if (args.length > 1) this.warning(`extra tokens at end of #${type} directive`, args[1]);
          value = this.macros.has(n.text) === (type === 'ifdef');
        }
      }
    }
    this.conds.push({ type, wasTrue: outer || value, sawElse: false, outerSkipping: outer, tok: at });
    this.skipping = outer || !value;
  }

  private currentCond(): Cond | undefined {
    const frame = this.frames[this.frames.length - 1];
    return this.conds.length > frame.condBase ? this.conds[this.conds.length - 1] : undefined;
  }

  private doElif(args: Token[], at: Token): void {
    const c = this.currentCond();
    if (!c) return this.error('#elif without #if', at);
    if (c.sawElse) {
      this.error('#elif after #else', at);
      return;
    }
    c.type = 'elif';
    if (c.outerSkipping) return;
    if (c.wasTrue) {
      this.skipping = true;
      return;
    }
    this.skipping = false;
    const v = this.evalIf(args, at, 'elif');
    c.wasTrue = v;
    this.skipping = !v;
  }

  private doElse(args: Token[], at: Token): void {
    const c = this.currentCond();
    if (!c) return this.error('#else without #if', at);
    if (c.sawElse) {
      this.error('#else after #else', at);
    }
    c.sawElse = true;
    c.type = 'else';
    if (!c.outerSkipping) {
      if (args.length) this.warning('extra tokens at end of #else directive', args[0]);
      this.skipping = c.wasTrue;
      c.wasTrue = true;
    }
  }

  private doEndif(args: Token[], at: Token): void {
    const c = this.currentCond();
    if (!c) return this.error('#endif without #if', at);
    if (!c.outerSkipping && args.length) this.warning('extra tokens at end of #endif directive', args[0]);
    this.conds.pop();
    this.skipping = c.outerSkipping;
  }

  private evalIf(args: Token[], at: Token, directive: string): boolean {
    try {
      const pre = this.replaceDefined(args);
      const expanded = Expander.expandAll(this, pre);
      const post = this.replaceDefined(expanded);
      return evaluate(post, directive, this.eol ?? at, (w) => this.warning(w.message, w.token));
    } catch (e) {
      if (!(e instanceof ExprError)) throw e;
      this.error(e.message, e.token ?? at);
      return false;
    }
  }

  /** `defined X`, `defined(X)`, `__has_include(...)` → 0 or 1, before (and after) expansion. */
  private replaceDefined(toks: Token[]): Token[] {
    const out: Token[] = [];
    const real = toks.filter((t) => t.kind !== Kind.Padding);
    for (let i = 0; i < real.length; i++) {
      const t = real[i];
      const num = (v: boolean): Token => ({ ...t, kind: Kind.Number, text: v ? '1' : '0', hide: undefined });
      if (t.kind === Kind.Ident && t.text === 'defined') {
        let j = i + 1;
        const paren = real[j]?.kind === Kind.Punct && real[j].text === '(';
        if (paren) j++;
        const n = real[j];
        if (!n || n.kind !== Kind.Ident) throw new ExprError('operator "defined" requires an identifier', n ?? t);
        if (paren) {
          const close = real[j + 1];
          if (!close || close.kind !== Kind.Punct || close.text !== ')') throw new ExprError('missing \')\' after "defined"', close ?? n);
          j++;
        }
        out.push(num(this.macros.has(n.text)));
        i = j;
        continue;
      }
      if (t.kind === Kind.Ident && (t.text === '__has_include' || t.text === '__has_include_next')) {
        const open = real[i + 1];
        if (!open || open.kind !== Kind.Punct || open.text !== '(') throw new ExprError(`missing '(' before "${t.text}" operand`, open ?? t);
        let j = i + 2;
        let inner: Token[] = [];
        while (j < real.length && !(real[j].kind === Kind.Punct && real[j].text === ')')) inner.push(real[j++]);
        if (j >= real.length) throw new ExprError(`missing ')' after "${t.text}" operand`, t);
        if (inner.length && inner[0].kind === Kind.Ident) inner = Expander.expandAll(this, inner).filter((x) => x.kind !== Kind.Padding);
        const spec = headerSpec(inner);
        if (!spec) throw new ExprError(`operator "${t.text}" requires a header-name`, inner[0] ?? t);
        out.push(num(this.findInclude(spec.name, spec.angle, t.text === '__has_include_next') !== undefined));
        i = j;
        continue;
      }
      out.push(t);
    }
    return out;
  }

  // ---- #include, #line, #pragma ----

  private doInclude(frame: Frame, kind: string, args: Token[], at: Token, lastLine: number): void {
    let spec: { name: string; angle: boolean } | undefined;
    const first = args[0];
    let rest: Token[] = [];
    if (first && first.kind === Kind.String) {
      spec = { name: first.text.slice(1, -1), angle: false };
      rest = args.slice(1);
    } else if (first && first.kind === Kind.Punct && first.text === '<') {
      // A header name: the raw characters up to `>` on this line.
      const idx = frame.lexed.tokens.indexOf(first, frame.pos - args.length - 2);
      const off = frame.lexed.offsets[idx];
      const text = frame.lexed.text;
      const close = text.indexOf('>', off + 1);
      const nl = text.indexOf('\n', off + 1);
      if (close >= 0 && (nl < 0 || close < nl)) {
        spec = { name: text.slice(off + 1, close), angle: true };
        rest = args.filter((_, k) => frame.lexed.offsets[idx + k] > close);
      }
    } else if (first) {
      const exp = Expander.expandAll(this, args).filter((t) => t.kind !== Kind.Padding);
      spec = headerSpec(exp);
    }
    if (!spec) return this.error(`#${kind} expects "FILENAME" or <FILENAME>`, first ?? this.eol ?? at);
    if (spec.name === '') return this.error(`empty filename in #${kind}`, at);
    if (rest.length) this.warning(`extra tokens at end of #${kind} directive`, rest[0]);
    const found = this.findInclude(spec.name, spec.angle, kind === 'include_next');
    const pos = this.posOf(at);
    if (!found) {
      this.error(`${spec.name}: No such file or directory`, first ?? at);
      if (this.opts.stopAtFatal) this.fatal = true;
      return;
    }
    if (this.onceFiles.has(found.path)) return;
    if (kind === 'import') this.onceFiles.add(found.path);
    // GCC keeps a file's guard with its lookup-cache entry, not with its path: the same header
    // reached through another spelling is entered again.
    if (found.guard && this.macros.has(found.guard)) return;
    if (this.frames.length >= MAX_DEPTH) {
      this.error(`#include nested depth ${MAX_DEPTH} exceeds maximum of ${MAX_DEPTH} (use -fmax-include-depth=DEPTH to increase the maximum)`, at);
      return;
    }
    this.includes.push({ file: found.path, pos });
    let index = this.fileIndex.get(found.path);
    let lexed = this.lexCache.get(found.path);
    if (index === undefined || !lexed) {
      index = this.files.length;
      this.fileIndex.set(found.path, index);
      this.files.push({ path: found.path, presumed: found.path, lineDelta: 0, includedFrom: pos });
      lexed = lexFile(found.text, index);
      this.lexCache.set(found.path, lexed);
      this.guardOf.set(found.path, findGuard(lexed));
      this.reportComments(lexed, index);
    } else {
      const f = this.files[index];
      f.presumed = found.path;
      f.lineDelta = 0;
    }
    if (found.guard === undefined) found.guard = this.guardOf.get(found.path) ?? null;
    frame.resumeLine = lastLine + 1;
    const pf = this.files[frame.file];
    this.out.enterFile(pf.presumed, at.line + pf.lineDelta, found.path);
    this.frames.push({ file: index, lexed, pos: 0, dirIndex: found.dirIndex, condBase: this.conds.length, resumeLine: 0 });
  }

  /**
   * Finds an include as libcpp's _cpp_find_file does, including its cache: a lookup is keyed by the
   * name as written and the directory the search starts from, and a search that walks into the -I
   * chain also finds what an earlier <...> lookup of the same name found there. The entry carries
   * the file's include guard, so the cache decides when GCC skips a guarded file.
   */
  private findInclude(name: string, angle: boolean, next: boolean): IncludeEntry | undefined {
    const frame = this.frames[this.frames.length - 1];
    const cached = (key: string) => this.lookups.get(`${key}\0${name}`);
    const remember = (key: string, e: IncludeEntry) => this.lookups.set(`${key}\0${name}`, e);
    const read = (path: string, dirIndex: number): IncludeEntry | undefined => {
      const text = this.opts.readFile(path);
      return text === undefined ? undefined : { path, text, dirIndex };
    };
    if (name.startsWith('/')) {
      const hit = cached('/');
      if (hit) return hit;
      const e = read(name, -1);
      if (e) remember('/', e);
      return e;
    }
    let start = 0;
    let startKey = 'B';
    if (next && frame && frame.dirIndex >= 0) {
      start = frame.dirIndex + 1;
      startKey = `I${start}`;
    } else if (!angle && frame) {
      const dir = dirOf(this.files[frame.file].path);
      startKey = `D${dir}`;
      const hit = cached(startKey);
      if (hit) return hit;
      const e = read(dir ? `${dir}/${name}` : name, -1);
      if (e) {
        remember(startKey, e);
        return e;
      }
    }
    if (start === 0) {
      const hit = cached('B');
      if (hit) {
        remember(startKey, hit);
        return hit;
      }
    } else {
      const hit = cached(startKey);
      if (hit) return hit;
    }
    for (let i = start; i < this.includeDirs.length; i++) {
      const dir = this.includeDirs[i];
      const e = read(dir === '' ? name : `${dir}/${name}`, i);
      if (e) {
        remember(startKey, e);
        if (start === 0) remember('B', e);
        return e;
      }
    }
    return undefined;
  }

  private doLine(frame: Frame, args: Token[], at: Token, lastLine: number): void {
    const exp = Expander.expandAll(this, args).filter((t) => t.kind !== Kind.Padding);
    const n = exp[0];
    if (!n || n.kind !== Kind.Number || !/^[0-9]+$/.test(n.text)) {
      this.error(`"${n ? n.text : ''}" after #line is not a positive integer`, n ?? at);
      return;
    }
    const f = this.files[frame.file];
    const line = parseInt(n.text, 10);
    if (exp[1]) {
      if (exp[1].kind !== Kind.String) {
        this.error(`invalid filename "${exp[1].text}"`, exp[1]);
        return;
      }
      f.presumed = unescape(exp[1].text.slice(1, -1));
    }
    f.lineDelta = line - (lastLine + 1);
    this.out.printLine(f.presumed, line, '');
  }

  private doPragma(frame: Frame, args: Token[], hash: Token): void {
    const f = this.files[frame.file];
    if (args[0]?.kind === Kind.Ident && args[0].text === 'once') {
      this.onceFiles.add(f.path);
      // GCC runs the pragma and then reports a line change at its `once` token: a line of spaces.
      this.out.lineChange(args[0], f.presumed, args[0].line + f.lineDelta);
      return;
    }
    this.out.directiveLine(f.presumed, hash.line + f.lineDelta, `#pragma ${spell(args)}`);
  }
}

/** A header name from tokens: `"x"` or `<` ... `>` spelled out. */
function headerSpec(toks: Token[]): { name: string; angle: boolean } | undefined {
  if (toks.length === 0) return undefined;
  if (toks[0].kind === Kind.String) return { name: toks[0].text.slice(1, -1), angle: false };
  if (toks[0].kind === Kind.Punct && toks[0].text === '<') {
    let s = '';
    for (let i = 1; i < toks.length; i++) {
      if (toks[i].kind === Kind.Punct && toks[i].text === '>') return { name: s, angle: true };
      s += (i > 1 && toks[i].ws ? ' ' : '') + toks[i].text;
    }
  }
  return undefined;
}

/**
 * The controlling macro of a file wrapped whole in `#ifndef X` ... `#endif` (or `#if !defined X`):
 * GCC does not re-enter such a file while X is defined, so it prints no line markers for it either.
 */
function findGuard(lexed: LexedFile): string | null {
  const t = lexed.tokens;
  const isHash = (i: number) => t[i]?.bol && t[i].kind === Kind.Punct && t[i].text === '#';
  if (!isHash(0) || !t[1] || t[1].bol) return null;
  let guard: string | null = null;
  let lineEnd = 2;
  while (lineEnd < t.length && !t[lineEnd].bol) lineEnd++;
  const line = t.slice(2, lineEnd).map((x) => x.text);
  if (t[1].text === 'ifndef' && line.length === 1) guard = line[0];
  else if (t[1].text === 'if') {
    const s = line.join(' ');
    const m = /^! defined (?:\( )?([A-Za-z_]\w*)(?: \))?$/.exec(s);
    if (m) guard = m[1];
  }
  if (!guard) return null;
  let depth = 1;
  for (let i = lineEnd; i < t.length; i++) {
    if (!isHash(i) || t[i + 1]?.bol) continue;
    const d = t[i + 1]?.text;
    if (d === 'if' || d === 'ifdef' || d === 'ifndef') depth++;
    else if ((d === 'else' || d === 'elif') && depth === 1) return null;
    else if (d === 'endif') {
      depth--;
      if (depth === 0) {
        let j = i + 2;
        while (j < t.length && !t[j].bol) j++;
        return j === t.length ? guard : null;
      }
    }
  }
  return null;
}

/** Tokens spelled with single spaces where the source had whitespace (messages, #pragma). */
function spell(toks: Token[]): string {
  return toks.map((t, i) => (i > 0 && t.ws ? ' ' : '') + t.text).join('');
}

function dirOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

function escape(s: string): string {
  return s.replace(/[\\"]/g, (c) => '\\' + c);
}

function unescape(s: string): string {
  return s.replace(/\\(.)/g, '$1');
}
