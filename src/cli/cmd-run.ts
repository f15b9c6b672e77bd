// `xenarm run IMAGE`: boots a guest. `--machine xen` (the default) boots it as dom0 under the embedded
// Xen (src/cli/run-dom0.ts, the hypervisor's front end); `--machine virt` runs a bare-metal image on a
// QEMU-virt-like board with semihosting (src/cli/run-baremetal.ts).
import { readFileSync } from 'node:fs';
import { parseArgs, intOption, stringOption, type ParsedArgs } from './args';
import { CliError, EXIT } from './errors';
import { runDom0, DOM0_USAGE } from './run-dom0';

export const RUN_OPTIONS = [
  { name: 'machine', kind: 'string' },
  { name: 'semihosting', kind: 'flag' },
  { name: 'memory', short: 'm', kind: 'string' },
  { name: 'max-instructions', kind: 'string' },
  { name: 'timeout', kind: 'string' },
  { name: 'load-address', kind: 'string' },
  { name: 'entry', kind: 'string' },
  { name: 'cpus', kind: 'string' },
  { name: 'stats', kind: 'flag' },
  { name: 'help', short: 'h', kind: 'flag' },
  // Options of the dom0 path (parsed here so one option table serves both machines).
  { name: 'initrd', kind: 'string' },
  { name: 'bootargs', kind: 'string' },
  { name: 'append', kind: 'string' },
  { name: 'dtb', kind: 'string' },
  { name: 'dt-overlay', kind: 'string' },
  { name: 'boot-protocol', kind: 'string' },
  { name: 'machine-id', kind: 'string' },
  { name: 'trace-hypercalls', kind: 'flag' },
] as const;

/** Options that only the dom0 path takes. */
const DOM0_ONLY = ['initrd', 'bootargs', 'append', 'dtb', 'dt-overlay', 'boot-protocol', 'machine-id', 'trace-hypercalls'];

const USAGE = `${DOM0_USAGE}
usage: xenarm run IMAGE --semihosting [options]    (bare metal on a QEMU-virt-like board)
  --machine xen|virt     xen (default without --semihosting): boot IMAGE as dom0 under the embedded Xen;
                         virt (default with --semihosting): bare metal on a QEMU-virt-like board
  --semihosting          enable ARM semihosting (console and exit status) for --machine virt
  --memory MIB           RAM size (default 128)
  --cpus N               number of vCPUs (default 1)
  --max-instructions N   stop with status ${EXIT.LIMIT} after N instructions
  --timeout SECONDS      stop with status ${EXIT.LIMIT} after this much wall-clock time
  --load-address A       load a raw (non-ELF) image at physical address A
  --entry E              start at E instead of the ELF entry point (bit 0 selects Thumb)
  --stats                print the instruction count to stderr at the end
`;

export async function run(args: string[]): Promise<number> {
  const parsed = parseArgs(args, RUN_OPTIONS.map((o) => ({ ...o })), 'run');
  if (parsed.options.get('help')) {
    process.stdout.write(USAGE);
    return EXIT.OK;
  }
  // Semihosting is a bare-metal convention (a dom0 talks to Xen instead), so it selects the virt board.
  const machine = stringOption(parsed, 'machine') ?? (parsed.options.get('semihosting') ? 'virt' : 'xen');
  if (machine === 'virt') return runVirt(parsed);
  if (machine !== 'xen') throw new CliError(`run: unknown machine '${machine}' (expected xen or virt)`, EXIT.USAGE);
  return runDom0(parsed);
}

async function runVirt(p: ParsedArgs): Promise<number> {
  if (p.positional.length !== 1) throw new CliError(`run: expected one IMAGE, got ${p.positional.length}\n${USAGE}`, EXIT.USAGE);
  for (const o of DOM0_ONLY) {
    if (p.options.has(o)) throw new CliError(`run: --${o} only applies to --machine xen`, EXIT.USAGE);
  }
  const imageName = p.positional[0];
  let image: Uint8Array;
  try {
    image = readFileSync(imageName);
  } catch (e) {
    throw new CliError(`${imageName}: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, EXIT.BAD_INPUT);
  }
  const memoryMiB = intOption(p, 'memory', 'run') ?? 128;
  if (memoryMiB < 1 || memoryMiB > 3072) throw new CliError(`run: --memory ${memoryMiB} MiB is out of range (1..3072)`, EXIT.USAGE);
  const cpus = intOption(p, 'cpus', 'run') ?? 1;
  if (cpus < 1 || cpus > 8) throw new CliError(`run: --cpus ${cpus} is out of range (1..8, the GICv2 limit)`, EXIT.USAGE);
  const timeoutS = p.options.get('timeout');
  let timeoutMs: number | undefined;
  if (timeoutS !== undefined) {
    const t = Number(timeoutS);
    if (!(t > 0)) throw new CliError(`run: --timeout wants a positive number of seconds, got '${String(timeoutS)}'`, EXIT.USAGE);
    timeoutMs = t * 1000;
  }
  const { runBareMetal, stdinByteReader } = await import('./run-baremetal');
  const r = await runBareMetal({
    image, imageName, memoryMiB, cpus,
    semihosting: p.options.get('semihosting') === true,
    maxInstructions: intOption(p, 'max-instructions', 'run'),
    timeoutMs,
    loadAddress: intOption(p, 'load-address', 'run'),
    entry: intOption(p, 'entry', 'run'),
  }, {
    stdout: (b) => process.stdout.write(b),
    stderr: (b) => process.stderr.write(b),
    readByte: stdinByteReader(),
  });
  if (p.options.get('stats')) process.stderr.write(`xenarm: ${r.instructions} instructions\n`);
  return r.status & 0xff;
}
