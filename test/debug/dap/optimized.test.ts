// Variables of optimised code against gdb: the guest opt.c built -O2 -g (DWARF 5, as Debian's gcc
// emits it, and DWARF 4), ARM and Thumb, run in QEMU under gdb-multiarch (`break` at the @marker
// lines, then at each stop `info args`, `info locals`, and the same in the caller's frame) and in the
// adapter with source breakpoints at the same lines. At every stop the adapter must be at the same
// pc and show the same values, "<optimized out>" included, in both frames: parameters and locals in
// registers, computed ones (DW_OP_stack_value), a 64-bit value in two registers (DW_OP_piece),
// entry values through the caller's call sites, location lists, values in the caller's callee-saved
// registers recovered through CFI.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect, createServer } from 'node:net';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import { CROSS, requireTools } from '../../support/tools';
import { client, launchArgs, launchAndStop, ROOT, stepAndWait } from './support';

const SOURCE = join(ROOT, 'test', 'debug', 'dap', 'guests', 'opt.c');
const MARKERS = ['mix-sink', 'mix-ret', 'widen-sink', 'walk-sink', 'main-show'];
const STOPS = 9; // 1 + 1 + 1 + 5 loop iterations + 1

function markerLine(m: string): number {
  const i = readFileSync(SOURCE, 'utf8').split('\n').findIndex((l) => l.includes(`@${m} `));
  if (i < 0) throw new Error(`no @${m} in opt.c`);
  return i + 1;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => { const p = (s.address() as { port: number }).port; s.close(() => resolve(p)); });
  });
}

async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1', () => { s.destroy(); resolve(true); });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > end) throw new Error(`QEMU's gdbstub did not open port ${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** One stop: pc, then name → value text of frame 0 (args and locals) and frame 1. */
interface Stop { pc: number; frames: Map<string, string>[] }

function parseVars(block: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const l of block.split('\n')) {
    const v = /^(\w+) = (.*)$/.exec(l.trim());
    if (v) m.set(v[1], v[2]);
  }
  return m;
}

async function gdbStops(elf: string): Promise<Stop[]> {
  const port = await freePort();
  const qemu = spawn('qemu-system-arm', ['-M', 'virt', '-cpu', 'cortex-a15', '-m', '64', '-nographic', '-semihosting', '-kernel', elf, '-S', '-gdb', `tcp:127.0.0.1:${port}`], { stdio: 'ignore' });
  try {
    await waitForPort(port, 20000);
    const ex = ['-nx', '-batch', '-ex', 'set pagination off', '-ex', 'set width 0', '-ex', `target remote 127.0.0.1:${port}`];
    for (const m of MARKERS) ex.push('-ex', `break opt.c:${markerLine(m)}`);
    for (let i = 0; i < STOPS; i++) {
      ex.push('-ex', 'continue', '-ex', 'echo @@stop\\n', '-ex', 'p/x $pc', '-ex', 'info args', '-ex', 'info locals',
        '-ex', 'echo @@caller\\n', '-ex', 'up', '-ex', 'info args', '-ex', 'info locals', '-ex', 'down');
    }
    const r = spawnSync('gdb-multiarch', [...ex, elf], { encoding: 'utf8', timeout: 120000 });
    return r.stdout.split('@@stop\n').slice(1).map((chunk) => {
      const [own, caller] = chunk.split('@@caller\n');
      const pc = /^\$\d+ = (0x[0-9a-f]+)/m.exec(own);
      if (!pc) throw new Error(`gdb output without a pc:\n${chunk}`);
      // main's caller is _start (assembly without DWARF): gdb does not go up (no "#1" line), the adapter shows no Locals.
      const outer = !/^#1 /m.test(caller) ? new Map<string, string>() : parseVars(caller.replace(/^#1 .*$/m, '').replace(/^\d+\t.*$/m, ''));
      return { pc: Number(pc[1]), frames: [parseVars(own.replace(/^\$\d+ = .*$/m, '')), outer] };
    });
  } finally {
    qemu.kill();
  }
}

/** A number from gdb's text ("7", "-3", "0x400004f4 <table>") or from the adapter's ("7 (0x7)", "-3"). */
function numberIn(text: string): bigint | undefined {
  const m = /^(?:\([^)]*\) )?(-?0x[0-9a-f]+|-?\d+)/.exec(text);
  return m ? BigInt(m[1]) : undefined;
}

async function adapterFrames(dc: DebugClient): Promise<{ pc: number; frames: Map<string, string>[] }> {
  const st = await dc.stackTraceRequest({ threadId: 1 });
  const frames: Map<string, string>[] = [];
  for (const f of st.body.stackFrames.slice(0, 2)) {
    const scopes = await dc.scopesRequest({ frameId: f.id });
    const locals = scopes.body.scopes.find((s) => s.name === 'Locals');
    const vars = locals ? (await dc.variablesRequest({ variablesReference: locals.variablesReference })).body.variables : [];
    frames.push(new Map(vars.map((v) => [v.name, v.value])));
  }
  return { pc: Number(st.body.stackFrames[0].instructionPointerReference), frames };
}

for (const [isa, dwarf] of [['arm', 5], ['arm', 4], ['thumb', 5]] as const) {
  test(`optimised code (-O2, DWARF ${dwarf}, ${isa}): the adapter shows the values gdb shows, in both frames`, async (t) => {
    if (!requireTools(t, [CROSS.gcc, 'gdb-multiarch', 'qemu-system-arm'], 'gcc-arm-linux-gnueabihf, gdb-multiarch, qemu-system-arm')) return;
    const { buildOne } = await import(join(ROOT, 'test', 'guests', 'build.mjs'));
    const elf = buildOne(`dap-opt-${isa}-dwarf${dwarf}.elf`, [SOURCE], [isa === 'arm' ? '-marm' : '-mthumb', '-O2', dwarf === 5 ? '-g' : '-gdwarf-4']) as string;
    const want = await gdbStops(elf);
    assert.equal(want.length, STOPS, `gdb stopped ${want.length} times`);
    const dc = await client();
    try {
      let ev = await launchAndStop(dc, launchArgs(elf), () => dc.setBreakpointsRequest({ source: { path: SOURCE }, breakpoints: MARKERS.map((m) => ({ line: markerLine(m) })) }));
      let optimizedOut = 0, registerValues = 0;
      for (const [k, g] of want.entries()) {
        assert.equal(ev.body.reason, 'breakpoint', `stop ${k}`);
        const got = await adapterFrames(dc);
        assert.equal(got.pc, g.pc, `stop ${k}: pc`);
        for (const [f, gdbVars] of g.frames.entries()) {
          const ours = got.frames[f];
          assert.deepEqual([...ours.keys()].sort(), [...gdbVars.keys()].sort(), `stop ${k} frame ${f}: the same variables`);
          for (const [name, text] of gdbVars) {
            const mine = ours.get(name)!;
            const where = `stop ${k} (pc 0x${g.pc.toString(16)}) frame ${f}: ${name}: gdb "${text}", adapter "${mine}"`;
            if (text === '<optimized out>') { assert.equal(mine, '<optimized out>', where); optimizedOut++; continue; }
            const a = numberIn(text), b = numberIn(mine);
            assert.ok(a !== undefined, where);
            assert.equal(b, a, where);
            registerValues++;
          }
        }
        if (k + 1 < want.length) ev = await stepAndWait(dc, dc.continueRequest({ threadId: 1 }));
      }
      // The guest exercises both kinds: values gdb can and cannot recover.
      assert.ok(optimizedOut >= 5 && registerValues >= 30, `${optimizedOut} optimized out, ${registerValues} values`);
    } finally {
      await dc.stop();
    }
  });
}
