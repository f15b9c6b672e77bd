// Boot benchmark: time from start to the busybox shell prompt for Debian's armmp-lpae kernel with an
// interactive initramfs, on qemu-system-arm (-M virt -cpu cortex-a15, console on its PL011) and on
// xenarm in the same run: the virt board (same tree, same PL011 console) and, when the hypervisor layer
// can run it, as Xen dom0 through `xenarm run` (console on hvc0). Prints both times, the ratio and
// xenarm's exact instruction count.
// Usage: npm run bench:boot   (fetches the Debian packages into the cache when missing)
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { debianGuests } from '../test/support/debian';
import { have } from '../test/support/tools';
import { VirtLinux, buildVirtDtb, virtLayout, KERNEL_OFFSET } from '../test/linux/virt-harness';
import { busyboxInitramfs, writeTemp } from '../test/linux/boot-log';
import { VIRT_RAM_BASE } from '../src/machine/board';

const root = join(import.meta.dirname, '..');
const work = join(root, '.cache', 'bench-boot');
const PROMPT_AFTER = 'xenarm: busybox shell';
// ash ends its prompt with a cursor-position query (ESC [6n) when it thinks the console is a terminal.
const prompted = (s: string) => { const i = s.indexOf(PROMPT_AFTER); return i >= 0 && /[#$] (\x1b\[6n)?$/.test(s.slice(i)); };

const init = [
  '#!/bin/busybox sh', '/bin/busybox --install -s /bin', 'mount -t proc proc /proc', 'mount -t sysfs sysfs /sys', 'mount -t devtmpfs devtmpfs /dev',
  `echo "${PROMPT_AFTER} on $(cat /proc/sys/kernel/osrelease)"`, 'exec setsid cttyhack sh', '',
].join('\n');

/** Spawns a command and resolves with the seconds until its output shows the shell prompt. */
function timeToPrompt(cmd: string, args: string[], timeoutMs: number): Promise<{ seconds: number; output: string }> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const p = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    const timer = setTimeout(() => { p.kill('SIGKILL'); reject(new Error(`${cmd}: no prompt within ${timeoutMs / 1000} s; last output:\n${out.slice(-1500)}`)); }, timeoutMs);
    p.stdout.on('data', (d: Buffer) => {
      out += d.toString('latin1');
      if (prompted(out)) {
        const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
        clearTimeout(timer);
        p.kill('SIGKILL');
        resolve({ seconds, output: out });
      }
    });
    p.stderr.on('data', (d: Buffer) => { out += d.toString('latin1'); });
    p.on('close', (code) => { clearTimeout(timer); if (!prompted(out)) reject(new Error(`${cmd} exited ${code} before the prompt:\n${out.slice(-1500)}`)); });
  });
}

async function main(): Promise<void> {
  if (!have('qemu-system-arm') || !have('dtc')) throw new Error('needs qemu-system-arm and dtc (Debian: qemu-system-arm, device-tree-compiler)');
  const g = debianGuests();
  if ('error' in g) throw new Error(g.error);
  const initrd = busyboxInitramfs(new Uint8Array(readFileSync(g.busybox)), init);
  const initrdPath = writeTemp(work, 'initrd-shell.cpio.gz', initrd);
  const bootargs = 'console=ttyAMA0';
  const layout = virtLayout(256 << 20, initrd.length);
  const dtb = buildVirtDtb({ bootargs, initrdStart: layout.initrdStart, initrdEnd: layout.initrdEnd });
  const dtbPath = writeTemp(work, 'virt.dtb', dtb);
  console.log(`kernel: ${g.kernelPackage} (${g.vmlinuz})`);

  const qemu = await timeToPrompt('qemu-system-arm', ['-M', 'virt', '-cpu', 'cortex-a15', '-m', '256', '-nographic', '-nic', 'none',
    '-kernel', g.vmlinuz, '-initrd', initrdPath, '-dtb', dtbPath, '-append', bootargs], 300_000);
  console.log(`qemu-system-arm (TCG, virt, PL011): ${qemu.seconds.toFixed(2)} s to the shell prompt`);

  // xenarm, virt board: in this process, from the zImage as QEMU boots it.
  const t0 = process.hrtime.bigint();
  const vm = new VirtLinux({ kernel: new Uint8Array(readFileSync(g.vmlinuz)), kernelAddr: VIRT_RAM_BASE + KERNEL_OFFSET, initrd, dtb, bootargs });
  const r = vm.run({ maxInstructions: 20_000_000_000, timeoutMs: 3 * 3600_000, until: prompted });
  const xs = Number(process.hrtime.bigint() - t0) / 1e9;
  if (!prompted(vm.output)) {
    console.log(`xenarm (virt board): no prompt (${r.outcome}) after ${vm.icount} instructions, ${xs.toFixed(1)} s; last output:\n${vm.output.slice(-1500)}`);
  } else {
    console.log(`xenarm (virt board, PL011): ${xs.toFixed(2)} s to the shell prompt, ${vm.icount} instructions (${(vm.icount / xs / 1e6).toFixed(2)} MIPS)`);
    console.log(`ratio xenarm/QEMU: ${(xs / qemu.seconds).toFixed(1)}x (target: within 20x)`);
  }

  // xenarm as dom0, when the hypervisor's `xenarm run` can boot a kernel.
  const cli = join(root, 'dist', 'cli.js');
  if (existsSync(cli) && existsSync(join(root, 'src', 'cli', 'run-dom0.ts'))) {
    try {
      const d = await timeToPrompt(process.execPath, [cli, 'run', g.vmlinuz, '--initrd', initrdPath, '--bootargs', 'console=hvc0', '--stats'], 3 * 3600_000);
      console.log(`xenarm (dom0, hvc0): ${d.seconds.toFixed(2)} s to the shell prompt; ratio ${(d.seconds / qemu.seconds).toFixed(1)}x`);
    } catch (e) {
      console.log(`xenarm (dom0): ${(e as Error).message.split('\n')[0]}`);
    }
  } else {
    console.log('xenarm (dom0): `xenarm run KERNEL --initrd` is not available yet');
  }
}

main().catch((e) => { console.error(`bench:boot: ${(e as Error).message}`); process.exit(1); });
