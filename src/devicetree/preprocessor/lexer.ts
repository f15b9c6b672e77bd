// Splits one source file into preprocessing tokens the way libcpp does in assembler-with-cpp mode:
// backslash-newlines spliced, comments become whitespace, an unterminated quote is an ordinary
// token running to the end of its line. Positions stay those of the physical file.
import { Kind, PUNCTUATORS, isDigit, isIdentChar, isIdentStart, type Token } from './tokens';

export interface LexedFile {
  tokens: Token[];
  /** The spliced text; `offsets[i]` is where tokens[i] starts in it (for header names). */
  text: string;
  offsets: number[];
  /** Number of physical lines (the line an end-of-file is reported on). */
  lines: number;
  /** Unterminated block comments, as [line, col]. */
  unterminatedComments: [number, number][];
}

const punctByFirst = new Map<string, string[]>();
for (const p of PUNCTUATORS) {
  const list = punctByFirst.get(p[0]) ?? [];
  list.push(p);
  punctByFirst.set(p[0], list);
}
for (const list of punctByFirst.values()) list.sort((a, b) => b.length - a.length);

export function lexFile(source: string, fileIndex: number): LexedFile {
  // Physical line starts, for positions.
  const lineStarts = [0];
  for (let i = 0; i < source.length; i++) if (source.charCodeAt(i) === 10) lineStarts.push(i + 1);

  // Splice backslash-newline (GCC also accepts whitespace between them); map clean → original offsets.
  let text = source;
  let map: number[] | undefined;
  if (source.includes('\\')) {
    const out: string[] = [];
    const m: number[] = [];
    for (let i = 0; i < source.length; i++) {
      const ch = source[i];
      if (ch === '\\') {
        let j = i + 1;
        while (j < source.length && (source[j] === ' ' || source[j] === '\t' || source[j] === '\r')) j++;
        if (j < source.length && source[j] === '\n') {
          i = j;
          continue;
        }
      }
      out.push(ch);
      m.push(i);
    }
    text = out.join('');
    map = m;
  }

  const position = (cleanIndex: number): [number, number] => {
    const orig = map ? (cleanIndex < map.length ? map[cleanIndex] : source.length) : cleanIndex;
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= orig) lo = mid;
      else hi = mid - 1;
    }
    return [lo + 1, orig - lineStarts[lo] + 1];
  };

  const tokens: Token[] = [];
  const offsets: number[] = [];
  const unterminatedComments: [number, number][] = [];
  const n = text.length;
  let i = 0;
  let ws = false;
  let bol = true;
  const push = (kind: Kind, start: number, end: number) => {
    const [line, col] = position(start);
    tokens.push({ kind, text: text.slice(start, end), file: fileIndex, line, col, ws, bol, hide: undefined, pasteLeft: false, noExpand: false, source: undefined });
    offsets.push(start);
    ws = false;
    bol = false;
  };
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      i++;
      bol = true;
      ws = false;
      continue;
    }
    if (c === 32 || c === 9 || c === 13 || c === 12 || c === 11) {
      i++;
      ws = true;
      continue;
    }
    if (c === 47 /* / */ && i + 1 < n) {
      const d = text.charCodeAt(i + 1);
      if (d === 42 /* * */) {
        const end = text.indexOf('*/', i + 2);
        if (end < 0) {
          unterminatedComments.push(position(i));
          i = n;
        } else i = end + 2;
        ws = true;
        continue;
      }
      if (d === 47) {
        const end = text.indexOf('\n', i + 2);
        i = end < 0 ? n : end;
        ws = true;
        continue;
      }
    }
    const start = i;
    if (isIdentStart(c)) {
      i++;
      while (i < n && isIdentChar(text.charCodeAt(i))) i++;
      push(Kind.Ident, start, i);
      continue;
    }
    if (isDigit(c) || (c === 46 && i + 1 < n && isDigit(text.charCodeAt(i + 1)))) {
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if ((d === 43 || d === 45) && /[eEpP]/.test(text[i - 1])) i++;
        else if (isIdentChar(d) || d === 46) i++;
        else break;
      }
      push(Kind.Number, start, i);
      continue;
    }
    if (c === 34 || c === 39) {
      let j = i + 1;
      let closed = false;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (d === 10) break;
        if (d === 92 && j + 1 < n && text.charCodeAt(j + 1) !== 10) {
          j += 2;
          continue;
        }
        j++;
        if (d === c) {
          closed = true;
          break;
        }
      }
      if (!closed) {
        // Assembler mode: no complaint, the rest of the line is one token (as libcpp's CPP_OTHER).
        if (j > i + 1 && text[j - 1] === '\r') j--;
        push(Kind.Other, start, j);
        i = j;
        continue;
      }
      push(c === 34 ? Kind.String : Kind.Char, start, j);
      i = j;
      continue;
    }
    const cands = punctByFirst.get(text[i]);
    if (cands) {
      const p = cands.find((s) => text.startsWith(s, i))!;
      i += p.length;
      push(Kind.Punct, start, i);
      continue;
    }
    i++;
    push(Kind.Other, start, i);
  }
  return { tokens, text, offsets, lines: lineStarts.length, unterminatedComments };
}

/** Lexes a string into tokens (for pasting, `-D` values, `__FILE__`): position-less. */
export function lexString(s: string): Token[] {
  return lexFile(s, -1).tokens;
}
