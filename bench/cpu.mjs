// CPU benchmark: CPU-bound bare-metal guests (integer, memory-heavy, floating point) on xenarm and on
// qemu-system-arm in the same run. Prints xenarm's exact instruction count, both run times with
// start-up subtracted (measured with a guest that does nothing), the implied rates and their ratio.
// Usage: npm run build && node bench/cpu.mjs [--repeat N]
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildOne, haveGcc } from '../test/guests/build.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist', 'cli.js');
const repeatAt = process.argv.indexOf('--repeat');
const repeat = repeatAt >= 0 ? Number(process.argv[repeatAt + 1]) : 3;
if (!Number.isInteger(repeat) || repeat < 1) { console.error('--repeat takes a positive integer'); process.exit(2); }
const guests = ['nop', 'int', 'mem', 'vfp'];

if (!haveGcc()) { console.error('arm-linux-gnueabihf-gcc not installed'); process.exit(2); }
if (!existsSync(cli)) { console.error('dist/cli.js missing: run npm run build first'); process.exit(2); }

function time(cmd, args) {
  let best = Infinity, last;
  for (let i = 0; i < repeat; i++) {
    const t0 = process.hrtime.bigint();
    last = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 26 });
    const dt = Number(process.hrtime.bigint() - t0) / 1e9;
    if (last.status !== 0) return { seconds: NaN, out: last.stdout, err: last.stderr };
    best = Math.min(best, dt);
  }
  return { seconds: best, out: last.stdout, err: last.stderr };
}

const rows = [];
for (const g of guests) {
  const elf = buildOne(`bench-${g}.elf`, [join(root, 'test', 'guests', 'bench', `${g}.c`)], ['-marm']);
  const q = time('qemu-system-arm', ['-M', 'virt', '-cpu', 'cortex-a15', '-nographic', '-nic', 'none', '-semihosting', '-kernel', elf]);
  const x = time(process.execPath, [cli, 'run', '--machine', 'virt', '--semihosting', '--stats', elf]);
  const m = /(\d+) instructions/.exec(x.err ?? '');
  rows.push({ g, q: q.seconds, x: x.seconds, n: m ? Number(m[1]) : NaN, xerr: Number.isNaN(x.seconds) ? (x.err ?? '').trim().split('\n')[0] : '', same: Number.isNaN(x.seconds) ? null : q.err.replace(/^qemu-system-arm:.*\n/gm, '') === x.out });
}
const base = rows[0];
const f = (v, d = 3) => (Number.isFinite(v) ? v.toFixed(d) : '-');
console.log(`start-up (nop guest): qemu ${f(base.q)} s, xenarm ${f(base.x)} s; best of ${repeat}`);
console.log('(output: whether xenarm printed exactly what QEMU printed)');
console.log('guest  instructions    qemu s   xenarm s   qemu MIPS  xenarm MIPS  xenarm/qemu  output');
for (const r of rows.slice(1)) {
  const qn = r.q - base.q, xn = r.x - base.x;
  const qm = r.n / qn / 1e6, xm = r.n / xn / 1e6;
  console.log(`${r.g.padEnd(6)} ${String(r.n).padStart(12)} ${f(qn).padStart(9)} ${f(xn).padStart(10)} ${f(qm, 1).padStart(11)} ${f(xm, 1).padStart(12)} ${Number.isFinite(xm / qm) ? ('1/' + (qm / xm).toFixed(1)).padStart(12) : '-'.padStart(12)}  ${r.same === null ? '-' : r.same ? 'same' : 'DIFFERENT'}${r.xerr ? '  ' + r.xerr : ''}`);
}
