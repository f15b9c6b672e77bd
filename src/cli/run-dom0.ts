// `xenarm run KERNEL` (the default machine): boots KERNEL as dom0 under the embedded Xen. The PV console
// is standard output and standard input (raw when a terminal; Ctrl-] leaves), --trace-hypercalls prints
// each decoded call to standard error, and the exit status says how the guest ended: 0 poweroff,
// 129 reboot, 130 crash, 131 watchdog, 124 past --max-instructions/--timeout.
import { intOption, type ParsedArgs } from './args';
import { CliError, EXIT } from './errors';
import { dom0Options } from './dom0-options';
import { Dom0, Dom0Error, type Dom0RunResult } from '../hypervisor/dom0';
import { formatHypercall } from '../hypervisor/trace-format';

export const DOM0_USAGE = `usage: xenarm run KERNEL [options]          (boots KERNEL as dom0 under the embedded Xen)
  --initrd FILE            initial ramdisk (placed after the tree; /chosen/linux,initrd-start/end)
  --bootargs TEXT          kernel command line (/chosen/bootargs; e.g. "console=hvc0 earlycon=xenboot")
  --memory MIB             dom0 RAM from 0x40000000 (default 128)
  --cpus N                 vCPUs, started with PSCI CPU_ON (default 1, at most 8)
  --dtb FILE.dts|FILE.dtb  boot with this tree instead of the generated one
  --dt-overlay FILE.dts    merge these nodes into the tree (as dtc merges a node written twice)
  --boot-protocol dtb|atags  atags: legacy ATAGS list with a machine number in r1
  --machine-id N           machine number for atags (default 2272, Versatile Express)
  --trace-hypercalls       print every hypercall and PSCI call, decoded, to stderr
  --max-instructions N     stop with status ${EXIT.LIMIT} after N instructions
  --timeout SECONDS        stop with status ${EXIT.LIMIT} after this much wall-clock time
  --stats                  print the instruction count to stderr at the end
KERNEL: zImage, uImage, gzip-compressed, or ELF (vmlinux). Exit: 0 poweroff, ${EXIT.REBOOT} reboot,
${EXIT.CRASH} crash, ${EXIT.WATCHDOG} watchdog, ${EXIT.LIMIT} limit, ${EXIT.BAD_INPUT} bad input.
`;

/** Instructions per run() call between looks at the event loop (console input, Ctrl-]). */
const CHUNK = 2_000_000;

export function createDom0(p: ParsedArgs, command: string): Dom0 {
  const o = dom0Options(p, command, DOM0_USAGE);
  try {
    return Dom0.create(o);
  } catch (e) {
    if (e instanceof Dom0Error) throw new CliError(e.message, e.kind === 'usage' ? EXIT.USAGE : EXIT.BAD_INPUT);
    throw e;
  }
}

export async function runDom0(p: ParsedArgs): Promise<number> {
  if (p.options.get('semihosting')) throw new CliError('run: --semihosting applies to --machine virt only (dom0 talks to Xen through console_io)', EXIT.USAGE);
  for (const o of ['load-address', 'entry']) if (p.options.has(o)) throw new CliError(`run: --${o} applies to --machine virt only (Xen places dom0 itself)`, EXIT.USAGE);
  const dom0 = createDom0(p, 'run');
  const max = intOption(p, 'max-instructions', 'run');
  const timeoutS = p.options.get('timeout');
  let deadline = Infinity;
  if (timeoutS !== undefined) {
    const t = Number(timeoutS);
    if (!(t > 0)) throw new CliError(`run: --timeout wants a positive number of seconds, got '${String(timeoutS)}'`, EXIT.USAGE);
    deadline = Date.now() + t * 1000;
  }
  dom0.onConsoleOutput = (b) => process.stdout.write(b);
  if (p.options.get('trace-hypercalls')) {
    dom0.onHypercall = (r) => { if (r.result !== undefined || r.decoded.cmd === 'shutdown') process.stderr.write(formatHypercall(r) + '\n'); };
  }
  const input = attachConsoleInput(dom0);
  let total = 0;
  try {
    for (;;) {
      const budget = max === undefined ? CHUNK : Math.min(CHUNK, max - total);
      const r: Dom0RunResult = dom0.run(budget, Math.max(1, deadline - Date.now()));
      total += r.instructions;
      if (r.reason === 'shutdown') {
        const s = r.shutdown!;
        if (s.reason !== 'poweroff') process.stderr.write(`xenarm: dom0 shut down: ${s.reason}\n`);
        return s.exitStatus;
      }
      if (input.quit) throw new CliError(`stopped by Ctrl-] after ${total} instructions`, EXIT.OK);
      if (r.reason === 'timeout' || Date.now() > deadline) throw new CliError(`guest still running after --timeout ${String(timeoutS)} s, ${total} instructions (pc ${pcs(dom0)})`, EXIT.LIMIT);
      if (max !== undefined && total >= max) throw new CliError(`guest still running after --max-instructions ${max} (pc ${pcs(dom0)})`, EXIT.LIMIT);
      if (r.reason === 'deadlock') {
        // Every vCPU waits for an interrupt no timer will raise: only console input can wake it.
        if (!(await input.waitForInput())) throw new CliError(`guest hung: every vCPU waits for an interrupt (WFI) and no timer is armed, after ${total} instructions (pc ${pcs(dom0)})`, EXIT.CRASH);
        continue;
      }
      if (r.reason === 'stopped') throw new CliError(`guest stopped unexpectedly on vCPU ${r.vcpu} (reason ${r.stopReason}) at pc ${pcs(dom0)}`, EXIT.INTERNAL);
      await new Promise((res) => setImmediate(res)); // let console input arrive
    }
  } finally {
    input.detach();
    // Printed however the run ends (shutdown, limit, hang), so a slow boot can be measured too.
    if (p.options.get('stats')) process.stderr.write(`xenarm: ${total} instructions\n`);
  }
}

function pcs(d: Dom0): string {
  return d.vcpus.filter((v) => v.online).map((v) => '0x' + v.getReg(15).toString(16)).join(', ');
}

/** Standard input to the PV console: raw mode on a terminal (Ctrl-] quits), plain bytes from a pipe. */
function attachConsoleInput(dom0: Dom0) {
  const stdin = process.stdin;
  const tty = stdin.isTTY === true;
  let ended = false, quit = false;
  let wake: ((v: boolean) => void) | null = null;
  const onData = (chunk: Buffer) => {
    if (tty && chunk.includes(0x1d)) { quit = true; wake?.(true); return; }
    dom0.consoleInput(new Uint8Array(chunk));
    wake?.(true);
  };
  const onEnd = () => { ended = true; wake?.(false); };
  stdin.on('data', onData);
  stdin.on('end', onEnd);
  stdin.on('error', onEnd);
  if (tty) stdin.setRawMode(true);
  stdin.resume();
  return {
    get quit() { return quit; },
    waitForInput(): Promise<boolean> {
      if (ended) return Promise.resolve(false);
      return new Promise<boolean>((res) => { wake = (v) => { wake = null; res(v); }; });
    },
    detach() {
      stdin.off('data', onData);
      stdin.off('end', onEnd);
      stdin.off('error', onEnd);
      if (tty) stdin.setRawMode(false);
      stdin.pause();
      stdin.unref?.();
    },
  };
}
