// Developer tool for finding where xenarm's CPU goes wrong under Linux: boots like run-virt.ts and logs
// every exception the guest takes (kind, pc, instruction word, symbol from a System.map), with counts
// and a ring of recent exceptions printed every 10M instructions. Usage:
//   SYSTEM_MAP=…/System.map KERNEL_ADDR=0x40008000 node --import tsx test/linux/trace-virt.ts IMAGE INITRD "ARGS" [MAX] [LOG_FIRST]
import { readFileSync } from 'node:fs';
import { VirtLinux } from './virt-harness';
import { Access } from '../../src/machine/arm32/contracts';

const [kernel, initrd, bootargs = 'console=ttyAMA0 earlycon=pl011,0x09000000', max = '2000000000', first = '300'] = process.argv.slice(2);
const syms: [number, string][] = [];
if (process.env.SYSTEM_MAP) {
  for (const line of readFileSync(process.env.SYSTEM_MAP, 'utf8').split('\n')) {
    const [a, t, n] = line.split(' ');
    if (n && /[tTwW]/.test(t)) syms.push([parseInt(a, 16), n]);
  }
  syms.sort((x, y) => x[0] - y[0]);
}
export function sym(pc: number): string {
  let lo = 0, hi = syms.length - 1, best = -1;
  while (lo <= hi) { const m = (lo + hi) >> 1; if (syms[m][0] <= pc) { best = m; lo = m + 1; } else hi = m - 1; }
  return best < 0 ? '?' : `${syms[best][1]}+0x${(pc - syms[best][0]).toString(16)}`;
}
const hex = (n: number) => '0x' + (n >>> 0).toString(16);
const vm = new VirtLinux({
  kernel: new Uint8Array(readFileSync(kernel)),
  initrd: initrd && initrd !== '-' ? new Uint8Array(readFileSync(initrd)) : undefined,
  bootargs,
  ...(process.env.KERNEL_ADDR ? { kernelAddr: Number(process.env.KERNEL_ADDR) } : {}),
  onOutput: (b) => process.stdout.write(Buffer.of(b)),
});
const cpu = vm.board.cpus[0];
const names = ['reset', 'und', 'svc', 'pabt', 'dabt', '?', 'irq', 'fiq'];
const counts = new Map<string, number>();
let logged = 0;
const ring: string[] = [];
cpu.onException = (c, kind) => {
  const pc = c.getReg(15) >>> 0;
  const key = names[kind];
  counts.set(key, (counts.get(key) ?? 0) + 1);
  if (kind === 6) return false;
  const pa = c.mem.probe(pc, Access.Fetch, false);
  const word = pa >= 0 ? c.bus.read32(pa) : NaN;
  const extra = kind === 4 ? ` dfar ${hex(c.cp15.dfar)} dfsr ${hex(c.cp15.dfsr)}` : kind === 3 ? ` ifar ${hex(c.cp15.ifar)} ifsr ${hex(c.cp15.ifsr)}` : kind === 2 ? ` r7 ${c.getReg(7)}` : '';
  const line = `#${c.icount} ${key} pc ${hex(pc)} ${sym(pc)} insn ${Number.isNaN(word) ? '?' : hex(word)} cpsr ${hex(c.getCpsr())}${extra}`;
  ring.push(line); if (ring.length > 20) ring.shift();
  if (logged++ < Number(first)) process.stderr.write(line + '\n');
  return false;
};
const t0 = Date.now();
let total = 0;
while (total < Number(max)) {
  const r = vm.run({ maxInstructions: Math.min(10_000_000, Number(max) - total) });
  total += r.instructions;
  process.stderr.write(`[trace] ${total} insns ${((Date.now() - t0) / 1000).toFixed(0)} s pc ${hex(cpu.getReg(15))} ${sym(cpu.getReg(15) >>> 0)} cpsr ${hex(cpu.getCpsr())} ${[...counts].map(([k, v]) => `${k}=${v}`).join(' ')}\n`);
  if (r.outcome !== 'limit') { process.stderr.write(`[trace] outcome ${r.outcome} exit ${vm.exit}\n`); break; }
}
process.stderr.write('[trace] last exceptions:\n' + ring.join('\n') + '\n');
