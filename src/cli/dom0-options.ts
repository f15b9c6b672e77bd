// Turns `xenarm run` / `xenarm dt` options into Dom0Options: reads the kernel, initrd, tree and overlay
// files and checks the numbers, each problem one line with the right exit status.
import { readFileSync } from 'node:fs';
import { intOption, stringOption, type ParsedArgs } from './args';
import { CliError, EXIT } from './errors';
import type { Dom0Options } from '../hypervisor/dom0';

function readInput(path: string, what: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (e) {
    throw new CliError(`${path}: cannot read ${what}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, EXIT.BAD_INPUT);
  }
}

export function dom0Options(p: ParsedArgs, command: string, usage: string): Dom0Options {
  if (p.positional.length !== 1) throw new CliError(`${command}: expected one KERNEL, got ${p.positional.length}\n${usage}`, EXIT.USAGE);
  const kernelPath = p.positional[0];
  const memoryMiB = intOption(p, 'memory', command) ?? 128;
  if (memoryMiB < 1 || memoryMiB > 3072) throw new CliError(`${command}: --memory ${memoryMiB} MiB is out of range (1..3072)`, EXIT.USAGE);
  const cpus = intOption(p, 'cpus', command) ?? 1;
  if (cpus < 1 || cpus > 8) throw new CliError(`${command}: --cpus ${cpus} is out of range (1..8, the GICv2 limit)`, EXIT.USAGE);
  const protocol = stringOption(p, 'boot-protocol') ?? 'dtb';
  if (protocol !== 'dtb' && protocol !== 'atags') throw new CliError(`${command}: --boot-protocol wants dtb or atags, got '${protocol}'`, EXIT.USAGE);
  const machineId = intOption(p, 'machine-id', command);
  if (machineId !== undefined && protocol !== 'atags') throw new CliError(`${command}: --machine-id only applies to --boot-protocol atags (the device-tree protocol passes r1 = 0xffffffff)`, EXIT.USAGE);
  if (machineId !== undefined && machineId > 0xffffffff) throw new CliError(`${command}: --machine-id ${machineId} does not fit in r1`, EXIT.USAGE);
  const bootargs = stringOption(p, 'bootargs') ?? stringOption(p, 'append');
  const o: Dom0Options = { kernel: readInput(kernelPath, 'the kernel'), kernelPath, memoryMiB, cpus, bootProtocol: protocol };
  if (bootargs !== undefined) o.bootargs = bootargs;
  if (machineId !== undefined) o.machineId = machineId;
  const initrd = stringOption(p, 'initrd');
  if (initrd) { o.initrd = readInput(initrd, 'the initrd'); o.initrdPath = initrd; }
  const dtb = stringOption(p, 'dtb');
  const overlay = stringOption(p, 'dt-overlay');
  if ((dtb || overlay) && protocol === 'atags') throw new CliError(`${command}: --dtb and --dt-overlay need the device-tree protocol, not atags`, EXIT.USAGE);
  if (dtb) o.dtb = { bytes: readInput(dtb, 'the device tree'), path: dtb };
  if (overlay) o.dtOverlay = { bytes: readInput(overlay, 'the overlay'), path: overlay };
  return o;
}
