// The built-in C preprocessor for .dts/.dtsi files: what `cpp -nostdinc -undef -D__DTS__
// -x assembler-with-cpp` (the Linux kernel's flags) produces, line markers included, so that the
// DTS compiler reports positions in the original files.
import type { Diagnostic, SourcePos } from '../model';
import { Engine } from './engine';

export interface PreprocessOptions {
  /** The file name as given (printed in line markers, the base for "" includes). */
  file: string;
  /** `-I` directories, searched in order (after the including file's directory for "" includes). */
  includeDirs: string[];
  /** `-D NAME=VALUE`; use '1' for a bare `-D NAME`. `__DTS__` is always defined, as the kernel does. */
  defines?: Record<string, string>;
  readFile: (path: string) => string | undefined;
}

export interface PreprocessResult {
  /** The preprocessed text with `# N "file" flags` line markers, as cpp emits them. */
  text: string;
  diagnostics: Diagnostic[];
  /** Every file entered through #include, with the position of the directive. */
  includes: { file: string; pos: SourcePos }[];
}

export function preprocess(source: string, opts: PreprocessOptions): PreprocessResult {
  return new Engine(opts).run(source);
}

const DIRECTIVE_LINE = /^[ \t]*#[ \t]*(include|include_next|define|undef|if|ifdef|ifndef|elif|else|endif|error|warning|pragma|line|import)\b/m;

/** True when the source has preprocessor directives (a `#address-cells` line is not one). */
export function needsPreprocessing(source: string): boolean {
  return DIRECTIVE_LINE.test(source);
}
