// The DTS lexer, following dtc's dtc-lexer.l token for token: the same start conditions (V1,
// PROPNODENAME after `{` `;` and the delete/omit keywords, BYTESTRING inside `[ ]`), flex's
// longest-match rule, `/include/` file stacking, `# N "file"` line markers, and positions counted the
// way dtc's srcpos_update counts them (1-based; a token ends at the column after its last byte).
// Text is a "binary string": one char per byte, as dtc reads bytes.
import type { SourcePos } from './model';

export type TokKind =
  | 'V1' | 'PLUGIN' | 'MEMRESERVE' | 'BITS' | 'DEL_PROP' | 'DEL_NODE' | 'OMIT_NO_REF' | 'INCBIN'
  | 'PROPNODENAME' | 'LITERAL' | 'CHAR_LITERAL' | 'BYTE' | 'STRING' | 'LABEL' | 'LABEL_REF' | 'PATH_REF'
  | 'LSHIFT' | 'RSHIFT' | 'LE' | 'GE' | 'EQ' | 'NE' | 'AND' | 'OR'
  | 'CHAR' | 'EOF';

/**
 * One token. Its position is kept as plain numbers and built as a SourcePos object only when asked
 * for (messages, node and property spans): most tokens never need one, and a large tree has millions.
 */
export class Token {
  /** LITERAL, CHAR_LITERAL, BYTE. */
  value: bigint | undefined = undefined;
  private cached: SourcePos | undefined = undefined;
  constructor(
    readonly kind: TokKind,
    /** For CHAR: the character; for names/labels/refs: the text; for STRING: the raw bytes with NUL. */
    readonly text: string,
    readonly file: string,
    readonly line: number,
    readonly column: number,
    readonly endLine: number,
    readonly endColumn: number,
    /** Directory of the file the token came from (for /incbin/ relative opens). */
    readonly dir: string | null,
  ) {}

  get pos(): SourcePos {
    return (this.cached ??= { file: this.file, line: this.line, column: this.column, endLine: this.endLine, endColumn: this.endColumn });
  }
}

/** The position from the start of `a` to the end of `b` (bison's default rule location). */
export function tokenSpan(a: Token, b: Token): SourcePos {
  return { file: a.file, line: a.line, column: a.column, endLine: b.endLine, endColumn: b.endColumn };
}

export interface LexDiagnostic {
  prefix: string;
  message: string;
  pos?: SourcePos;
  fatal?: boolean;
}

/** Raised for dtc's die() cases inside the lexer (a missing include): compilation stops. */
export class FatalError extends Error {
  constructor(message: string, readonly pos?: SourcePos) {
    super(message);
  }
}

interface SrcFile {
  name: string;
  dir: string | null;
  text: string;
  i: number;
  line: number;
  col: number;
}

const enum St { Initial, V1, PropNodeName, ByteString }

const enum R { None, Skip, Include, LineMarker, String, Keyword, Label, Literal, CharLiteral, LabelRef, PathRef, Byte, ByteEnd, PropNodeName, Incbin, Op, Char }

const PROPNODECHAR = new Uint8Array(256);
for (const c of 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789,._+*#?@-') PROPNODECHAR[c.charCodeAt(0)] = 1;
const LABELSTART = new Uint8Array(256);
const LABELCHAR = new Uint8Array(256);
for (const c of 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_') { LABELSTART[c.charCodeAt(0)] = 1; LABELCHAR[c.charCodeAt(0)] = 1; }
for (const c of '0123456789') LABELCHAR[c.charCodeAt(0)] = 1;
const HEX = new Uint8Array(256);
for (const c of '0123456789abcdefABCDEF') HEX[c.charCodeAt(0)] = 1;
/** [[:space:]] in the C locale. */
function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

const KEYWORDS: [string, TokKind][] = [
  ['/dts-v1/', 'V1'], ['/plugin/', 'PLUGIN'], ['/memreserve/', 'MEMRESERVE'], ['/bits/', 'BITS'],
  ['/delete-property/', 'DEL_PROP'], ['/delete-node/', 'DEL_NODE'], ['/omit-if-no-ref/', 'OMIT_NO_REF'],
];
const OPS: [string, TokKind][] = [['<<', 'LSHIFT'], ['>>', 'RSHIFT'], ['<=', 'LE'], ['>=', 'GE'], ['==', 'EQ'], ['!=', 'NE'], ['&&', 'AND'], ['||', 'OR']];

export interface LexerHost {
  /** Opens a file as dtc's srcfile_relative_open does: relative to `dir`, then the include path. */
  open(name: string, dir: string | null): { name: string; text: string } | undefined;
}

export class Lexer {
  private stack: SrcFile[] = [];
  private state: St = St.Initial;
  readonly diagnostics: LexDiagnostic[] = [];
  /** Files entered through /include/, with the directive's position. */
  readonly includes: { file: string; pos: SourcePos }[] = [];

  constructor(text: string, fileName: string, private readonly host: LexerHost) {
    this.stack.push({ name: fileName, dir: dirName(fileName), text, i: 0, line: 1, col: 1 });
  }

  get currentDir(): string | null {
    return this.stack[this.stack.length - 1]!.dir;
  }

  private error(message: string, pos: SourcePos): void {
    this.diagnostics.push({ prefix: 'Lexical error', message, pos });
  }

  next(): Token {
    for (;;) {
      const f = this.stack[this.stack.length - 1]!;
      if (f.i >= f.text.length) {
        if (this.stack.length > 1) {
          this.stack.pop();
          continue;
        }
        // flex runs no user action at end of input, so dtc's yylloc is still the last text matched.
        const p = this.lastPos ?? this.mkpos(f, f.line, f.col);
        return new Token('EOF', '', p.file, p.line, p.column, p.endLine, p.endColumn, f.dir);
      }
      const tok = this.scan(f);
      if (tok) return tok;
    }
  }

  private mkpos(f: SrcFile, line: number, col: number): SourcePos {
    return { file: f.name, line, column: col, endLine: f.line, endColumn: f.col };
  }

  /** Consumes `len` bytes, updating line/column as srcpos_update does; returns the token position. */
  private take(f: SrcFile, len: number): SourcePos {
    this.advanceBy(f, len);
    return this.lastPos!;
  }

  /** Consumes `len` bytes without building a position object (whitespace, comments). */
  private advanceBy(f: SrcFile, len: number): void {
    const line = f.line;
    const col = f.col;
    const end = f.i + len;
    const t = f.text;
    let k = f.i;
    for (;;) {
      const nl = t.indexOf('\n', k);
      if (nl < 0 || nl >= end) break;
      f.line++;
      f.col = 1;
      k = nl + 1;
    }
    f.col += end - k;
    f.i = end;
    this.lastFile = f.name;
    this.lastLine = line;
    this.lastCol = col;
    this.lastEndLine = f.line;
    this.lastEndCol = f.col;
    this.hasLast = true;
    this.lastPosCache = undefined;
  }

  private hasLast = false;
  private lastFile = '';
  private lastLine = 0;
  private lastCol = 0;
  private lastEndLine = 0;
  private lastEndCol = 0;
  private lastPosCache: SourcePos | undefined;
  /** The position of the last text matched (tokens, white space and comments alike), as dtc's yylloc. */
  private get lastPos(): SourcePos | undefined {
    if (!this.hasLast) return undefined;
    return (this.lastPosCache ??= { file: this.lastFile, line: this.lastLine, column: this.lastCol, endLine: this.lastEndLine, endColumn: this.lastEndCol });
  }

  private tok(f: SrcFile, kind: TokKind, len: number, text: string, value?: bigint): Token {
    this.advanceBy(f, len);
    const t = new Token(kind, text, this.lastFile, this.lastLine, this.lastCol, this.lastEndLine, this.lastEndCol, f.dir);
    if (value !== undefined) t.value = value;
    return t;
  }

  /** One flex match; returns undefined for whitespace, comments, markers and includes. */
  private scan(f: SrcFile): Token | undefined {
    const t = f.text;
    const i = f.i;
    const c = t.charCodeAt(i);
    const st = this.state;
    const exclusive = st === St.PropNodeName || st === St.ByteString;

    // Candidate matches: flex takes the longest, the earliest rule on ties (rules are tried in order
    // and only a strictly longer match replaces the best one).
    this.bestLen = 0;
    this.rule = R.None;
    const offer = this.offerFn;

    if (c === 47 /* / */) {
      if (t.startsWith('/include/', i)) {
        let k = i + 9;
        while (k < t.length && isSpace(t.charCodeAt(k))) k++;
        const sl = stringLen(t, k);
        if (sl > 0) offer(k + sl - i, R.Include, k, sl);
      }
    }
    if (c === 35 /* # */ && (i === 0 || t.charCodeAt(i - 1) === 10)) {
      const m = lineMarkerLen(t, i);
      if (m) {
        this.marker = m;
        offer(m.len, R.LineMarker);
      }
    }
    if (c === 34) {
      const sl = stringLen(t, i);
      if (sl > 0) offer(sl, R.String);
    }
    if (c === 47) {
      for (let k = 0; k < KEYWORDS.length; k++) if (t.startsWith(KEYWORDS[k]![0], i)) offer(KEYWORDS[k]![0].length, R.Keyword, k);
    }
    if (LABELSTART[c]) {
      let k = i + 1;
      while (k < t.length && LABELCHAR[t.charCodeAt(k)]) k++;
      if (t.charCodeAt(k) === 58 /* : */) offer(k + 1 - i, R.Label, k);
    }
    if (st === St.V1 && isDigit(c)) {
      let k = i;
      let hex = 0;
      if (c === 48 && (t.charCodeAt(i + 1) | 0x20) === 120 && HEX[t.charCodeAt(i + 2)]) {
        hex = 1;
        k = i + 2;
        while (k < t.length && HEX[t.charCodeAt(k)]) k++;
      } else {
        while (k < t.length && isDigit(t.charCodeAt(k))) k++;
      }
      const digitsEnd = k;
      if (t.startsWith('ULL', k)) k += 3;
      else if (t.startsWith('UL', k) || t.startsWith('LL', k)) k += 2;
      else if (t[k] === 'U' || t[k] === 'L') k += 1;
      offer(k - i, R.Literal, digitsEnd, hex);
    }
    if (c === 39) {
      // '([^']|\\')*' : a quote preceded by a backslash may also be content; flex takes the longest.
      let end = t.indexOf("'", i + 1);
      if (end >= 0) {
        while (t.charCodeAt(end - 1) === 92 && end > i + 1) {
          const j = t.indexOf("'", end + 1);
          if (j < 0) break;
          end = j;
        }
        offer(end + 1 - i, R.CharLiteral, end);
      }
    }
    if (c === 38 /* & */) {
      if (LABELSTART[t.charCodeAt(i + 1)]) {
        let k = i + 2;
        while (k < t.length && LABELCHAR[t.charCodeAt(k)]) k++;
        offer(k - i, R.LabelRef, k);
      }
      if (t.startsWith('&{/', i)) {
        let k = i + 3;
        while (k < t.length && (PROPNODECHAR[t.charCodeAt(k)] || t.charCodeAt(k) === 47)) k++;
        if (t.charCodeAt(k) === 125) offer(k + 1 - i, R.PathRef, k);
      }
    }
    if (st === St.ByteString) {
      if (HEX[c] && HEX[t.charCodeAt(i + 1)]) offer(2, R.Byte);
      if (c === 93) offer(1, R.ByteEnd);
    }
    if (st === St.PropNodeName) {
      let k = i;
      if (c === 92) k++;
      const s0 = k;
      while (k < t.length && PROPNODECHAR[t.charCodeAt(k)]) k++;
      if (k > s0) offer(k - i, R.PropNodeName, s0);
    }
    if (!exclusive && c === 47 && t.startsWith('/incbin/', i)) offer(8, R.Incbin);
    if (isSpace(c)) {
      let k = i + 1;
      while (k < t.length && isSpace(t.charCodeAt(k))) k++;
      offer(k - i, R.Skip);
    }
    if (c === 47 && t.charCodeAt(i + 1) === 42) {
      let k = i;
      while (t.startsWith('/*', k)) {
        const e = t.indexOf('*/', k + 2);
        if (e < 0) break;
        k = e + 2;
      }
      if (k > i) offer(k - i, R.Skip);
    }
    if (c === 47 && t.charCodeAt(i + 1) === 47) {
      let k = i;
      while (t.startsWith('//', k)) {
        const e = t.indexOf('\n', k);
        if (e < 0) break;
        k = e + 1;
      }
      if (k > i) offer(k - i, R.Skip);
    }
    // Every two-character operator starts with one of < > = ! & | (most tokens start with none).
    if (this.bestLen < 2 && (c === 60 || c === 62 || c === 61 || c === 33 || c === 38 || c === 124)) {
      for (let k = 0; k < OPS.length; k++) if (t.startsWith(OPS[k]![0], i)) offer(2, R.Op, k);
    }
    if (c !== 10) offer(1, R.Char);

    const bestLen = this.bestLen;
    const aux = this.aux;
    const aux2 = this.aux2;
    switch (this.rule as R) {
      case R.None:
        this.advanceBy(f, 1);
        return undefined;
      case R.Skip:
        this.advanceBy(f, bestLen);
        return undefined;
      case R.Include: {
        const pos = this.take(f, bestLen);
        this.pushFile(t.slice(aux + 1, aux + aux2 - 1), pos);
        return undefined;
      }
      case R.LineMarker: {
        const m = this.marker!;
        const pos = this.take(f, bestLen);
        const fn = unescapeString(t.slice(m.fnStart, m.fnEnd));
        if (fn.bytes.includes('\0')) this.error('nul in line number directive', pos);
        // A C string: the name ends at the first NUL.
        f.name = fn.bytes.split('\0')[0]!;
        f.line = m.line - 1;
        return undefined;
      }
      case R.String:
        return this.tok(f, 'STRING', bestLen, t.slice(i + 1, i + bestLen - 1));
      case R.Keyword: {
        const [kw, kind] = KEYWORDS[aux]!;
        if (kind === 'V1' || kind === 'MEMRESERVE' || kind === 'BITS') this.state = St.V1;
        else if (kind === 'DEL_PROP' || kind === 'DEL_NODE' || kind === 'OMIT_NO_REF') this.state = St.PropNodeName;
        return this.tok(f, kind, bestLen, kw);
      }
      case R.Label:
        return this.tok(f, 'LABEL', bestLen, t.slice(i, aux));
      case R.Literal: {
        const tk = this.tok(f, 'LITERAL', bestLen, t.slice(i, i + bestLen), 0n);
        tk.value = parseLiteral(t.slice(i, aux), aux2 === 1, (m) => this.error(m, tk.pos));
        return tk;
      }
      case R.CharLiteral: {
        const tk = this.tok(f, 'CHAR_LITERAL', bestLen, t.slice(i, aux + 1), 0n);
        const d = unescapeString(t.slice(i + 1, aux));
        if (d.bytes.length === 0) {
          this.error('Empty character literal', tk.pos);
        } else {
          tk.value = BigInt(d.bytes.charCodeAt(0));
          if (d.bytes.length > 1) this.error(`Character literal has ${d.bytes.length} characters instead of 1`, tk.pos);
        }
        if (d.fatal) throw new FatalError(d.fatal, tk.pos);
        return tk;
      }
      case R.LabelRef:
        return this.tok(f, 'LABEL_REF', bestLen, t.slice(i + 1, aux));
      case R.PathRef:
        return this.tok(f, 'PATH_REF', bestLen, t.slice(i + 2, aux));
      case R.Byte:
        return this.tok(f, 'BYTE', 2, t.slice(i, i + 2), BigInt(parseInt(t.slice(i, i + 2), 16)));
      case R.ByteEnd:
        this.state = St.V1;
        return this.tok(f, 'CHAR', 1, ']');
      case R.PropNodeName:
        this.state = St.V1;
        return this.tok(f, 'PROPNODENAME', bestLen, t.slice(aux, i + bestLen));
      case R.Incbin:
        return this.tok(f, 'INCBIN', 8, '/incbin/');
      case R.Op:
        return this.tok(f, OPS[aux]![1], 2, OPS[aux]![0]);
      case R.Char: {
        const ch = t[i]!;
        if (ch === '[') this.state = St.ByteString;
        else if (ch === '{' || ch === ';') this.state = St.PropNodeName;
        return this.tok(f, 'CHAR', 1, ch);
      }
    }
  }

  private marker: { len: number; line: number; fnStart: number; fnEnd: number } | undefined;
  // The longest match so far in scan() (fields, not closure variables: scan runs once per token).
  private bestLen = 0;
  private rule: R = R.None;
  private aux = 0;
  private aux2 = 0;
  private readonly offerFn = (len: number, r: R, a = 0, b = 0): void => {
    if (len > this.bestLen) {
      this.bestLen = len;
      this.rule = r;
      this.aux = a;
      this.aux2 = b;
    }
  };

  private pushFile(name: string, pos: SourcePos): void {
    if (this.stack.length >= 200) throw new FatalError('Includes nested too deeply', pos);
    const cur = this.stack[this.stack.length - 1]!;
    const opened = this.host.open(name, cur.dir);
    if (!opened) throw new FatalError(`Couldn't open "${name}": No such file or directory`, pos);
    this.includes.push({ file: opened.name, pos });
    this.stack.push({ name: opened.name, dir: dirName(opened.name), text: opened.text, i: 0, line: 1, col: 1 });
  }
}

export function dirName(path: string): string | null {
  const k = path.lastIndexOf('/');
  return k >= 0 ? path.slice(0, k) : null;
}

/** Length of {STRING} at i (\"([^\\"]|\\.)*\"), 0 when none. `.` excludes newline. */
function stringLen(t: string, i: number): number {
  if (t.charCodeAt(i) !== 34) return 0;
  let k = i + 1;
  while (k < t.length) {
    const ch = t.charCodeAt(k);
    if (ch === 34) return k + 1 - i;
    if (ch === 92) {
      if (k + 1 >= t.length || t.charCodeAt(k + 1) === 10) return 0;
      k += 2;
      continue;
    }
    k++;
  }
  return 0;
}

function lineMarkerLen(t: string, i: number): { len: number; line: number; fnStart: number; fnEnd: number } | undefined {
  let k = i + 1;
  if (t.startsWith('line', k)) k += 4;
  const isBlank = (c: number): boolean => c === 32 || c === 9;
  if (!isBlank(t.charCodeAt(k))) return undefined;
  while (isBlank(t.charCodeAt(k))) k++;
  const ds = k;
  while (isDigit(t.charCodeAt(k))) k++;
  if (k === ds) return undefined;
  const line = parseInt(t.slice(ds, k), 10);
  if (!isBlank(t.charCodeAt(k))) return undefined;
  while (isBlank(t.charCodeAt(k))) k++;
  const sl = stringLen(t, k);
  if (!sl) return undefined;
  const fnStart = k + 1;
  k += sl;
  const fnEnd = k - 1;
  for (;;) {
    let j = k;
    if (!isBlank(t.charCodeAt(j))) break;
    while (isBlank(t.charCodeAt(j))) j++;
    const s = j;
    while (isDigit(t.charCodeAt(j))) j++;
    if (j === s) break;
    k = j;
  }
  return { len: k - i, line, fnStart, fnEnd };
}

/** strtoull(text, 0) with dtc's range check; the suffix was already validated by the pattern. */
function parseLiteral(digits: string, hex: boolean, err: (m: string) => void): bigint {
  let v: bigint;
  if (hex) v = BigInt(digits);
  else if (digits.length > 1 && digits[0] === '0') {
    // Octal; strtoull stops at the first non-octal digit (dtc then reports a bad literal).
    let k = 1;
    while (k < digits.length && digits[k]! <= '7') k++;
    v = k > 1 ? BigInt('0o' + digits.slice(1, k)) : 0n;
    if (k < digits.length) {
      err(`Bad integer literal '${digits}'`);
      return v > 0xffffffffffffffffn ? 0xffffffffffffffffn : v;
    }
  } else v = BigInt(digits);
  if (v > 0xffffffffffffffffn) {
    err(`Integer literal '${digits}' out of range`);
    return 0xffffffffffffffffn;
  }
  return v;
}

/** dtc's data_copy_escape_string minus the terminating NUL: escapes resolved, bytes as a binary string. */
export function unescapeString(s: string): { bytes: string; fatal?: string } {
  if (s.indexOf('\\') < 0) return { bytes: s };
  let out = '';
  let i = 0;
  while (i < s.length) {
    let c = s[i++]!;
    if (c === '\\') {
      if (i >= s.length) {
        out += '\0';
        break;
      }
      const e = s[i]!;
      let j = i + 1;
      switch (e) {
        case 'a': c = '\x07'; break;
        case 'b': c = '\b'; break;
        case 't': c = '\t'; break;
        case 'n': c = '\n'; break;
        case 'v': c = '\v'; break;
        case 'f': c = '\f'; break;
        case 'r': c = '\r'; break;
        case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7': {
          // strtol(up to 3 chars, 8)
          j = i;
          let v = 0;
          while (j < s.length && j < i + 3 && s[j]! >= '0' && s[j]! <= '7') v = v * 8 + (s.charCodeAt(j++) - 48);
          c = String.fromCharCode(v & 0xff);
          break;
        }
        case 'x': {
          // strtol(up to 2 chars, 16): leading white space and a sign are accepted, as in dtc.
          const win = s.slice(j, j + 2).split('\0')[0]!;
          let k = 0;
          while (k < win.length && isSpace(win.charCodeAt(k))) k++;
          let neg = false;
          if (win[k] === '+' || win[k] === '-') neg = win[k++] === '-';
          const d0 = k;
          let v = 0;
          while (k < win.length && HEX[win.charCodeAt(k)]) v = v * 16 + parseInt(win[k++]!, 16);
          if (k === d0) return { bytes: out, fatal: '\\x used with no following hex digits' };
          c = String.fromCharCode((neg ? -v : v) & 0xff);
          j += k;
          break;
        }
        default:
          c = e;
      }
      i = j;
    }
    out += c;
  }
  return { bytes: out };
}
