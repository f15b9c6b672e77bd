// Writes preprocessed tokens the way `gcc -E` does (c-ppoutput.c): line markers on entering and
// leaving files, up to 7 blank lines instead of a marker, indentation from the first token's column,
// and a space between tokens only where the source had one or where the tokens would otherwise fuse.
import { Kind, avoidPaste, type Token } from './tokens';

export class OutputWriter {
  private parts: string[] = [];
  private printed = false;
  private srcLine = 0;
  private srcFile = '';
  private prev: Token | null = null;
  private source: Token | null = null;
  private avoid = false;

  /** The four lines GCC starts with for a main file, with `-undef -D...` on the command line. */
  start(mainFile: string): void {
    const q = quote(mainFile);
    this.parts.push(`# 0 "${q}"\n# 0 "<built-in>"\n# 0 "<command-line>"\n# 1 "${q}"\n`);
    this.srcFile = mainFile;
    this.srcLine = 1;
  }

  printLine(file: string, line: number, flags: string): void {
    if (this.printed) this.parts.push('\n');
    this.printed = false;
    this.srcLine = line;
    this.srcFile = file;
    this.parts.push(`# ${line} "${quote(file)}"${flags}\n`);
  }

  maybePrintLine(file: string, line: number): void {
    if (this.printed) {
      this.parts.push('\n');
      this.srcLine++;
      this.printed = false;
    }
    if (line >= this.srcLine && line < this.srcLine + 8 && file === this.srcFile) {
      while (line > this.srcLine) {
        this.parts.push('\n');
        this.srcLine++;
      }
    } else this.printLine(file, line, '');
  }

  /** A new logical line of text starts with `first` at `file:line`. */
  lineChange(first: Token, file: string, line: number): void {
    this.maybePrintLine(file, line);
    this.prev = null;
    this.source = null;
    this.printed = true;
    if (first.col > 2) this.parts.push(' '.repeat(first.col - 2));
  }

  /** Entering an included file: bring the includer to the directive's line, then `# 1 "file" 1`. */
  enterFile(includerFile: string, directiveLine: number, file: string): void {
    this.maybePrintLine(includerFile, directiveLine);
    this.printLine(file, 1, ' 1');
  }

  leaveFile(file: string, line: number): void {
    this.printLine(file, line, ' 2');
  }

  /** A line passed through whole (`#pragma`). */
  directiveLine(file: string, line: number, text: string): void {
    this.maybePrintLine(file, line);
    this.parts.push(text + '\n');
    this.srcLine++;
  }

  token(t: Token): void {
    if (t.kind === Kind.Padding) {
      this.avoid = true;
      if (this.source === null || (!this.source.ws && !t.source)) this.source = t.source ?? null;
      return;
    }
    if (this.avoid) {
      const src = this.source ?? t;
      if (src.ws || (this.prev && avoidPaste(this.prev, t)) || (this.prev === null && t.kind === Kind.Punct && t.text === '#')) {
        this.parts.push(' ');
      }
    } else if (t.ws) this.parts.push(' ');
    this.avoid = false;
    this.source = null;
    this.prev = t;
    this.parts.push(t.text);
    this.printed = true;
  }

  finish(): string {
    if (this.printed) this.parts.push('\n');
    this.printed = false;
    return this.parts.join('');
  }
}

/** Quotes a file name as libcpp's cpp_quote_string does for line markers. */
export function quote(s: string): string {
  return s.replace(/[\\"]/g, (c) => '\\' + c).replace(/\n/g, '\\n');
}
