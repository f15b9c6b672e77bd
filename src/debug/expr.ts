// C expressions for the debug console, watches, breakpoint conditions and hypercall filters:
// integer arithmetic with C's rules for a 32-bit ARM target (int and long are 32 bits, long long 64,
// pointers 32), registers ($r0, $pc), symbols, casts and memory reads such as *(u32 *)0xc0008000.

export type ScalarType = { kind: 'int'; bits: 8 | 16 | 32 | 64; signed: boolean; name: string };
export type PointerType = { kind: 'pointer'; to: ScalarType | PointerType; name: string };
export type CType = ScalarType | PointerType;

export interface Value {
  type: CType;
  /** The value, normalised to the type's width (two's complement for signed types). */
  v: bigint;
  /** Where it lives, when it is an lvalue in guest memory (for & and for watchpoints). */
  address?: number;
}

/** What an expression can see: registers, symbols and memory. Unknown names return undefined. */
export interface EvalContext {
  register?(name: string): Value | undefined;
  symbol?(name: string): Value | undefined;
  /** Reads `size` bytes of guest memory at a virtual address, or undefined when unmapped. */
  readMemory?(address: number, size: number): Uint8Array | undefined;
}

export class ExprError extends Error {
  constructor(message: string, readonly column: number) {
    super(message);
  }
}

const T = {
  char: { kind: 'int', bits: 8, signed: true, name: 'char' },
  uchar: { kind: 'int', bits: 8, signed: false, name: 'unsigned char' },
  short: { kind: 'int', bits: 16, signed: true, name: 'short' },
  ushort: { kind: 'int', bits: 16, signed: false, name: 'unsigned short' },
  int: { kind: 'int', bits: 32, signed: true, name: 'int' },
  uint: { kind: 'int', bits: 32, signed: false, name: 'unsigned int' },
  llong: { kind: 'int', bits: 64, signed: true, name: 'long long' },
  ullong: { kind: 'int', bits: 64, signed: false, name: 'unsigned long long' },
} as const satisfies Record<string, ScalarType>;
export const Types = T;

/** Type names a cast may use, including the kernel's fixed-width names. */
const TYPE_NAMES: Record<string, ScalarType> = {
  char: T.char, 'signed char': T.char, 'unsigned char': T.uchar, short: T.short, 'short int': T.short,
  'unsigned short': T.ushort, 'unsigned short int': T.ushort, int: T.int, signed: T.int, 'signed int': T.int,
  unsigned: T.uint, 'unsigned int': T.uint, long: T.int, 'long int': T.int, 'unsigned long': T.uint,
  'unsigned long int': T.uint, 'long long': T.llong, 'long long int': T.llong, 'unsigned long long': T.ullong,
  'unsigned long long int': T.ullong, u8: T.uchar, u16: T.ushort, u32: T.uint, u64: T.ullong, s8: T.char,
  s16: T.short, s32: T.int, s64: T.llong, uint8_t: T.uchar, uint16_t: T.ushort, uint32_t: T.uint, uint64_t: T.ullong,
  int8_t: T.char, int16_t: T.short, int32_t: T.int, int64_t: T.llong, size_t: T.uint, uintptr_t: T.uint,
  xen_ulong_t: T.ullong, xen_pfn_t: T.ullong, bool: T.uchar, _Bool: T.uchar,
};

export function normalize(type: CType, v: bigint): bigint {
  const bits = type.kind === 'pointer' ? 32 : type.bits;
  return type.kind === 'int' && type.signed ? BigInt.asIntN(bits, v) : BigInt.asUintN(bits, v);
}

export function intValue(v: bigint | number, type: ScalarType = T.int): Value {
  return { type, v: normalize(type, BigInt(v)) };
}

// ---- lexer --------------------------------------------------------------------------------------

type Tok = { t: 'num'; v: bigint; type: ScalarType; col: number } | { t: 'id'; v: string; col: number } | { t: 'op'; v: string; col: number } | { t: 'end'; col: number };

const OPS = ['<<=', '>>=', '<<', '>>', '<=', '>=', '==', '!=', '&&', '||', '+', '-', '*', '/', '%', '<', '>', '&', '|', '^', '!', '~', '?', ':', '(', ')', ','];

function lex(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const ch = src[i];
    if (/\s/.test(ch)) { i++; continue; }
    const col = i + 1;
    if (/[0-9]/.test(ch)) {
      const m = /^(0[xX][0-9a-fA-F]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)([uUlL]*)/.exec(src.slice(i))!;
      const text = m[1];
      let v: bigint;
      if (/^0[xX]/.test(text)) v = BigInt(text);
      else if (/^0[bB]/.test(text)) v = BigInt(text);
      else if (text.length > 1 && text[0] === '0') v = BigInt('0o' + text.slice(1));
      else v = BigInt(text);
      if (/[0-9a-zA-Z_]/.test(src[i + m[0].length] ?? '')) throw new ExprError(`bad number '${src.slice(i).split(/[^0-9a-zA-Z_]/)[0]}'`, col);
      const sfx = m[2].toLowerCase();
      const unsigned = sfx.includes('u'), long2 = sfx.includes('ll');
      const decimal = !/^0/.test(text) || text === '0';
      // C's rule for an unsuffixed constant: the first of int, (unsigned int when not decimal),
      // long long, unsigned long long that holds it.
      let type: ScalarType;
      const fits = (t: ScalarType) => v <= (t.signed ? (1n << BigInt(t.bits - 1)) - 1n : (1n << BigInt(t.bits)) - 1n);
      const order: ScalarType[] = long2 ? (unsigned ? [T.ullong] : decimal ? [T.llong] : [T.llong, T.ullong])
        : unsigned ? [T.uint, T.ullong] : decimal ? [T.int, T.llong] : [T.int, T.uint, T.llong, T.ullong];
      type = order.find(fits) ?? T.ullong;
      out.push({ t: 'num', v: normalize(type, v), type, col });
      i += m[0].length;
      continue;
    }
    if (ch === "'") {
      const m = /^'(\\x[0-9a-fA-F]+|\\[0-7]{1,3}|\\.|[^\\'])'/.exec(src.slice(i));
      if (!m) throw new ExprError('bad character constant', col);
      const body = m[1];
      const esc: Record<string, number> = { n: 10, t: 9, r: 13, '0': 0, '\\': 92, "'": 39, '"': 34, a: 7, b: 8, f: 12, v: 11 };
      let code: number;
      if (body[0] !== '\\') code = body.charCodeAt(0);
      else if (body[1] === 'x') code = parseInt(body.slice(2), 16);
      else if (/[0-7]/.test(body[1])) code = parseInt(body.slice(1), 8);
      else code = esc[body[1]] ?? body.charCodeAt(1);
      out.push({ t: 'num', v: BigInt.asIntN(8, BigInt(code)), type: T.int, col });
      i += m[0].length;
      continue;
    }
    if (/[A-Za-z_$]/.test(ch)) {
      const m = /^[$A-Za-z_][A-Za-z0-9_$.]*/.exec(src.slice(i))!;
      out.push({ t: 'id', v: m[0], col });
      i += m[0].length;
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (!op) throw new ExprError(`unexpected character '${ch}'`, col);
    out.push({ t: 'op', v: op, col });
    i += op.length;
  }
  out.push({ t: 'end', col: src.length + 1 });
  return out;
}

// ---- parser + evaluator (evaluated while parsing; && || ?: short-circuit) --------------------

const BINARY: Record<string, number> = {
  '||': 1, '&&': 2, '|': 3, '^': 4, '&': 5, '==': 6, '!=': 6, '<': 7, '>': 7, '<=': 7, '>=': 7,
  '<<': 8, '>>': 8, '+': 9, '-': 9, '*': 10, '/': 10, '%': 10,
};

function rank(t: ScalarType): number {
  return t.bits === 64 ? 2 : 1;
}

/** Integer promotions and the usual arithmetic conversions (ILP32). */
function promote(t: CType): ScalarType {
  if (t.kind === 'pointer') return T.uint;
  return t.bits < 32 ? T.int : t;
}
function common(a: ScalarType, b: ScalarType): ScalarType {
  if (rank(a) === rank(b)) return a.signed && b.signed ? a : a.signed ? b : a;
  const [hi, lo] = rank(a) > rank(b) ? [a, b] : [b, a];
  if (!hi.signed && lo.signed) return hi;
  if (hi.signed && !lo.signed) return hi.bits > lo.bits ? hi : { ...hi, signed: false, name: 'unsigned ' + hi.name };
  return hi;
}

class Parser {
  private i = 0;
  constructor(private readonly toks: Tok[], private readonly ctx: EvalContext, private readonly evaluate: boolean) {}

  private peek(): Tok { return this.toks[this.i]; }
  private next(): Tok { return this.toks[this.i++]; }
  private isOp(v: string): boolean { const t = this.peek(); return t.t === 'op' && t.v === v; }
  private expect(v: string): void {
    const t = this.next();
    if (t.t !== 'op' || t.v !== v) throw new ExprError(`expected '${v}'`, t.col);
  }

  parse(): Value {
    const v = this.ternary(this.evaluate);
    const t = this.peek();
    if (t.t !== 'end') throw new ExprError(`unexpected '${t.t === 'op' || t.t === 'id' ? t.v : String((t as { v: bigint }).v)}'`, t.col);
    return v;
  }

  private ternary(live: boolean): Value {
    const cond = this.binary(0, live);
    if (!this.isOp('?')) return cond;
    this.next();
    const take = cond.v !== 0n;
    const a = this.ternary(live && take);
    this.expect(':');
    const b = this.ternary(live && !take);
    const type = a.type.kind === 'int' && b.type.kind === 'int' ? common(promote(a.type), promote(b.type)) : a.type;
    const chosen = take ? a : b;
    return { type, v: normalize(type, chosen.v) };
  }

  private binary(minPrec: number, live: boolean): Value {
    let left = this.unary(live);
    for (;;) {
      const t = this.peek();
      if (t.t !== 'op' || !(t.v in BINARY) || BINARY[t.v] <= minPrec) return left;
      this.next();
      const prec = BINARY[t.v];
      if (t.v === '&&' || t.v === '||') {
        const short = t.v === '&&' ? left.v === 0n : left.v !== 0n;
        const right = this.binary(prec, live && !short);
        left = intValue(t.v === '&&' ? (left.v !== 0n && right.v !== 0n ? 1 : 0) : (left.v !== 0n || right.v !== 0n ? 1 : 0));
        continue;
      }
      const right = this.binary(prec, live);
      left = this.apply(t.v, left, right, t.col, live);
    }
  }

  private apply(op: string, a: Value, b: Value, col: number, live: boolean): Value {
    // Pointer arithmetic: p + n and p - n scale by the pointee size; p - q gives a difference.
    if ((op === '+' || op === '-') && a.type.kind === 'pointer' && b.type.kind === 'int') {
      return { type: a.type, v: normalize(a.type, op === '+' ? a.v + b.v * BigInt(sizeOf(a.type.to)) : a.v - b.v * BigInt(sizeOf(a.type.to))) };
    }
    if (op === '+' && b.type.kind === 'pointer' && a.type.kind === 'int') return this.apply('+', b, a, col, live);
    if (op === '<<' || op === '>>') {
      const type = promote(a.type);
      const count = b.v;
      if (live && (count < 0n || count >= BigInt(type.bits))) throw new ExprError(`shift count ${count} is out of range for ${type.name}`, col);
      if (!live) return { type, v: 0n };
      const av = normalize(type, a.v);
      return { type, v: normalize(type, op === '<<' ? av << count : av >> count) };
    }
    const type = common(promote(a.type), promote(b.type));
    const x = normalize(type, a.v), y = normalize(type, b.v);
    const bool = (c: boolean): Value => intValue(c ? 1 : 0);
    switch (op) {
      case '+': return { type, v: normalize(type, x + y) };
      case '-': return { type, v: normalize(type, x - y) };
      case '*': return { type, v: normalize(type, x * y) };
      case '/': case '%': {
        if (!live) return { type, v: 0n };
        if (y === 0n) throw new ExprError('division by zero', col);
        // BigInt division truncates toward zero, as C does.
        return { type, v: normalize(type, op === '/' ? x / y : x % y) };
      }
      case '&': return { type, v: normalize(type, x & y) };
      case '|': return { type, v: normalize(type, x | y) };
      case '^': return { type, v: normalize(type, x ^ y) };
      case '==': return bool(x === y);
      case '!=': return bool(x !== y);
      case '<': return bool(x < y);
      case '>': return bool(x > y);
      case '<=': return bool(x <= y);
      case '>=': return bool(x >= y);
    }
    throw new ExprError(`unknown operator '${op}'`, col);
  }

  /** A cast's type name, if the tokens at the cursor (after '(') form one. */
  private typeName(): CType | undefined {
    const start = this.i;
    const words: string[] = [];
    while (this.peek().t === 'id' && /^(unsigned|signed|char|short|int|long|[us](8|16|32|64)|u?int(8|16|32|64)_t|size_t|uintptr_t|xen_ulong_t|xen_pfn_t|bool|_Bool|const|volatile)$/.test((this.peek() as { v: string }).v)) {
      const w = (this.next() as { v: string }).v;
      if (w !== 'const' && w !== 'volatile') words.push(w);
    }
    const base = TYPE_NAMES[words.join(' ')];
    if (!base) { this.i = start; return undefined; }
    let type: CType = base;
    while (this.isOp('*')) { this.next(); type = { kind: 'pointer', to: type, name: `${type.name} *` }; }
    if (!this.isOp(')')) { this.i = start; return undefined; }
    return type;
  }

  private unary(live: boolean): Value {
    const t = this.peek();
    if (t.t === 'op') {
      switch (t.v) {
        case '-': { this.next(); const v = this.unary(live); const type = promote(v.type); return { type, v: normalize(type, -v.v) }; }
        case '+': { this.next(); const v = this.unary(live); const type = promote(v.type); return { type, v: normalize(type, v.v) }; }
        case '~': { this.next(); const v = this.unary(live); const type = promote(v.type); return { type, v: normalize(type, ~v.v) }; }
        case '!': { this.next(); const v = this.unary(live); return intValue(v.v === 0n ? 1 : 0); }
        case '*': { this.next(); return this.deref(this.unary(live), t.col, live); }
        case '&': {
          this.next();
          const v = this.unary(live);
          if (v.address === undefined) throw new ExprError('cannot take the address of a value that is not in memory', t.col);
          return { type: { kind: 'pointer', to: v.type, name: `${v.type.name} *` }, v: BigInt(v.address) };
        }
        case '(': {
          this.next();
          const type = this.typeName();
          if (type) {
            this.expect(')');
            const v = this.unary(live);
            return { type, v: normalize(type, v.v) };
          }
          const v = this.ternary(live);
          this.expect(')');
          return v;
        }
      }
      throw new ExprError(`unexpected '${t.v}'`, t.col);
    }
    this.next();
    if (t.t === 'num') return { type: t.type, v: t.v };
    if (t.t === 'end') throw new ExprError('expression expected', t.col);
    if (t.v === 'sizeof') {
      this.expect('(');
      const type = this.typeName();
      if (!type) throw new ExprError('sizeof wants a type name', this.peek().col);
      this.expect(')');
      return intValue(sizeOf(type), T.uint);
    }
    const v = t.v.startsWith('$') ? this.ctx.register?.(t.v.slice(1)) : this.ctx.symbol?.(t.v);
    if (!v) throw new ExprError(t.v.startsWith('$') ? `no register '${t.v}'` : `no symbol '${t.v}' in the current context`, t.col);
    return v;
  }

  private deref(p: Value, col: number, live: boolean): Value {
    if (p.type.kind !== 'pointer') throw new ExprError(`cannot dereference a value of type ${p.type.name}; cast it to a pointer type first`, col);
    const to = p.type.to;
    const size = sizeOf(to);
    const address = Number(p.v);
    if (!live) return { type: to, v: 0n, address };
    const bytes = this.ctx.readMemory?.(address, size);
    if (!bytes) throw new ExprError(`cannot read ${size} bytes at 0x${address.toString(16)}`, col);
    let v = 0n;
    for (let k = size - 1; k >= 0; k--) v = (v << 8n) | BigInt(bytes[k]);
    return { type: to, v: normalize(to, v), address };
  }
}

export function sizeOf(t: CType): number {
  return t.kind === 'pointer' ? 4 : t.bits / 8;
}

/** Evaluates an expression; throws ExprError with the column where it goes wrong. */
export function evaluate(src: string, ctx: EvalContext = {}): Value {
  return new Parser(lex(src), ctx, true).parse();
}

/** Formats a value as the debugger shows it: decimal for signed, with hex for unsigned and pointers. */
export function formatValue(v: Value): string {
  if (v.type.kind === 'pointer') return `(${v.type.name}) 0x${v.v.toString(16)}`;
  if (v.type.signed) return v.v.toString();
  return `${v.v} (0x${v.v.toString(16)})`;
}
