// The device-tree toolkit's facade: compile DTS (dtc's language, checks and generated nodes), write
// and read DTBs, print DTS, all byte-compatible with dtc 1.6.1. Bad input never throws from
// compileDts (it returns positioned diagnostics); dtbToTree throws DtbError with the byte offset.
import { readFileSync } from 'node:fs';
import type { DeviceTree, Diagnostic, SourcePos } from './model';
import { compileBinary, utf8Binary } from './compile';
import { writeDtb } from './dtb-writer';
import { readDtb } from './dtb-reader';
import { writeDts } from './dts-printer';

export type { DeviceTree, Diagnostic, Node, Property, SourcePos, Marker, Data, ReserveEntry } from './model';
export { formatPos, nodePath, getProperty, getChild } from './model';
export { DtbError } from './dtb-reader';
export { FDT_MAGIC, isDtb } from './fdt-format';
export { formatDiagnostic } from './checks/framework';
export { restoreLabelsFromSymbols } from './livetree';
export { applyOverlays, applyOverlayTree, OverlayError } from './overlay';

export interface CompileOptions {
  /** The file name positions refer to (and relative includes start from). */
  file: string;
  /** -i directories (also the preprocessor's -I). */
  includeDirs?: string[];
  /** Reads an included file; defaults to the file system. */
  readFile?: (path: string) => Uint8Array | undefined;
  /** Run the C preprocessor first: always, never, or 'auto' (when the source has preprocessor lines). */
  preprocess?: boolean | 'auto';
  defines?: Record<string, string>;
  /** -H */
  phandleFormat?: 'epapr' | 'linux' | 'both';
  /** -@ */
  symbols?: boolean;
  /** -W / -E switches, in order, e.g. `{ kind: 'W', name: 'no-unit_address_vs_reg' }`. */
  checks?: { kind: 'W' | 'E'; name: string }[];
}

export interface CompileResult {
  tree?: DeviceTree;
  diagnostics: Diagnostic[];
  /** Files entered through /include/ (and #include when preprocessed), with the directive's position. */
  includes: { file: string; pos: SourcePos }[];
}

function fsRead(path: string): Uint8Array | undefined {
  try {
    return new Uint8Array(readFileSync(path));
  } catch {
    return undefined;
  }
}

/**
 * Compiles DTS source as `dtc -I dts` does up to the output stage. `tree` is absent only when the
 * source could not be parsed; a tree whose checks found errors is still returned (dtc -f).
 */
export function compileDts(source: string, opts: CompileOptions): CompileResult {
  const diagnostics: Diagnostic[] = [];
  try {
    const r = compileBinary(utf8Binary(source), {
      file: opts.file,
      readFile: opts.readFile ?? fsRead,
      includeDirs: opts.includeDirs ?? [],
      phandleFormat: opts.phandleFormat ?? 'epapr',
      symbols: opts.symbols ?? false,
      checkSwitches: opts.checks ?? [],
      preprocess: opts.preprocess ?? 'auto',
      // Editors want the tree even when error-level checks failed (dtc -f), and every syntax error.
      force: true,
      recover: true,
      defines: opts.defines ?? {},
    });
    // dtc's closing "output forced" line says nothing an editor needs.
    const kept = r.diagnostics.filter((d) => !(d.prefix === 'Warning' && d.message === 'Input tree has errors, output forced'));
    const out: CompileResult = { diagnostics: [...diagnostics, ...kept], includes: r.includes };
    if (r.tree) out.tree = r.tree;
    return out;
  } catch (e) {
    // A bug, not bad input: still report it as a diagnostic rather than take the caller down.
    diagnostics.push({ severity: 'error', prefix: 'FATAL ERROR', message: `internal error: ${(e as Error).stack ?? e}` });
    return { diagnostics, includes: [] };
  }
}

export interface DtbOptions {
  version?: number;
  reserve?: number;
  space?: number;
  padding?: number;
  align?: number;
}

/** The blob dtc writes for this tree (`-O dtb`). */
export function treeToDtb(tree: DeviceTree, opts: DtbOptions = {}): Uint8Array {
  return writeDtb(tree, opts);
}

/** Reads a blob (versions 1-17, NOPs allowed); throws DtbError { message, offset } when malformed. */
export function dtbToTree(bytes: Uint8Array, source = '<dtb>'): DeviceTree {
  return readDtb(bytes, source).tree;
}

/**
 * The tree as `dtc -O dts` prints it. The result is a binary string (one char per byte); it is pure
 * ASCII unless node or property names in a blob contain other bytes.
 */
export function treeToDts(tree: DeviceTree): string {
  return writeDts(tree);
}
