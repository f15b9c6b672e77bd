// Developer tool: boots a zImage on the virt harness and streams its console, e.g.
//   [KERNEL_ADDR=0x40008000] node --import tsx test/linux/run-virt.ts ~/.cache/xenarm/vmlinuz INITRD "console=ttyAMA0" [MAX_INSTRUCTIONS]
// Prints the instruction count and every vCPU's pc every 50M instructions on stderr.
import { readFileSync } from 'node:fs';
import { VirtLinux } from './virt-harness';

const [kernel, initrd, bootargs = 'console=ttyAMA0', max = '4000000000'] = process.argv.slice(2);
const vm = new VirtLinux({
  kernel: new Uint8Array(readFileSync(kernel)),
  initrd: initrd && initrd !== '-' ? new Uint8Array(readFileSync(initrd)) : undefined,
  bootargs,
  ...(process.env.KERNEL_ADDR ? { kernelAddr: Number(process.env.KERNEL_ADDR) } : {}),
  onOutput: (b) => process.stdout.write(Buffer.of(b)),
});
const t0 = Date.now();
let total = 0;
const limit = Number(max);
while (total < limit) {
  const r = vm.run({ maxInstructions: Math.min(50_000_000, limit - total) });
  total += r.instructions;
  const cpu = vm.board.cpus[0];
  process.stderr.write(`[run-virt] ${total} insns, ${((Date.now() - t0) / 1000).toFixed(1)} s, pc 0x${cpu.getReg(15).toString(16)} cpsr 0x${cpu.getCpsr().toString(16)} outcome ${r.outcome}\n`);
  if (r.outcome !== 'limit') break;
}
process.stderr.write(`[run-virt] exit ${vm.exit} after ${vm.icount} instructions\n`);
