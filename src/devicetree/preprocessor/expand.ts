// Macro expansion: Prosser's algorithm (hide sets) over a pushback stack, which rescans each
// replacement together with the rest of the input, plus libcpp's padding tokens so the output is
// spaced as GCC spaces it. Arguments are expanded in isolation before substitution, except
// operands of `#` and `##`.
import { lexString } from './lexer';
import type { BodyItem, Macro } from './macro';
import { Kind, padding, type Token } from './tokens';

/** Where tokens come from once the pushback stack is empty. */
export interface TokenSource {
  /** `parsingArgs`: reading a macro's argument list (line changes are not reported). */
  next(parsingArgs: boolean): Token | null;
  /** Gives back one token read while looking for a macro's `(`. */
  unread(t: Token): void;
}

export interface ExpandHost {
  macros: Map<string, Macro>;
  error(message: string, at: Token): void;
  /** Result of a built-in macro (__FILE__, __LINE__, ...). */
  builtin(m: Macro, at: Token): Token;
}

/** libcpp's pfile->avoid_paste: a padding with no source (immutable, shared). */
const AVOID_PASTE = padding(null);

const EMPTY_SOURCE: TokenSource = { next: () => null, unread: () => undefined };

interface Arg {
  raw: Token[];
  expanded?: Token[];
}

export class Expander {
  /** Pushback stack: the next token is the last element. */
  private pending: Token[] = [];

  constructor(private readonly host: ExpandHost, private readonly source: TokenSource = EMPTY_SOURCE, initial?: Token[]) {
    if (initial) for (let i = initial.length - 1; i >= 0; i--) this.pending.push(initial[i]);
  }

  /** Expands a list of tokens on its own (macro arguments, `#if` and `#include` lines). */
  static expandAll(host: ExpandHost, tokens: Token[]): Token[] {
    const e = new Expander(host, EMPTY_SOURCE, tokens);
    const out: Token[] = [];
    for (let t = e.next(); t; t = e.next()) out.push(t);
    return out;
  }

  private read(parsingArgs: boolean): { t: Token; fromSource: boolean } | null {
    const p = this.pending.pop();
    if (p) return { t: p, fromSource: false };
    const t = this.source.next(parsingArgs);
    return t ? { t, fromSource: true } : null;
  }

  /** The next fully macro-expanded token (paddings included), or null at the end. */
  next(): Token | null {
    for (;;) {
      const r = this.read(false);
      if (!r) return null;
      const t = r.t;
      if (t.kind !== Kind.Ident || t.noExpand) return t;
      const m = this.host.macros.get(t.text);
      if (!m) return t;
      if (t.hide?.has(t.text)) return { ...t, noExpand: true };
      if (m.builtin) {
        if (m.builtin === 'has_include') return t;
        const b = this.host.builtin(m, t);
        this.pushList([padding(t), { ...b, ws: false }, padding(null)]);
        continue;
      }
      if (!m.funcLike) {
        const hs = addHide(t.hide, m.name);
        this.pushExpansion(t, this.substitute(m, [], hs));
        continue;
      }
      if (!this.peekParen()) return t;
      const call = this.collectArgs(t, m);
      if (!call) return t;
      const hs = addHide(intersect(t.hide, call.rparen.hide), m.name);
      this.pushExpansion(t, this.substitute(m, call.args, hs));
    }
  }

  private pushList(list: Token[]): void {
    for (let i = list.length - 1; i >= 0; i--) this.pending.push(list[i]);
  }

  private pushExpansion(name: Token, body: Token[]): void {
    this.pending.push(AVOID_PASTE);
    for (let i = body.length - 1; i >= 0; i--) this.pending.push(body[i]);
    this.pending.push(padding(name));
  }

  /** Looks past paddings for `(`; consumes it if found, gives everything back if not. */
  private peekParen(): boolean {
    const skipped: Token[] = [];
    for (;;) {
      const r = this.read(true);
      if (!r) break;
      if (r.t.kind === Kind.Padding) {
        skipped.push(r.t);
        continue;
      }
      if (r.t.kind === Kind.Punct && r.t.text === '(') return true;
      if (r.fromSource) this.source.unread(r.t);
      else this.pending.push(r.t);
      break;
    }
    for (let i = skipped.length - 1; i >= 0; i--) this.pending.push(skipped[i]);
    return false;
  }

  private collectArgs(name: Token, m: Macro): { args: Arg[]; rparen: Token } | null {
    const args: Arg[] = [{ raw: [] }];
    let depth = 0;
    for (;;) {
      const r = this.read(true);
      if (!r) {
        this.host.error(`unterminated argument list invoking macro "${m.name}"`, name);
        return null;
      }
      let t = r.t;
      if (r.fromSource && t.bol) t = { ...t, ws: true };
      const cur = args[args.length - 1];
      if (t.kind === Kind.Padding) {
        if (cur.raw.length) cur.raw.push(t);
        continue;
      }
      if (t.kind === Kind.Punct) {
        if (t.text === '(') depth++;
        else if (t.text === ')') {
          if (depth === 0) return this.checkArgs(t, m, args) ? { args, rparen: t } : null;
          depth--;
        } else if (t.text === ',' && depth === 0 && !(m.variadic && args.length === m.params.length)) {
          args.push({ raw: [] });
          continue;
        }
      }
      cur.raw.push(t);
    }
  }

  private checkArgs(name: Token, m: Macro, args: Arg[]): boolean {
    const n = m.params.length;
    if (args.length === 1 && n === 0 && args[0].raw.every((t) => t.kind === Kind.Padding)) {
      args.length = 0;
      return true;
    }
    if (args.length < n) {
      if (m.variadic && args.length === n - 1) {
        args.push({ raw: [] });
        return true;
      }
      this.host.error(`macro "${m.name}" requires ${n} arguments, but only ${args.length} given`, name);
      return false;
    }
    if (args.length > n) {
      this.host.error(`macro "${m.name}" passed ${args.length} arguments, but takes just ${n}`, name);
      return false;
    }
    return true;
  }

  private expandedArg(a: Arg): Token[] {
    if (!a.expanded) a.expanded = Expander.expandAll(this.host, a.raw);
    return a.expanded;
  }

  /** Replacement list with arguments substituted, `#` and `##` applied, hide set `hs` added. */
  private substitute(m: Macro, args: Arg[], hs: ReadonlySet<string>): Token[] {
    if (!m.body.some((b) => b.pasteLeft || b.vaopt)) return this.substituteSimple(m, args, hs);
    const out: Token[] = [];
    const body = m.body.some((b) => b.vaopt) ? resolveVaOpt(m, args) : m.body;
    for (let k = 0; k < body.length; k++) {
      const item = body[k];
      const prevPaste = k > 0 && body[k - 1].pasteLeft === true;
      if (item.param === undefined) {
        out.push({ ...item.tok, pasteLeft: item.pasteLeft, bol: false });
        continue;
      }
      const arg = args[item.param];
      if (item.stringify) {
        out.push({ ...stringize(arg.raw, item.tok), pasteLeft: item.pasteLeft });
        continue;
      }
      if (item.pasteLeft || prevPaste) {
        const raw = arg.raw.filter((t) => t.kind !== Kind.Padding);
        const isVaArgs = m.variadic && item.param === m.params.length - 1;
        if (isVaArgs && prevPaste && out.length && isComma(out[out.length - 1])) {
          // GNU: `, ## __VA_ARGS__` drops the comma when the variable arguments are empty.
          if (raw.length === 0) {
            out.pop();
            continue;
          }
          out[out.length - 1] = { ...out[out.length - 1], pasteLeft: false };
        }
        if (raw.length === 0) {
          out.push(placemarker(item.pasteLeft === true));
          continue;
        }
        // Operands of ## keep their own spacing (no padding from the parameter, unlike GCC's other arguments).
        raw.forEach((t, i) => out.push({ ...t, bol: false, pasteLeft: i === raw.length - 1 ? item.pasteLeft : false }));
        continue;
      }
      const exp = this.expandedArg(arg);
      if (k > 0) out.push(padding(item.tok));
      for (const t of exp) out.push(t);
      out.push(padding(null));
    }

    const res: Token[] = [];
    for (let i = 0; i < out.length; i++) {
      let lhs = out[i];
      while (lhs.pasteLeft && i + 1 < out.length) {
        const rhs = out[++i];
        const pasted = paste(lhs, rhs);
        if (pasted) lhs = pasted;
        else {
          // Assembler mode: an invalid paste leaves both tokens, kept apart.
          res.push({ ...lhs, pasteLeft: false }, padding(null));
          lhs = rhs;
        }
      }
      if (lhs.text === '' && lhs.kind === Kind.Other) continue; // placemarker
      res.push(lhs.kind === Kind.Padding ? lhs : { ...lhs, pasteLeft: false, hide: union(lhs.hide, hs) });
    }
    return res;
  }

  /** substitute() for bodies without `##`: every token is copied exactly once. */
  private substituteSimple(m: Macro, args: Arg[], hs: ReadonlySet<string>): Token[] {
    const res: Token[] = [];
    const body = m.body;
    for (let k = 0; k < body.length; k++) {
      const item = body[k];
      if (item.param === undefined) {
        res.push(withHide(item.tok, hs));
        continue;
      }
      const arg = args[item.param];
      if (item.stringify) {
        res.push(withHide(stringize(arg.raw, item.tok), hs));
        continue;
      }
      if (k > 0) res.push(padding(item.tok));
      for (const t of this.expandedArg(arg)) res.push(t.kind === Kind.Padding ? t : withHide(t, hs));
      res.push(AVOID_PASTE);
    }
    return res;
  }
}

/** A token with the hide set added, built in one go (the common path: no `##` in the body). */
function withHide(t: Token, hs: ReadonlySet<string>): Token {
  return { kind: t.kind, text: t.text, file: t.file, line: t.line, col: t.col, ws: t.ws, bol: false, hide: union(t.hide, hs), pasteLeft: false, noExpand: t.noExpand, source: undefined };
}

/** The body with each `__VA_OPT__(...)` replaced by its contents or, without variable arguments, a placemarker. */
function resolveVaOpt(m: Macro, args: Arg[]): BodyItem[] {
  const va = args[m.params.length - 1];
  const present = !!va && va.raw.some((t) => t.kind !== Kind.Padding);
  const out: BodyItem[] = [];
  for (const item of m.body) {
    if (!item.vaopt) {
      out.push(item);
      continue;
    }
    const content = present ? item.vaopt.map((x) => ({ ...x })) : [];
    if (content.length === 0) {
      out.push({ tok: placemarker(false), pasteLeft: item.pasteLeft });
      continue;
    }
    content[0] = { ...content[0], tok: { ...content[0].tok, ws: item.tok.ws } };
    if (item.pasteLeft) content[content.length - 1].pasteLeft = true;
    out.push(...content);
  }
  return out;
}

function isComma(t: Token): boolean {
  return t.kind === Kind.Punct && t.text === ',';
}

function placemarker(pasteLeft: boolean): Token {
  return { kind: Kind.Other, text: '', file: -1, line: 0, col: 0, ws: false, bol: false, pasteLeft };
}

function paste(lhs: Token, rhs: Token): Token | null {
  if (lhs.text === '' && lhs.kind === Kind.Other) return { ...rhs, ws: lhs.ws };
  if (rhs.text === '' && rhs.kind === Kind.Other) return { ...lhs, pasteLeft: rhs.pasteLeft };
  const text = lhs.text + rhs.text;
  const toks = lexString(text);
  if (toks.length !== 1 || toks[0].text !== text) return null;
  return { ...lhs, kind: toks[0].kind, text, pasteLeft: rhs.pasteLeft, hide: undefined, noExpand: false };
}

/** `#arg`: the argument's spelling with single spaces, quotes and backslashes escaped in literals. */
export function stringize(raw: Token[], at: Token): Token {
  let s = '';
  let source: Token | null = null;
  let first = true;
  for (const t of raw) {
    if (t.kind === Kind.Padding) {
      if (source === null || (!source.ws && !t.source)) source = t.source ?? null;
      continue;
    }
    if (!first) {
      const src = source ?? t;
      if (src.ws) s += ' ';
    }
    source = null;
    first = false;
    s += t.kind === Kind.String || t.kind === Kind.Char ? t.text.replace(/[\\"]/g, (c) => '\\' + c) : t.text;
  }
  return { kind: Kind.String, text: `"${s}"`, file: at.file, line: at.line, col: at.col, ws: at.ws, bol: false };
}

const hideCache = new Map<string, ReadonlySet<string>>();

function addHide(h: ReadonlySet<string> | undefined, name: string): ReadonlySet<string> {
  if (!h || h.size === 0) {
    let s = hideCache.get(name);
    if (!s) hideCache.set(name, (s = new Set([name])));
    return s;
  }
  if (h.has(name)) return h;
  const s = new Set(h);
  s.add(name);
  return s;
}

function intersect(a: ReadonlySet<string> | undefined, b: ReadonlySet<string> | undefined): ReadonlySet<string> | undefined {
  if (!a || !b) return undefined;
  if (a === b) return a;
  const s = new Set<string>();
  for (const x of a) if (b.has(x)) s.add(x);
  return s.size ? s : undefined;
}

function union(a: ReadonlySet<string> | undefined, b: ReadonlySet<string>): ReadonlySet<string> {
  if (!a || a.size === 0 || a === b) return b;
  let missing = false;
  for (const x of b) if (!a.has(x)) missing = true;
  if (!missing) return a;
  const s = new Set(a);
  for (const x of b) s.add(x);
  return s;
}
