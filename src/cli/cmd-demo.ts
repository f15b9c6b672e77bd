// `xenarm demo` (`npm run demo`): boots the bundled example dom0 (sample/guest/dom0.elf) headless under
// the embedded Xen and shows what xenarm sees: the boot record, the guest's PV console (with two lines
// typed into it by the demo), every hypercall decoded, and the device tree the guest was given.
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { CliError, EXIT } from './errors';
import { Dom0 } from '../hypervisor/dom0';
import { formatHypercall } from '../hypervisor/trace-format';
import type { HypercallRecord } from '../hypervisor/dom0';
import { treeToDts } from '../devicetree/index';

export const DEMO_BOOTARGS = 'console=hvc0 earlycon=xenboot';
export const DEMO_INPUT = ['hello from the xenarm demo\r', 'poweroff\r'];
const PROMPT = 'type a line';

function samplePath(): string {
  // dist/cli.js → ../sample; src/cli/cmd-demo.ts (tests, tsx) → ../../sample
  for (const p of [join(__dirname, '..', 'sample', 'guest', 'dom0.elf'), join(__dirname, '..', '..', 'sample', 'guest', 'dom0.elf')]) {
    if (existsSync(p)) return p;
  }
  throw new CliError('demo: the example guest sample/guest/dom0.elf is missing from this installation', EXIT.BAD_INPUT);
}

export async function run(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write('usage: xenarm demo\n  Boots the bundled example dom0 headless and shows its PV console, its hypercalls and its device tree.\n');
    return EXIT.OK;
  }
  if (args.length) throw new CliError(`demo: takes no arguments (got '${args[0]}')`, EXIT.USAGE);
  const path = samplePath();
  const out = (s: string) => process.stdout.write(s);
  const h = (n: number) => '0x' + n.toString(16);
  const dom0 = Dom0.create({ kernel: new Uint8Array(readFileSync(path)), kernelPath: 'sample/guest/dom0.elf', bootargs: DEMO_BOOTARGS });
  const b = dom0.boot;
  out(`== Booting sample/guest/dom0.elf as dom0 under xenarm's embedded Xen 4.17 (Cortex-A15 vCPU, GICv2 at 0x3001000)\n`);
  out(`kernel: ${b.imageKind} at ${h(b.loadAddress)}..${h(b.loadEnd)}, entry ${h(b.entry)}; device tree: ${b.dtbSize} bytes at ${h(b.dtbAddress)}\n`);
  out(`entry registers: r0=${h(b.r0)} r1=${h(b.r1)} r2=${h(b.r2)} cpsr=${h(b.cpsr)} sctlr=${h(b.sctlr)}\n`);
  out(`\n== The PV console (the demo types ${DEMO_INPUT.map((s) => JSON.stringify(s.trim())).join(' and ')} at the prompts)\n`);

  const calls: HypercallRecord[] = [];
  let seen = '', typed = 0;
  dom0.onConsoleOutput = (bytes) => {
    const s = Buffer.from(bytes).toString('latin1');
    out(s);
    seen += s;
    // Type the next line once the prompt has appeared again.
    if (typed < DEMO_INPUT.length && seen.split(PROMPT).length - 1 > typed) dom0.consoleInput(Buffer.from(DEMO_INPUT[typed++], 'latin1'));
  };
  dom0.onHypercall = (r) => { if (r.result !== undefined) calls.push(r); };
  const r = dom0.run(50_000_000);
  if (r.reason !== 'shutdown') throw new CliError(`demo: the example guest did not finish (${r.reason} after ${r.instructions} instructions)`, EXIT.INTERNAL);
  out(`\n== dom0 shut down (${r.shutdown!.reason}) after ${r.instructions} instructions: the same count on every run\n`);

  out(`\n== Its ${calls.length} hypercalls, decoded (what \`xenarm run --trace-hypercalls\` prints)\n`);
  for (const c of calls) out(formatHypercall(c) + '\n');

  out('\n== The device tree it was given (what `xenarm dt` prints)\n');
  out(treeToDts(dom0.tree!));
  return r.shutdown!.exitStatus;
}
