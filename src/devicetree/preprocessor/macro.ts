// `#define` parsing: object- and function-like macros (variadic, named variadic), the body turned
// into items with `#` and `##` resolved to flags as libcpp stores them, and the redefinition test.
import { Kind, type Token } from './tokens';

export interface BodyItem {
  tok: Token;
  /** Index of the parameter this token names, if any. */
  param?: number;
  /** `#param`: stringize that argument. */
  stringify?: boolean;
  /** `##` follows. */
  pasteLeft?: boolean;
  /** `__VA_OPT__( ... )`: these items when the variable arguments are present, nothing otherwise. */
  vaopt?: BodyItem[];
}

export interface Macro {
  name: string;
  funcLike: boolean;
  params: string[];
  /** The last parameter collects the rest (`...` or `name...`). */
  variadic: boolean;
  body: BodyItem[];
  /** Where it was defined, for "previous definition" notes; undefined for built-ins and -D. */
  def?: Token;
  builtin?: 'FILE' | 'LINE' | 'COUNTER' | 'INCLUDE_LEVEL' | 'BASE_FILE' | 'has_include';
}

export class DefineError extends Error {
  constructor(message: string, readonly token: Token | undefined) {
    super(message);
  }
}

/** Parses the tokens after `#define` (the name first). */
export function parseDefine(line: Token[], eol: Token): Macro {
  const nameTok = line[0];
  if (!nameTok) throw new DefineError('no macro name given in #define directive', eol);
  if (nameTok.kind !== Kind.Ident) throw new DefineError('macro names must be identifiers', nameTok);
  if (nameTok.text === 'defined') throw new DefineError('"defined" cannot be used as a macro name', nameTok);
  if (nameTok.text === '__has_include' || nameTok.text === '__has_include_next') {
    throw new DefineError(`"${nameTok.text}" cannot be used as a macro name`, nameTok);
  }
  let i = 1;
  const params: string[] = [];
  let variadic = false;
  let funcLike = false;
  const next = line[1];
  if (next && next.kind === Kind.Punct && next.text === '(' && !next.ws) {
    funcLike = true;
    i = 2;
    for (;;) {
      const t = line[i];
      if (!t) throw new DefineError('expected parameter name before end of line', eol);
      if (t.kind === Kind.Punct && t.text === ')' && params.length === 0) {
        i++;
        break;
      }
      if (t.kind === Kind.Punct && t.text === '...') {
        variadic = true;
        params.push('__VA_ARGS__');
        i++;
        const close = line[i];
        if (!close || close.kind !== Kind.Punct || close.text !== ')') throw new DefineError(`expected ')' after "..."`, close ?? eol);
        i++;
        break;
      }
      if (t.kind !== Kind.Ident) throw new DefineError(`expected parameter name, found "${t.text}"`, t);
      if (t.text === '__VA_ARGS__') throw new DefineError('__VA_ARGS__ can only appear in the expansion of a C99 variadic macro', t);
      if (params.includes(t.text)) throw new DefineError(`duplicate macro parameter "${t.text}"`, t);
      params.push(t.text);
      i++;
      const sep = line[i];
      if (!sep) throw new DefineError("expected ')' before end of line", eol);
      if (sep.kind === Kind.Punct && sep.text === '...') {
        variadic = true;
        i++;
        const close = line[i];
        if (!close || close.kind !== Kind.Punct || close.text !== ')') throw new DefineError(`expected ')' after "..."`, close ?? eol);
        i++;
        break;
      }
      if (sep.kind === Kind.Punct && sep.text === ')') {
        i++;
        break;
      }
      if (sep.kind !== Kind.Punct || sep.text !== ',') throw new DefineError(`expected ',' or ')', found "${sep.text}"`, sep);
      i++;
    }
  }

  const body = parseBody(line.slice(i), params, funcLike, variadic, line[i - 1]);
  // libcpp clears the whitespace flag of the first body token.
  if (body.length) body[0] = { ...body[0], tok: { ...body[0].tok, ws: false } };
  return { name: nameTok.text, funcLike, params, variadic, body, def: nameTok };
}

/** The replacement list as items: parameters, `#param`, `##` as flags, `__VA_OPT__(...)` groups. */
function parseBody(raw: Token[], params: string[], funcLike: boolean, variadic: boolean, before: Token): BodyItem[] {
  const body: BodyItem[] = [];
  for (let k = 0; k < raw.length; k++) {
    const t = raw[k];
    if (t.kind === Kind.Punct && t.text === '##') {
      // GCC points at the token before a leading `##` (the end of the parameter list or the name).
      if (body.length === 0) throw new DefineError("'##' cannot appear at either end of a macro expansion", before);
      if (k === raw.length - 1) throw new DefineError("'##' cannot appear at either end of a macro expansion", t);
      body[body.length - 1].pasteLeft = true;
      continue;
    }
    if (variadic && t.kind === Kind.Ident && t.text === '__VA_OPT__') {
      const open = raw[k + 1];
      if (!open || open.kind !== Kind.Punct || open.text !== '(') throw new DefineError('__VA_OPT__ must be followed by an open parenthesis', t);
      let depth = 0;
      let close = -1;
      for (let j = k + 1; j < raw.length; j++) {
        const x = raw[j];
        if (x.kind !== Kind.Punct) continue;
        if (x.text === '(') depth++;
        else if (x.text === ')' && --depth === 0) {
          close = j;
          break;
        }
      }
      if (close < 0) throw new DefineError('unterminated __VA_OPT__', t);
      body.push({ tok: t, vaopt: parseBody(raw.slice(k + 2, close), params, funcLike, variadic, open) });
      k = close;
      continue;
    }
    if (funcLike && t.kind === Kind.Punct && t.text === '#') {
      const p = raw[k + 1];
      const idx = p && p.kind === Kind.Ident ? params.indexOf(p.text) : -1;
      if (idx >= 0) {
        body.push({ tok: { ...p, ws: t.ws }, param: idx, stringify: true });
        k++;
        continue;
      }
      // Assembler mode: a `#` not followed by a parameter is kept as it is.
    }
    if (funcLike && t.kind === Kind.Ident) {
      const idx = params.indexOf(t.text);
      if (idx >= 0) {
        body.push({ tok: t, param: idx });
        continue;
      }
    }
    body.push({ tok: t });
  }
  return body;
}

/** Same definition in the C standard's sense (6.10.3p2): same parameters, same tokens and whitespace. */
export function sameDefinition(a: Macro, b: Macro): boolean {
  if (a.funcLike !== b.funcLike || a.variadic !== b.variadic || a.params.join(',') !== b.params.join(',')) return false;
  if (a.body.length !== b.body.length) return false;
  for (let i = 0; i < a.body.length; i++) {
    const x = a.body[i];
    const y = b.body[i];
    if (x.tok.text !== y.tok.text || !!x.stringify !== !!y.stringify || !!x.pasteLeft !== !!y.pasteLeft) return false;
    if (i > 0 && x.tok.ws !== y.tok.ws) return false;
  }
  return true;
}
