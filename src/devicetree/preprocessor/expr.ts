// `#if` / `#elif` arithmetic as GCC evaluates it: intmax_t/uintmax_t (64-bit) with C's usual
// conversions, C precedence including ?: and the comma, short-circuit evaluation that silences errors
// in the branch not taken, and GCC's wording for every error.
import { Kind, type Token } from './tokens';

export class ExprError extends Error {
  constructor(message: string, readonly token: Token | undefined) {
    super(message);
  }
}

interface Value {
  v: bigint;
  unsigned: boolean;
}

export interface ExprWarning {
  message: string;
  token: Token;
}

const wrap = (v: bigint, unsigned: boolean): Value => ({ v: unsigned ? BigInt.asUintN(64, v) : BigInt.asIntN(64, v), unsigned });

/** Parses a C integer or character constant as `#if` does. */
export function parseNumber(t: Token, warn: (w: ExprWarning) => void): Value {
  if (t.kind === Kind.Char) return parseChar(t, warn);
  const text = t.text;
  const m = /^(0[xX][0-9a-fA-F]+|0[bB][01]+|[0-9]+)([a-zA-Z_0-9.+-]*)$/.exec(text);
  if (!m) {
    if (/^[0-9]*\.|^[0-9]+[eE]|^0[xX][0-9a-fA-F]*[pP.]/.test(text) && !/^0[xX][0-9a-fA-F]+[^pP.]/.test(text)) {
      throw new ExprError('floating constant in preprocessor expression', t);
    }
    throw new ExprError(`invalid suffix "${text.replace(/^(0[xX][0-9a-fA-F]*|0[bB][01]*|[0-9]*)/, '')}" on integer constant`, t);
  }
  const [, digits, suffix] = m;
  if (!/^(|[uU]|[lL]|[uU][lL]|[lL][uU]|ll|LL|[uU]ll|[uU]LL|ll[uU]|LL[uU])$/.test(suffix)) {
    if (/^[eE]|^\./.test(suffix) && !/^0[xX]/.test(digits)) throw new ExprError('floating constant in preprocessor expression', t);
    throw new ExprError(`invalid suffix "${suffix}" on integer constant`, t);
  }
  let v: bigint;
  let radixPrefixed = true;
  if (/^0[xX]/.test(digits)) v = BigInt(digits);
  else if (/^0[bB]/.test(digits)) v = BigInt(digits);
  else if (digits.length > 1 && digits[0] === '0') {
    if (/[89]/.test(digits)) throw new ExprError(`invalid digit "${/[89]/.exec(digits)![0]}" in octal constant`, t);
    v = BigInt('0o' + digits.slice(1));
  } else {
    v = BigInt(digits);
    radixPrefixed = false;
  }
  let unsigned = /[uU]/.test(suffix);
  if (v > 0xffffffffffffffffn) {
    warn({ message: 'integer constant is too large for its type', token: t });
    v = BigInt.asUintN(64, v);
  }
  if (!unsigned && v > 0x7fffffffffffffffn) {
    if (!radixPrefixed) warn({ message: 'integer constant is so large that it is unsigned', token: t });
    unsigned = true;
  }
  return wrap(v, unsigned);
}

function parseChar(t: Token, warn: (w: ExprWarning) => void): Value {
  const body = t.text.slice(1, -1);
  const chars: number[] = [];
  for (let i = 0; i < body.length; ) {
    if (body[i] !== '\\') {
      chars.push(body.charCodeAt(i) & 0xff);
      i++;
      continue;
    }
    const e = body[i + 1];
    i += 2;
    const simple: Record<string, number> = { n: 10, t: 9, r: 13, a: 7, b: 8, f: 12, v: 11, e: 27, E: 27, '\\': 92, "'": 39, '"': 34, '?': 63 };
    if (e in simple) chars.push(simple[e]);
    else if (e === 'x') {
      const m = /^[0-9a-fA-F]+/.exec(body.slice(i));
      chars.push(m ? parseInt(m[0], 16) & 0xff : 0);
      i += m ? m[0].length : 0;
    } else if (e >= '0' && e <= '7') {
      const m = /^[0-7]{0,2}/.exec(body.slice(i))!;
      chars.push(parseInt(e + m[0], 8) & 0xff);
      i += m[0].length;
    } else chars.push(e.charCodeAt(0) & 0xff);
  }
  if (chars.length === 0) throw new ExprError('empty character constant', t);
  if (chars.length === 1) return { v: BigInt((chars[0] << 24) >> 24), unsigned: false };
  warn({ message: 'multi-character character constant', token: t });
  let v = 0;
  for (const c of chars) v = ((v << 8) | c) | 0;
  return { v: BigInt(v), unsigned: false };
}

const BINARY_PREC: Record<string, number> = {
  '*': 10, '/': 10, '%': 10,
  '+': 9, '-': 9,
  '<<': 8, '>>': 8,
  '<': 7, '>': 7, '<=': 7, '>=': 7,
  '==': 6, '!=': 6,
  '&': 5, '^': 4, '|': 3, '&&': 2, '||': 1,
};

/**
 * Evaluates the tokens of a `#if` line after macro expansion. `defined` operators must already be
 * replaced by numbers; any other identifier counts as 0, as in C.
 */
export function evaluate(tokens: Token[], directive: string, at: Token, warn: (w: ExprWarning) => void): boolean {
  const toks = tokens.filter((t) => t.kind !== Kind.Padding);
  if (toks.length === 0) throw new ExprError(`#${directive} with no expression`, at);
  let i = 0;
  let skip = 0;
  const peek = () => toks[i];
  const isOp = (t: Token | undefined, op: string) => t !== undefined && t.kind === Kind.Punct && t.text === op;
  const describe = (t: Token) => t.text;

  const primary = (): Value => {
    const t = toks[i];
    if (!t) throw new ExprError(`#${directive} with no expression`, at);
    if (t.kind === Kind.Number || t.kind === Kind.Char) {
      i++;
      return parseNumber(t, warn);
    }
    if (t.kind === Kind.Ident) {
      i++;
      return { v: 0n, unsigned: false };
    }
    if (isOp(t, '(')) {
      i++;
      if (isOp(peek(), ')')) throw new ExprError("missing expression between '(' and ')'", peek());
      const v = comma();
      if (!isOp(peek(), ')')) throw new ExprError(peek() ? `missing ')' in expression` : `missing ')' in expression`, peek() ?? t);
      i++;
      return v;
    }
    if (t.kind === Kind.Punct && ['+', '-', '~', '!'].includes(t.text)) {
      i++;
      const v = unary(t);
      return v;
    }
    if (t.kind === Kind.String) throw new ExprError(`token "${describe(t)}" is not valid in preprocessor expressions`, t);
    if (t.kind === Kind.Punct && (t.text in BINARY_PREC || t.text === '?' || t.text === ':' || t.text === ',' || t.text === ')')) {
      const prev = toks[i - 1];
      if (!prev || isOp(prev, '(')) throw new ExprError(`operator '${t.text}' has no left operand`, t);
      throw new ExprError(`operator '${prev.text}' has no right operand`, prev);
    }
    throw new ExprError(`token "${describe(t)}" is not valid in preprocessor expressions`, t);
  };

  const unary = (op: Token): Value => {
    if (!toks[i]) throw new ExprError(`operator '${op.text}' has no right operand`, at);
    const v = primaryOrUnary();
    switch (op.text) {
      case '+': return v;
      case '-': return wrap(-v.v, v.unsigned);
      case '~': return wrap(~v.v, v.unsigned);
      default: return { v: v.v === 0n ? 1n : 0n, unsigned: false };
    }
  };
  const primaryOrUnary = (): Value => primary();

  const binary = (minPrec: number): Value => {
    let lhs = primary();
    for (;;) {
      const t = peek();
      if (!t) return lhs;
      if (t.kind !== Kind.Punct) throw new ExprError(`missing binary operator before token "${describe(t)}"`, t);
      const prec = BINARY_PREC[t.text];
      if (prec === undefined || prec < minPrec) {
        if (prec === undefined && !['?', ':', ',', ')'].includes(t.text)) {
          throw new ExprError(`token "${describe(t)}" is not valid in preprocessor expressions`, t);
        }
        return lhs;
      }
      i++;
      if (!toks[i]) throw new ExprError(`operator '${t.text}' has no right operand`, at);
      if (t.text === '&&' || t.text === '||') {
        const shortCircuit = t.text === '&&' ? lhs.v === 0n : lhs.v !== 0n;
        if (shortCircuit) skip++;
        const rhs = binary(prec + 1);
        if (shortCircuit) skip--;
        lhs = { v: t.text === '&&' ? (lhs.v !== 0n && rhs.v !== 0n ? 1n : 0n) : (lhs.v !== 0n || rhs.v !== 0n ? 1n : 0n), unsigned: false };
        continue;
      }
      const rhs = binary(prec + 1);
      lhs = apply(t, lhs, rhs);
    }
  };

  const apply = (op: Token, a: Value, b: Value): Value => {
    const shift = op.text === '<<' || op.text === '>>';
    const unsigned = shift ? a.unsigned : a.unsigned || b.unsigned;
    const x = unsigned ? BigInt.asUintN(64, a.v) : a.v;
    const y = shift ? b.v : unsigned ? BigInt.asUintN(64, b.v) : b.v;
    switch (op.text) {
      case '*': return wrap(x * y, unsigned);
      case '/':
      case '%':
        if (y === 0n) {
          if (skip) return { v: 0n, unsigned };
          throw new ExprError(`division by zero in #${directive}`, op);
        }
        return wrap(op.text === '/' ? x / y : x % y, unsigned);
      case '+': return wrap(x + y, unsigned);
      case '-': return wrap(x - y, unsigned);
      case '<<':
      case '>>': {
        let left = op.text === '<<';
        let n = b.unsigned ? BigInt.asUintN(64, y) : y;
        if (n < 0n) {
          left = !left;
          n = -n;
        }
        if (left) return n >= 64n ? { v: 0n, unsigned } : wrap(x << n, unsigned);
        if (n >= 64n) return { v: !unsigned && x < 0n ? -1n : 0n, unsigned };
        return wrap(x >> n, unsigned);
      }
      case '<': return { v: x < y ? 1n : 0n, unsigned: false };
      case '>': return { v: x > y ? 1n : 0n, unsigned: false };
      case '<=': return { v: x <= y ? 1n : 0n, unsigned: false };
      case '>=': return { v: x >= y ? 1n : 0n, unsigned: false };
      case '==': return { v: x === y ? 1n : 0n, unsigned: false };
      case '!=': return { v: x !== y ? 1n : 0n, unsigned: false };
      case '&': return wrap(x & y, unsigned);
      case '^': return wrap(x ^ y, unsigned);
      default: return wrap(x | y, unsigned);
    }
  };

  const conditional = (): Value => {
    const c = binary(1);
    const q = peek();
    if (!isOp(q, '?')) return c;
    i++;
    const cond = c.v !== 0n;
    if (!cond) skip++;
    const a = comma();
    if (!cond) skip--;
    if (!isOp(peek(), ':')) throw new ExprError(`'?' without following ':'`, peek() ?? at);
    i++;
    if (cond) skip++;
    const b = conditional();
    if (cond) skip--;
    const unsigned = a.unsigned || b.unsigned;
    return wrap(cond ? a.v : b.v, unsigned);
  };

  const comma = (): Value => {
    let v = conditional();
    while (isOp(peek(), ',')) {
      i++;
      v = conditional();
    }
    return v;
  };

  const v = comma();
  if (i < toks.length) {
    const t = toks[i];
    if (isOp(t, ')')) throw new ExprError("missing '(' in expression", t);
    if (isOp(t, ':')) throw new ExprError(" ':' without preceding '?'", t); // GCC's wording, leading space included
    throw new ExprError(`missing binary operator before token "${describe(t)}"`, t);
  }
  return v.v !== 0n;
}
