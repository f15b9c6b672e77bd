// `xenarm fdtoverlay -i BASE.dtb -o OUT.dtb OVERLAY.dtbo...`: applies compiled overlays to a base
// blob as fdtoverlay does (options, messages and exit status 1 on failure as fdtoverlay's).
import { readFileSync, writeFileSync } from 'node:fs';
import { applyOverlays, OverlayError } from '../devicetree/overlay';
import { DtbError } from '../devicetree/dtb-reader';

const USAGE = `Usage: fdtoverlay <options> [<overlay.dtbo> [<overlay.dtbo>]]

apply a number of overlays to a base blob

Options: -[i:o:vh]
  -i, --input <arg>  Input base DT blob
  -o, --output <arg> Output DT blob
  -v, --verbose      Verbose messages
  -h, --help         Print this help and exit
`;

export async function run(args: string[]): Promise<number> {
  let input: string | undefined;
  let output: string | undefined;
  const overlays: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const value = (): string | undefined => (a.length > 2 && !a.startsWith('--') ? a.slice(2) : args[++i]);
    if (a === '-h' || a === '--help') {
      process.stdout.write(USAGE);
      return 0;
    } else if (a.startsWith('-i') || a === '--input') input = value();
    else if (a.startsWith('-o') || a === '--output') output = value();
    else if (a === '-v' || a === '--verbose') continue;
    else if (a.startsWith('-') && a !== '-') {
      process.stderr.write(USAGE + '\nError: unknown option\n');
      return 1;
    } else overlays.push(a);
  }
  if (!input || !output) {
    process.stderr.write(USAGE + `\nError: ${!input ? 'missing input file' : 'missing output file'}\n`);
    return 1;
  }
  const read = (p: string): Uint8Array | undefined => {
    try {
      return new Uint8Array(readFileSync(p));
    } catch {
      return undefined;
    }
  };
  const base = read(input);
  if (!base) {
    process.stderr.write(`\nFailed to read '${input}'\n`);
    return 1;
  }
  const blobs: Uint8Array[] = [];
  for (const o of overlays) {
    const b = read(o);
    if (!b) {
      process.stderr.write(`\nFailed to read '${o}'\n`);
      return 1;
    }
    blobs.push(b);
  }
  let out = base;
  for (let i = 0; i < blobs.length; i++) {
    try {
      out = applyOverlays(out, [blobs[i]!]);
    } catch (e) {
      if (e instanceof OverlayError || e instanceof DtbError) {
        process.stderr.write(`\nFailed to apply '${overlays[i]}': ${e.message}\n`);
        return 1;
      }
      throw e;
    }
  }
  if (!blobs.length) out = applyOverlays(base, []);
  try {
    writeFileSync(output, out);
  } catch {
    process.stderr.write(`\nFailed to write '${output}'\n`);
    return 1;
  }
  return 0;
}
