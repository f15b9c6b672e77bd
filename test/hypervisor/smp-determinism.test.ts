// Deterministic scheduling of several vCPUs (issue 5 item 6 with --cpus 2): a run's result does not
// depend on how it is sliced into run() calls. The CLI runs in 2 M-instruction chunks, the debugger in
// its own slices and stops; all must execute exactly what one uninterrupted run executes, or a bug seen
// in `xenarm run` could vanish under the debugger. The guests spin on each other's stores and timers,
// so any change in interleaving changes their instruction counts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { requireTools, CROSS } from '../support/tools';
import { xenGuest } from './guest-runner';
import { Dom0 } from '../../src/hypervisor/dom0';

function runSliced(path: string, slice: number, total: number) {
  const dom0 = Dom0.create({ kernel: new Uint8Array(readFileSync(path)), kernelPath: path, cpus: 2 });
  let out = '';
  dom0.onConsoleOutput = (b) => { out += Buffer.from(b).toString('latin1'); };
  let n = 0, calls = 0, reason = '';
  while (n < total) {
    const r = dom0.run(Math.min(slice, total - n));
    n += r.instructions; calls++;
    reason = r.reason;
    if (r.reason !== 'budget') break;
  }
  const regs = dom0.vcpus.map((v) => [v.icount, v.getReg(15), v.getCpsr()]);
  return { out, n, reason, time: dom0.board.time, regs, calls };
}

for (const name of ['smp_tlb', 'smp_timer']) {
  test(`${name} on 2 vCPUs: one run, a third of it per call and 997 instructions per call execute the same`, async (t) => {
    if (!requireTools(t, [CROSS.gcc], 'gcc-arm-linux-gnueabihf')) return;
    const path = await xenGuest(name);
    const whole = runSliced(path, 50_000_000, 50_000_000);
    assert.equal(whole.reason, 'shutdown', whole.out);
    assert.match(whole.out, /RESULT: PASS|ok after TLBIASIDIS/);
    for (const slice of [Math.ceil(whole.n / 3), 997]) {
      const { calls, ...r } = runSliced(path, slice, 50_000_000);
      const { calls: _c, ...w } = whole;
      assert.ok(calls > 1);
      assert.deepEqual(r, w, `sliced by ${slice}`);
    }
  });
}
