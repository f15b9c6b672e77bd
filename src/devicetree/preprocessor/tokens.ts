// Preprocessing tokens as GCC's libcpp sees them in `-x assembler-with-cpp` mode: the kinds that
// matter for macro expansion, `#if` arithmetic, token pasting and output spacing.

export const enum Kind {
  Ident = 1,
  Number,
  String,
  Char,
  Punct,
  /** Anything else: `@`, `\`, `$`, an unterminated quote up to the end of its line (assembler mode). */
  Other,
  /** Marks where spacing is decided, as libcpp's CPP_PADDING: `source` says whose whitespace counts. */
  Padding,
}

export interface Token {
  kind: Kind;
  text: string;
  /** Index of the source file in the preprocessor's file table (-1 for tokens made by the preprocessor). */
  file: number;
  /** 1-based physical line and column of the token's first character. */
  line: number;
  col: number;
  /** Whitespace (or a comment) precedes it: libcpp's PREV_WHITE. */
  ws: boolean;
  /** First token of a logical line: libcpp's BOL. */
  bol: boolean;
  /** Macro names this token may no longer expand (Prosser's hide set). */
  hide?: ReadonlySet<string>;
  /** `##` follows this token in a macro body (libcpp's PASTE_LEFT). */
  pasteLeft?: boolean;
  /** A name that must never expand again (libcpp's NO_EXPAND): painted blue. */
  noExpand?: boolean;
  /** For Padding: the token whose whitespace flag decides spacing, or null ("avoid paste"). */
  source?: Token | null;
}

export function padding(source: Token | null): Token {
  return { kind: Kind.Padding, text: '', file: -1, line: 0, col: 0, ws: false, bol: false, hide: undefined, pasteLeft: false, noExpand: false, source };
}

/** C punctuators, longest first per leading character, as libcpp lexes them (digraphs excluded). */
export const PUNCTUATORS = [
  '%:%:', '...', '<<=', '>>=',
  '->', '++', '--', '<<', '>>', '<=', '>=', '==', '!=', '&&', '||', '*=', '/=', '%=', '+=', '-=', '&=', '^=', '|=', '##',
  '[', ']', '(', ')', '{', '}', '.', '&', '*', '+', '-', '~', '!', '/', '%', '<', '>', '^', '|', '?', ':', ';', '=', ',', '#',
];

export function isIdentStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}

export function isIdentChar(c: number): boolean {
  return isIdentStart(c) || (c >= 48 && c <= 57);
}

export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * Whether printing `b` right after `a` with no space would lex differently: libcpp's
 * cpp_avoid_paste, which decides the spaces GCC puts between tokens from macro expansions.
 */
export function avoidPaste(a: Token, b: Token): boolean {
  const c = b.kind === Kind.Punct ? b.text[0] : '';
  if (a.kind === Kind.Punct && c === '=' && ['=', '!', '>', '<', '+', '-', '*', '/', '%', '&', '|', '^', '>>', '<<'].includes(a.text)) return true;
  switch (a.kind) {
    case Kind.Punct:
      switch (a.text) {
        case '>': return c === '>';
        case '<': return c === '<' || c === '%' || c === ':';
        case '+': return c === '+';
        case '-': return c === '-' || c === '>';
        case '/': return c === '/' || c === '*';
        case '%': return c === ':' || c === '%';
        case '&': return c === '&';
        case '|': return c === '|';
        case ':': return c === ':' || c === '>';
        case '->': return c === '*';
        case '.': return c === '.' || c === '%' || b.kind === Kind.Number;
        case '#': return c === '#' || c === '%';
        case '<=': return c === '>';
        default: return false;
      }
    case Kind.Ident:
      // libcpp also asks whether a following number is spelled like a name, which a pp-number never is.
      return b.kind === Kind.Ident || b.kind === Kind.Char || b.kind === Kind.String;
    case Kind.Number:
      return b.kind === Kind.Number || b.kind === Kind.Ident || b.kind === Kind.Char || c === '.' || c === '+' || c === '-';
    case Kind.Other:
      return a.text[0] === '\\' && b.kind === Kind.Ident;
    default:
      return false;
  }
}
