// Breakpoints and translated blocks (runtime API, no DAP transport): breakpoints on the page of a hot
// loop must neither turn off block translation for that page (the 100-breakpoint speed goal) nor be
// missed when they are set inside a block that is already translated. The loop's instructions come
// from the reference objdump of the guest (ARM and Thumb builds).
import test from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { CROSS, requireTools } from '../support/tools';
import { parseLaunchConfig } from '../../src/debug/launch-config';
import { DebugRuntime, type StopInfo } from '../../src/debug/runtime/runtime';
import { createTarget } from '../../src/debug/runtime/targets';
import { ROOT, nmAddress, run } from './dap/support';

const SOURCE = join(ROOT, 'test', 'debug', 'dap', 'guests', 'busy.c');

async function build(isa: 'arm' | 'thumb'): Promise<string> {
  const { buildOne } = await import(join(ROOT, 'test', 'guests', 'build.mjs'));
  return buildOne(`dap-busy-2m-${isa}.elf`, [SOURCE], [isa === 'arm' ? '-marm' : '-mthumb', '-O2', '-DITER=2000000']) as string;
}

function runtime(elf: string): DebugRuntime {
  const rt = new DebugRuntime(parseLaunchConfig({ kernel: elf, bootProtocol: 'baremetal', semihosting: true }), createTarget);
  rt.load();
  rt.on('console', () => {});
  return rt;
}

/** The addresses of main's loop body, from objdump: the instructions between a backward branch's target and it. */
function loopBody(elf: string): number[] {
  const dis = run(CROSS.objdump, ['-d', '--disassemble=main', elf]);
  const insns = [...dis.matchAll(/^\s*([0-9a-f]+):\s+[0-9a-f ]+\t(\S+)\s*(.*)$/gm)].map((m) => ({ at: parseInt(m[1], 16), op: m[2], args: m[3] }));
  for (const i of insns) {
    const m = /^b\w*(?:\.n|\.w)?$/.test(i.op) ? /^([0-9a-f]+) </.exec(i.args) : null;
    if (m && parseInt(m[1], 16) < i.at) return insns.filter((x) => x.at >= parseInt(m[1], 16) && x.at <= i.at).map((x) => x.at);
  }
  throw new Error(`no loop in main of ${elf}:\n${dis}`);
}

/** Blocks the vCPU has translated so far (the core's counter, not part of the CpuApi contract). */
const translations = (rt: DebugRuntime) => (rt.cpu(0) as unknown as { translations: number }).translations;

const stopped = (rt: DebugRuntime) => new Promise<StopInfo>((resolve) => rt.once('stopped', resolve));

for (const isa of ['arm', 'thumb'] as const) {
  test(`${isa}: 100 unhit breakpoints on the hot loop's page leave its blocks translated`, async (t) => {
    if (!requireTools(t, [CROSS.gcc, CROSS.nm], 'gcc-arm-linux-gnueabihf')) return;
    const elf = await build(isa);
    const pad = nmAddress(elf, 'never_called') & ~1, main = nmAddress(elf, 'main') & ~1;
    assert.equal(pad >>> 12, main >>> 12, 'never_called() shares main\'s page');
    const rt = runtime(elf);
    const step = isa === 'arm' ? 4 : 2;
    const r = rt.setInstructionBreakpoints(Array.from({ length: 100 }, (_, i) => ({ instructionReference: '0x' + (pad + step * i).toString(16) })));
    assert.equal(r.filter((b) => b.verified).length, 100);
    const exited = new Promise<number>((resolve) => rt.once('exited', resolve));
    rt.on('stopped', (s: StopInfo) => assert.fail(`unexpected stop: ${s.reason} at 0x${(rt.cpu(0).getReg(15) >>> 0).toString(16)}`));
    rt.begin();
    assert.equal(await exited, 0);
    // Without translation on that page this loop would run interpreted: no block at all in this guest.
    assert.ok(translations(rt) > 0, `translations: ${translations(rt)}`);
  });

  test(`${isa}: a breakpoint set inside an already-translated loop block is hit there`, async (t) => {
    if (!requireTools(t, [CROSS.gcc, CROSS.objdump], 'gcc-arm-linux-gnueabihf')) return;
    const elf = await build(isa);
    const body = loopBody(elf);
    assert.ok(body.length >= 4, `loop body ${body.map((a) => a.toString(16))}`);
    const rt = runtime(elf);
    rt.begin();
    await new Promise((r) => setTimeout(r, 150));
    const paused = stopped(rt);
    rt.pause();
    assert.equal((await paused).reason, 'pause');
    assert.ok(translations(rt) > 0, 'the loop ran translated before the breakpoint was set');
    // Mid-block addresses (never a block start once the loop is translated), then the loop's head.
    for (const at of [body[body.length - 2], body[2], body[0]]) {
      const [bp] = rt.setInstructionBreakpoints([{ instructionReference: '0x' + at.toString(16) }]);
      for (let k = 0; k < 3; k++) {
        const hit = stopped(rt);
        rt.continue();
        const s = await hit;
        assert.equal(s.reason, 'instruction breakpoint');
        assert.deepEqual(s.hitBreakpointIds, [bp.id]);
        assert.equal(rt.cpu(0).getReg(15) >>> 0, at, `stop ${k} at 0x${at.toString(16)}`);
      }
    }
    rt.setInstructionBreakpoints([]);
    const exited = new Promise<number>((resolve) => rt.once('exited', resolve));
    rt.continue();
    assert.equal(await exited, 0);
  });
}
