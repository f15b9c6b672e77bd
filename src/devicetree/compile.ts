// The DTS compile pipeline in dtc's order (dtc.c main): parse, checks (which resolve references and
// assign phandles), then -A aliases, -@ __symbols__, plugin fixups, and -s sorting.
import { Lexer } from './lexer';
import type { LexerHost } from './lexer';
import { Parser } from './parser';
import type { DeviceTree, Diagnostic } from './model';
import { runChecks, UnknownCheckError } from './checks/framework';
import { checkTable } from './checks/index';
import { FixupError, generateFixupsTree, generateLabelTree, generateLocalFixupsTree, PhandleAllocator, sortTree } from './livetree';
import type { PhandleFormat } from './livetree';
import { preprocess } from './preprocessor/index';

export interface PipelineOptions {
  /** Name of the main file as dtc prints it in positions. */
  file: string;
  /** Reads a file's bytes; undefined when it does not exist. */
  readFile: (path: string) => Uint8Array | undefined;
  includeDirs?: string[];
  phandleFormat?: PhandleFormat;
  /** -@ */
  symbols?: boolean;
  /** -A */
  autoAlias?: boolean;
  /** -s */
  sort?: boolean;
  /** -W / -E switches in order. */
  checkSwitches?: { kind: 'W' | 'E'; name: string }[];
  quiet?: number;
  /** Output file name, for positionless check messages. */
  outName?: string;
  /** -b */
  bootCpuid?: number;
  /** -f: produce output although error-level checks failed. */
  force?: boolean;
  /** Run the built-in C preprocessor first: always, never, or when the source has #include/#define/#if lines. */
  preprocess?: boolean | 'auto';
  /** Keep parsing after a syntax error (editors); dtc stops at the first. */
  recover?: boolean;
  /** -D for the preprocessor (`__DTS__` is always defined). */
  defines?: Record<string, string>;
}

/** Lines that only the C preprocessor understands (a `#address-cells` property or a line marker is not one). */
export function hasPreprocessorLines(text: string): boolean {
  return /^[ \t]*#[ \t]*(include|define|undef|if|ifdef|ifndef)\b/m.test(text);
}

export interface PipelineResult {
  tree?: DeviceTree;
  diagnostics: Diagnostic[];
  /** The run failed: a syntax error, a fatal error, or (unless forced) an error-level check. */
  fatal?: string;
  /** An error-level check failed (dtc: "Input tree has errors"). */
  checkErrors: boolean;
  includes: { file: string; pos: import('./model').SourcePos }[];
}

/**
 * Conversions of byte arrays handed to us by readFile callbacks. A caller that keeps a file's bytes
 * while its text is unchanged (the language server recompiles a whole include tree on every edit) gets
 * the string back without converting again; arrays it drops are collected with their strings.
 */
const binaryOf = new WeakMap<Uint8Array, string>();

export function bytesToBinary(b: Uint8Array): string {
  const known = binaryOf.get(b);
  if (known !== undefined) return known;
  let r = '';
  for (let i = 0; i < b.length; i += 8192) r += String.fromCharCode(...b.subarray(i, Math.min(b.length, i + 8192)));
  binaryOf.set(b, r);
  return r;
}

/** A JS (UTF-16) string as the binary string of its UTF-8 bytes, as dtc would read the file. */
export function utf8Binary(s: string): string {
  // eslint-disable-next-line no-control-regex
  if (!/[^\x00-\x7f]/.test(s)) return s;
  return bytesToBinary(new TextEncoder().encode(s));
}

function joinPath(dir: string, name: string): string {
  return dir.endsWith('/') ? dir + name : `${dir}/${name}`;
}

/** dtc's fopen_any_on_path: relative to the including file's directory, then each -i directory. */
function openOnPath(name: string, dir: string | null, includeDirs: string[], read: (p: string) => Uint8Array | undefined): { name: string; bytes: Uint8Array } | undefined {
  const candidates = [!dir || name.startsWith('/') ? name : joinPath(dir, name)];
  for (const d of includeDirs) candidates.push(name.startsWith('/') ? name : joinPath(d, name));
  for (const c of candidates) {
    const b = read(c);
    if (b) return { name: c, bytes: b };
  }
  return undefined;
}

/** Parses `text` (a binary string) and runs dtc's pipeline on it. Never throws for bad input. */
export function compileBinary(text: string, opts: PipelineOptions): PipelineResult {
  const includeDirs = opts.includeDirs ?? [];
  const host: LexerHost = {
    open: (name, dir) => {
      const r = openOnPath(name, dir, includeDirs, opts.readFile);
      return r && { name: r.name, text: bytesToBinary(r.bytes) };
    },
  };
  const preDiagnostics: Diagnostic[] = [];
  const preIncludes: PipelineResult['includes'] = [];
  if (opts.preprocess === true || (opts.preprocess === 'auto' && hasPreprocessorLines(text))) {
    const pre = preprocess(text, {
      file: opts.file,
      includeDirs,
      defines: opts.defines ?? {},
      readFile: (p) => {
        const b = opts.readFile(p);
        return b && bytesToBinary(b);
      },
    });
    preDiagnostics.push(...pre.diagnostics);
    preIncludes.push(...pre.includes);
    if (pre.diagnostics.some((d) => d.severity === 'error')) {
      return { diagnostics: preDiagnostics, checkErrors: false, includes: preIncludes, fatal: 'preprocessing failed' };
    }
    text = pre.text;
  }
  const lx = new Lexer(text, opts.file, host);
  const parser = new Parser(lx, { readBinary: (name, dir) => openOnPath(name, dir, includeDirs, opts.readFile) });
  parser.recover = opts.recover ?? false;
  const parsed = parser.parse();
  const diagnostics: Diagnostic[] = [...preDiagnostics, ...parsed.messages.map((m) => {
    const d: Diagnostic = { severity: 'error', message: m.message, prefix: m.prefix };
    if (m.pos) d.pos = m.pos;
    return d;
  })];
  const includes = [...preIncludes, ...lx.includes];
  const result: PipelineResult = { diagnostics, checkErrors: false, includes };
  if (parsed.fatal || !parsed.tree) {
    result.fatal = parsed.fatal ?? 'Unable to parse input tree';
    const d: Diagnostic = { severity: 'error', prefix: 'FATAL ERROR', message: result.fatal };
    if (parsed.fatalPos) d.pos = parsed.fatalPos;
    diagnostics.push(d);
    if (parsed.tree) result.tree = parsed.tree;
    return result;
  }
  const tree = parsed.tree;
  tree.source = opts.file;
  if (opts.bootCpuid !== undefined) tree.bootCpuidPhys = opts.bootCpuid;
  return { ...processTree(tree, opts, diagnostics), includes };
}

/** Checks and generated nodes for a tree from any source (dtc runs the same steps for blobs). */
export function processTree(tree: DeviceTree, opts: Omit<PipelineOptions, 'file' | 'readFile'>, diagnostics: Diagnostic[] = []): PipelineResult {
  const phandles = new PhandleAllocator(tree.root, opts.phandleFormat ?? 'epapr');
  const state = new Map<string, unknown>([['phandles', phandles]]);
  const result: PipelineResult = { diagnostics, checkErrors: false, includes: [] };
  try {
    const r = runChecks(tree, checkTable(), {
      switches: opts.checkSwitches ?? [],
      symbols: opts.symbols ?? false,
      quiet: opts.quiet ?? 0,
      outName: opts.outName ?? '-',
      state,
      plugin: tree.plugin,
    });
    diagnostics.push(...r.diagnostics);
    result.checkErrors = r.error;
    if (r.error) {
      // dtc's verdict, printed before anything the later steps print.
      if (!opts.force) {
        result.fatal = 'Input tree has errors';
        diagnostics.push({ severity: 'error', prefix: 'ERROR', message: 'Input tree has errors, aborting (use -f to force output)' });
        result.tree = tree;
        return result;
      }
      if ((opts.quiet ?? 0) < 3) diagnostics.push({ severity: 'warning', prefix: 'Warning', message: 'Input tree has errors, output forced' });
    }
  } catch (e) {
    if (e instanceof UnknownCheckError) {
      result.fatal = e.message;
      diagnostics.push({ severity: 'error', prefix: 'FATAL ERROR', message: e.message });
      return result;
    }
    throw e;
  }
  // Nodes removed by /omit-if-no-ref/ are only flagged; drop them now as dtc skips them from here on.
  const purge = (n: import('./model').Node): void => {
    if (n.children.some((c) => c.deleted)) {
      const live = n.children.filter((c) => !c.deleted);
      n.deletedChildren = (n.deletedChildren ?? 0) + n.children.length - live.length;
      n.children = live;
    }
    for (const c of n.children) purge(c);
  };
  purge(tree.root);
  const warn = (m: string): void => {
    diagnostics.push({ severity: 'warning', prefix: 'WARNING', message: m.replace(/^WARNING: /, '') });
  };
  try {
    if (opts.autoAlias) generateLabelTree(tree, 'aliases', undefined, warn);
    if (opts.symbols) generateLabelTree(tree, '__symbols__', phandles, warn);
    if (tree.plugin) {
      generateFixupsTree(tree, '__fixups__');
      generateLocalFixupsTree(tree, '__local_fixups__');
    }
  } catch (e) {
    if (e instanceof FixupError) {
      result.fatal = e.message;
      diagnostics.push({ severity: 'error', prefix: 'FATAL ERROR', message: e.message });
      return result;
    }
    throw e;
  }
  if (opts.sort) sortTree(tree);
  result.tree = tree;
  return result;
}
