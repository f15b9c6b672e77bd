// `xenarm demo`: boots the bundled example guest (sample/guest/hello.elf) on the bare-metal board
// headless and shows what xenarm sees: the guest's console output, its instruction count, and its
// main() as the debugger will show it, disassembled in objdump's syntax with symbols and source lines.
// The Xen dom0 part of the demo (PV console, hypercall trace, generated device tree) comes with the
// hypervisor layer, which is not part of this build yet.
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { readArmElf } from '../machine/elf';
import { ProgramInfo } from '../debug/program';
import { CliError, EXIT } from './errors';

function samplePath(): string {
  // dist/cli.js → ../sample; src/cli/cmd-demo.ts (tests, tsx) → ../../sample
  for (const p of [join(__dirname, '..', 'sample', 'guest', 'hello.elf'), join(__dirname, '..', '..', 'sample', 'guest', 'hello.elf')]) {
    if (existsSync(p)) return p;
  }
  throw new CliError('demo: the example guest sample/guest/hello.elf is missing from this installation', EXIT.BAD_INPUT);
}

export async function run(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write('usage: xenarm demo\n  Boots the bundled example guest headless and shows its console output and its code as the debugger sees it.\n');
    return EXIT.OK;
  }
  if (args.length) throw new CliError(`demo: takes no arguments (got '${args[0]}')`, EXIT.USAGE);
  const path = samplePath();
  const image = new Uint8Array(readFileSync(path));
  const out = (s: string) => process.stdout.write(s);
  out(`== Booting ${path} on the QEMU-virt-like board (Cortex-A15 core, GICv2, semihosting)\n\n`);
  const { runBareMetal } = await import('./run-baremetal');
  const chunks: Uint8Array[] = [];
  const r = await runBareMetal({ image, imageName: path, memoryMiB: 16, cpus: 1, semihosting: true, maxInstructions: 50_000_000, fixedTime: 0 }, {
    stdout: (b) => { chunks.push(b); process.stdout.write(b); },
    stderr: (b) => process.stderr.write(b),
    readByte: () => -1,
  });
  out(`\n== The guest exited with status ${r.status} after ${r.instructions} instructions (the same count on every run)\n`);

  const info = new ProgramInfo(readArmElf(image, path));
  const main = info.functions.find((f) => f.name === 'main');
  if (!main) return r.status & 0xff;
  out(`\n== main() as the debugger shows it: ${info.functions.length} functions, ${info.sourceFiles().length} source file(s) from DWARF\n`);
  let lastLine = -1;
  for (let pc = main.low; pc < main.high; ) {
    const loc = info.locate(pc);
    if (loc && loc.line !== lastLine) {
      out(`${loc.path.split('/').pop()}:${loc.line}\n`);
      lastLine = loc.line;
    }
    const insn = info.disassembleAt(pc, info.isThumb(pc));
    if (!insn) break;
    out(`  ${pc.toString(16)}:\t${insn.text}\n`);
    pc += insn.size;
  }
  const bp = info.addressesForLine('hello.c', 28);
  if (bp) out(`\nA breakpoint on hello.c:28 would be placed at ${bp.addresses.map((a) => '0x' + a.toString(16)).join(', ')} (line ${bp.line}).\n`);
  out('\nThe Xen dom0 demo (PV console, hypercall trace, generated device tree) arrives with the hypervisor layer.\n');
  return r.status & 0xff;
}
