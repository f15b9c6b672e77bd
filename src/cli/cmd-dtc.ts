// `xenarm dtc`: dtc's command line (options, defaults, messages and exit statuses of dtc 1.6.1) over the
// device-tree toolkit. Exit 0 on success, 1 for unreadable/unparsable input or bad options, 2 when
// checks found errors (unless -f).
import { readFileSync, writeFileSync } from 'node:fs';
import { compileBinary, bytesToBinary, processTree } from '../devicetree/compile';
import type { PipelineOptions, PipelineResult } from '../devicetree/compile';
import { readDtb, DtbError } from '../devicetree/dtb-reader';
import { writeDtb, DtbWriteError } from '../devicetree/dtb-writer';
import { writeDts } from '../devicetree/dts-printer';
import { writeAsm } from '../devicetree/asm-writer';
import { formatDiagnostic } from '../devicetree/checks/framework';
import type { PhandleFormat } from '../devicetree/livetree';

const SHORT = 'qI:O:o:V:d:R:S:p:a:fb:i:H:sW:E:@AThv';
const LONG: Record<string, string> = {
  quiet: 'q', 'in-format': 'I', out: 'o', 'out-format': 'O', 'out-version': 'V', 'out-dependency': 'd', reserve: 'R',
  space: 'S', pad: 'p', align: 'a', 'boot-cpu': 'b', force: 'f', include: 'i', sort: 's', phandle: 'H', warning: 'W',
  error: 'E', symbols: '@', 'auto-alias': 'A', annotate: 'T', help: 'h', version: 'v',
};

const USAGE = `Usage: dtc [options] <input file>

Options: -[${SHORT.replace(/:/g, '')}]
  -q, --quiet                Quiet: -q suppress warnings, -qq errors, -qqq all
  -I, --in-format <arg>      Input formats are: dts (device tree source text), dtb (device tree blob)
  -o, --out <arg>            Output file
  -O, --out-format <arg>     Output formats are: dts, dtb, asm
  -V, --out-version <arg>    Blob version to produce, defaults to 17 (for dtb and asm output)
  -d, --out-dependency <arg> Output dependency file
  -R, --reserve <arg>        Make space for <number> reserve map entries (for dtb and asm output)
  -S, --space <arg>          Make the blob at least <bytes> long (extra space)
  -p, --pad <arg>            Add padding to the blob of <bytes> long (extra space)
  -a, --align <arg>          Make the blob align to the <bytes> (extra space)
  -b, --boot-cpu <arg>       Set the physical boot cpu
  -f, --force                Try to produce output even if the input tree has errors
  -i, --include <arg>        Add a path to search for include files
  -s, --sort                 Sort nodes and properties before outputting (useful for comparing trees)
  -H, --phandle <arg>        Valid phandle formats are: legacy ("linux,phandle" only), epapr ("phandle" only), both
  -W, --warning <arg>        Enable/disable warnings (prefix with "no-")
  -E, --error <arg>          Enable/disable errors (prefix with "no-")
  -@, --symbols              Enable generation of symbols
  -A, --auto-alias           Enable auto-alias of labels
  -h, --help                 Print this help and exit
  -v, --version              Print version and exit
`;

class Die extends Error {
  constructor(message: string, readonly status = 1) {
    super(message);
  }
}

/** strtol(s, NULL, 0): leading digits in base 0 (0x hex, 0 octal), 0 when none. */
function strtol(s: string): number {
  const m = /^\s*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)/.exec(s);
  if (!m) return 0;
  const body = m[2]!;
  const v = /^0[xX]/.test(body) ? parseInt(body.slice(2), 16) : body.length > 1 && body[0] === '0' ? parseInt(body, 8) : parseInt(body, 10);
  return m[1] === '-' ? -v : v;
}

interface Io {
  stdout: (b: Uint8Array | string) => void;
  stderr: (s: string) => void;
  readFile: (path: string) => Uint8Array | undefined;
  readStdin: () => Uint8Array;
  writeFile: (path: string, b: Uint8Array | string) => void;
}

const nodeIo: Io = {
  stdout: (b) => process.stdout.write(b),
  stderr: (s) => process.stderr.write(Buffer.from(s, 'latin1')),
  readFile: (p) => {
    try {
      return new Uint8Array(readFileSync(p));
    } catch {
      return undefined;
    }
  },
  readStdin: () => new Uint8Array(readFileSync(0)),
  writeFile: (p, b) => writeFileSync(p, typeof b === 'string' ? Buffer.from(b, 'latin1') : b),
};

export async function run(args: string[]): Promise<number> {
  return runDtc(args, nodeIo);
}

function guessTypeByName(name: string, fallback: string | undefined): string | undefined {
  const k = name.lastIndexOf('.');
  if (k < 0) return fallback;
  const ext = name.slice(k).toLowerCase();
  if (ext === '.dts') return 'dts';
  if (ext === '.yaml') return 'yaml';
  if (ext === '.dtbo' || ext === '.dtb') return 'dtb';
  return fallback;
}

/** dtc's main(); returns the exit status. */
export function runDtc(args: string[], io: Io): number {
  try {
    return dtcMain(args, io);
  } catch (e) {
    if (e instanceof Die) {
      if (e.message) io.stderr(e.message);
      return e.status;
    }
    throw e;
  }
}

function dtcMain(args: string[], io: Io): number {
  let inform: string | undefined;
  let outform: string | undefined;
  let outname = '-';
  let depname: string | undefined;
  let force = false;
  let sort = false;
  let quiet = 0;
  let reserve = 0;
  let minsize = 0;
  let padsize = 0;
  let alignsize = 0;
  let outversion = 17;
  let bootCpuid: number | undefined;
  let phandleFormat: PhandleFormat = 'epapr';
  let symbols = false;
  let autoAlias = false;
  const includeDirs: string[] = [];
  const switches: { kind: 'W' | 'E'; name: string }[] = [];
  const positional: string[] = [];

  const usage = (err?: string): never => {
    const text = USAGE + (err ? `\nError: ${err}\n` : '');
    if (err) throw new Die(text, 1);
    io.stdout(text);
    throw new Die('', 0);
  };

  const apply = (opt: string, arg: string | undefined): void => {
    const a = arg ?? '';
    switch (opt) {
      case 'I': inform = a; break;
      case 'O': outform = a; break;
      case 'o': outname = a; break;
      case 'V': outversion = strtol(a); break;
      case 'd': depname = a; break;
      case 'R': reserve = strtol(a); break;
      case 'S': minsize = strtol(a); break;
      case 'p': padsize = strtol(a); break;
      case 'a':
        alignsize = strtol(a);
        if (!(alignsize > 0 && (alignsize & (alignsize - 1)) === 0)) throw new Die(`FATAL ERROR: Invalid argument "${alignsize}" to -a option\n`);
        break;
      case 'f': force = true; break;
      case 'q': quiet++; break;
      case 'b': bootCpuid = strtol(a); break;
      case 'i': includeDirs.push(a); break;
      case 'v':
        io.stdout('Version: DTC 1.6.1 (xenarm)\n');
        throw new Die('', 0);
      case 'H':
        if (a === 'legacy') phandleFormat = 'linux';
        else if (a === 'epapr') phandleFormat = 'epapr';
        else if (a === 'both') phandleFormat = 'both';
        else throw new Die(`FATAL ERROR: Invalid argument "${a}" to -H option\n`);
        break;
      case 's': sort = true; break;
      case 'W': switches.push({ kind: 'W', name: a }); break;
      case 'E': switches.push({ kind: 'E', name: a }); break;
      case '@': symbols = true; break;
      case 'A': autoAlias = true; break;
      case 'T': throw new Die('FATAL ERROR: --annotate is not supported by xenarm dtc\n');
      case 'h': usage(); break;
      default: usage('unknown option');
    }
  };

  // getopt_long: options and operands may be mixed; "--" ends options.
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') {
      positional.push(...args.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
      const opt = LONG[name];
      if (!opt) usage('unknown option');
      const takes = SHORT.includes(opt + ':');
      let val: string | undefined;
      if (takes) {
        if (eq >= 0) val = a.slice(eq + 1);
        else if (i + 1 < args.length) val = args[++i];
        else usage('unknown option');
      }
      apply(opt!, val);
    } else if (a.startsWith('-') && a.length > 1) {
      for (let k = 1; k < a.length; k++) {
        const opt = a[k]!;
        const at = SHORT.indexOf(opt);
        if (at < 0 || opt === ':') usage('unknown option');
        if (SHORT[at + 1] === ':') {
          let val: string | undefined = a.slice(k + 1);
          if (!val) {
            if (i + 1 < args.length) val = args[++i];
            else usage('unknown option');
          }
          apply(opt, val);
          break;
        }
        apply(opt, undefined);
      }
    } else positional.push(a);
  }
  if (positional.length > 1) usage('missing files');
  const arg = positional[0] ?? '-';
  if (minsize && padsize) throw new Die("FATAL ERROR: Can't set both -p and -S\n");

  const readInput = (): Uint8Array | undefined => (arg === '-' ? io.readStdin() : io.readFile(arg));
  if (inform === undefined) {
    if (arg === '-') inform = 'dts';
    else {
      const b = io.readFile(arg);
      if (b && b.length >= 4 && b[0] === 0xd0 && b[1] === 0x0d && b[2] === 0xfe && b[3] === 0xed) inform = 'dtb';
      else inform = b ? guessTypeByName(arg, 'dts')! : 'dts';
    }
  }
  if (outform === undefined) outform = guessTypeByName(outname, undefined) ?? (inform === 'dts' ? 'dtb' : 'dts');

  const common: Omit<PipelineOptions, 'file' | 'readFile'> = {
    includeDirs, phandleFormat, symbols, autoAlias, sort, checkSwitches: switches, quiet, outName: outname, force,
  };
  if (bootCpuid !== undefined) common.bootCpuid = bootCpuid >>> 0;
  const deps: string[] = [];
  let result: PipelineResult;
  if (inform === 'dts') {
    const bytes = readInput();
    const file = arg === '-' ? '<stdin>' : arg;
    if (!bytes) throw new Die(`FATAL ERROR: Couldn't open "${arg}": No such file or directory\n`);
    deps.push(file);
    // Sources with #include/#define/#if lines go through the built-in C preprocessor first (dtc has none).
    result = compileBinary(bytesToBinary(bytes), { ...common, file, readFile: io.readFile, preprocess: 'auto' });
    for (const inc of result.includes) deps.push(inc.file);
  } else if (inform === 'dtb') {
    const bytes = readInput();
    if (!bytes) throw new Die(`FATAL ERROR: Couldn't open "${arg}": No such file or directory\n`);
    deps.push(arg === '-' ? '<stdin>' : arg);
    let tree;
    try {
      const r = readDtb(bytes, arg);
      for (const w of r.warnings) io.stderr(w + '\n');
      tree = r.tree;
    } catch (e) {
      if (e instanceof DtbError) throw new Die(`FATAL ERROR: ${e.message} (at byte offset ${e.offset})\n`);
      throw e;
    }
    if (bootCpuid !== undefined) tree.bootCpuidPhys = bootCpuid >>> 0;
    result = processTree(tree, common);
  } else if (inform === 'fs') {
    throw new Die('FATAL ERROR: input format "fs" (a /proc/device-tree directory) is not supported by xenarm dtc\n');
  } else throw new Die(`FATAL ERROR: Unknown input format "${inform}"\n`);

  if (depname) io.writeFile(depname, `${outname}:${deps.map((d) => ' ' + d).join('')}\n`);

  // Messages in dtc's order, then dtc's verdict.
  io.stderr(result.diagnostics.map(formatDiagnostic).join(''));
  if (result.checkErrors && !force) return 2;
  if (result.fatal) return 1;
  const tree = result.tree!;
  let out: Uint8Array | string;
  try {
    if (outform === 'dts') out = writeDts(tree);
    else if (outform === 'dtb') {
      out = writeDtb(tree, {
        version: outversion, reserve, space: minsize, padding: padsize, align: alignsize,
        warn: (m) => {
          if (quiet < 1) io.stderr(m + '\n');
        },
      });
    } else if (outform === 'asm') out = writeAsm(tree, { version: outversion, reserve, space: minsize, padding: padsize, align: alignsize });
    else if (outform === 'null') return 0;
    else if (outform === 'yaml') throw new Die('FATAL ERROR: YAML output is not supported by xenarm dtc\n');
    else throw new Die(`FATAL ERROR: Unknown output format "${outform}"\n`);
  } catch (e) {
    if (e instanceof DtbWriteError) throw new Die(`FATAL ERROR: ${e.message}\n`);
    throw e;
  }
  if (outname === '-') io.stdout(typeof out === 'string' ? Buffer.from(out, 'latin1') : out);
  else {
    try {
      io.writeFile(outname, out);
    } catch (e) {
      throw new Die(`FATAL ERROR: Couldn't open output file ${outname}: ${(e as Error).message}\n`);
    }
  }
  return 0;
}
