// `xenarm dt KERNEL [run's dom0 options] [-O dts|dtb] [-o FILE]`: the device tree the dom0 builder would
// hand this kernel (generated, or the user's with an overlay, with /chosen filled in), as DTS on
// standard output or as the exact DTB bytes; plus where it and the initrd would go (with --verbose).
import { writeFileSync } from 'node:fs';
import { parseArgs, stringOption } from './args';
import { CliError, EXIT } from './errors';
import { createDom0 } from './run-dom0';
import { treeToDts } from '../devicetree/index';

const OPTIONS = [
  { name: 'initrd', kind: 'string' }, { name: 'bootargs', kind: 'string' }, { name: 'append', kind: 'string' },
  { name: 'memory', short: 'm', kind: 'string' }, { name: 'cpus', kind: 'string' }, { name: 'dtb', kind: 'string' },
  { name: 'dt-overlay', kind: 'string' }, { name: 'boot-protocol', kind: 'string' }, { name: 'machine-id', kind: 'string' },
  { name: 'out-format', short: 'O', kind: 'string' }, { name: 'out', short: 'o', kind: 'string' },
  { name: 'verbose', short: 'v', kind: 'flag' }, { name: 'help', short: 'h', kind: 'flag' },
] as const;

const USAGE = `usage: xenarm dt KERNEL [options]
  Prints the device tree the dom0 builder would give KERNEL.
  -O dts|dtb               output format (default dts)
  -o FILE                  write to FILE instead of standard output
  -v, --verbose            also print where the kernel, tree and initrd go (to stderr)
  --initrd FILE, --bootargs TEXT, --memory MIB, --cpus N, --dtb FILE, --dt-overlay FILE.dts
                           as for xenarm run
`;

export async function run(args: string[]): Promise<number> {
  const p = parseArgs(args, OPTIONS.map((o) => ({ ...o })), 'dt');
  if (p.options.get('help')) { process.stdout.write(USAGE); return EXIT.OK; }
  const format = stringOption(p, 'out-format') ?? 'dts';
  if (format !== 'dts' && format !== 'dtb') throw new CliError(`dt: -O wants dts or dtb, got '${format}'`, EXIT.USAGE);
  if (stringOption(p, 'boot-protocol') === 'atags') throw new CliError('dt: with --boot-protocol atags the guest gets an ATAGS list, not a device tree', EXIT.USAGE);
  const dom0 = createDom0(p, 'dt');
  const out: Uint8Array = format === 'dtb' ? dom0.dtb : Buffer.from(treeToDts(dom0.tree!), 'latin1');
  const file = stringOption(p, 'out');
  if (file) {
    try { writeFileSync(file, out); } catch (e) { throw new CliError(`${file}: cannot write: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, EXIT.BAD_INPUT); }
  } else process.stdout.write(out);
  if (p.options.get('verbose')) {
    const b = dom0.boot, h = (n: number) => '0x' + n.toString(16);
    process.stderr.write(`kernel: ${b.description} (${b.imageKind}${b.compressed ? ', gzip' : ''}) at ${h(b.loadAddress)}..${h(b.loadEnd)}, entry ${h(b.entry)}\n`);
    process.stderr.write(`tree: ${b.dtbSize} bytes at ${h(b.dtbAddress)}${b.initrdAddress !== undefined ? `; initrd: ${b.initrdSize} bytes at ${h(b.initrdAddress)}` : ''}\n`);
    process.stderr.write(`entry registers: r0=${h(b.r0)} r1=${h(b.r1)} r2=${h(b.r2)} cpsr=${h(b.cpsr)} sctlr=${h(b.sctlr)}\n`);
  }
  return EXIT.OK;
}
