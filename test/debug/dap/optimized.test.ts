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
import { freePort, waitForPort } from '../../support/net';
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

/** One stop: pc, then each frame's function, line and name → value text (args and locals). */
interface Frame { name: string; line: number; vars: Map<string, string> }
interface Stop { pc: number; frames: Frame[] }

function parseVars(block: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const l of block.split('\n')) {
    // A name twice (nested blocks): gdb prints the innermost first, the one the name means there.
    const v = /^(\w+) = (.*)$/.exec(l.trim());
    if (v && !m.has(v[1])) m.set(v[1], v[2]);
  }
  return m;
}

/** gdb's stops at `breaks` (locations as gdb takes them), then after each `then` command, with `depth` frames of each. */
async function gdbStops(elf: string, breaks: string[], stops: number, depth: number, then = 'continue'): Promise<Stop[]> {
  const port = await freePort();
  const qemu = spawn('qemu-system-arm', ['-M', 'virt', '-cpu', 'cortex-a15', '-m', '64', '-nographic', '-semihosting', '-kernel', elf, '-S', '-gdb', `tcp:127.0.0.1:${port}`], { stdio: 'ignore' });
  try {
    await waitForPort(port, 20000, "QEMU's gdbstub");
    const ex = ['-nx', '-batch', '-ex', 'set pagination off', '-ex', 'set width 0', '-ex', `target remote 127.0.0.1:${port}`];
    for (const b of breaks) ex.push('-ex', `break ${b}`);
    for (let i = 0; i < stops; i++) {
      // The stepping command acts on the innermost frame (the frame listing below selects others).
      if (i > 0) ex.push('-ex', 'frame 0');
      ex.push('-ex', i === 0 ? 'continue' : then, '-ex', 'echo @@stop\\n', '-ex', 'p/x $pc');
      for (let k = 0; k < depth; k++) ex.push('-ex', `echo @@frame\\n`, '-ex', `frame ${k}`, '-ex', 'info args', '-ex', 'info locals');
    }
    const r = spawnSync('gdb-multiarch', [...ex, elf], { encoding: 'utf8', timeout: 120000 });
    return r.stdout.split('@@stop\n').slice(1).map((chunk) => {
      const [head, ...frames] = chunk.split('@@frame\n');
      const pc = /^\$\d+ = (0x[0-9a-f]+)/m.exec(head);
      if (!pc) throw new Error(`gdb output without a pc:\n${chunk}`);
      const out: Frame[] = [];
      for (const [k, f] of frames.entries()) {
        // "#k  [0x… in ]name (args) at file:line"; no such line: gdb has no frame k (main's caller is _start, assembly).
        const h = new RegExp(`^#${k}\\s+(?:0x[0-9a-f]+ in )?(\\S+) \\(.*\\) at \\S+:(\\d+)$`, 'm').exec(f);
        if (!h) break;
        out.push({ name: h[1], line: Number(h[2]), vars: parseVars(f.replace(/^#.*$/m, '').replace(/^\d+\t.*$/m, '')) });
      }
      return { pc: Number(pc[1]), frames: out };
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

async function adapterFrames(dc: DebugClient, depth: number): Promise<Stop> {
  const st = await dc.stackTraceRequest({ threadId: 1 });
  const frames: Frame[] = [];
  for (const f of st.body.stackFrames.slice(0, depth)) {
    const scopes = await dc.scopesRequest({ frameId: f.id });
    const locals = scopes.body.scopes.find((s) => s.name === 'Locals');
    if (!locals) break; // _start: no DWARF, gdb shows no frame either
    const vars = (await dc.variablesRequest({ variablesReference: locals.variablesReference })).body.variables;
    frames.push({ name: f.name, line: f.line, vars: new Map(vars.map((v) => [v.name, v.value])) });
  }
  return { pc: Number(st.body.stackFrames[0].instructionPointerReference), frames };
}

/** Compares the adapter's stop with gdb's: pc, frames (function, line) and every value. */
function compareStop(k: number, g: Stop, got: Stop, count: { optimizedOut: number; values: number }): void {
  assert.equal(got.pc, g.pc, `stop ${k}: pc`);
  assert.deepEqual(got.frames.map((f) => `${f.name}:${f.line}`), g.frames.map((f) => `${f.name}:${f.line}`), `stop ${k}: frames`);
  for (const [f, gf] of g.frames.entries()) {
    const ours = got.frames[f].vars;
    assert.deepEqual([...ours.keys()].sort(), [...gf.vars.keys()].sort(), `stop ${k} frame ${f}: the same variables`);
    for (const [name, text] of gf.vars) {
      const mine = ours.get(name)!;
      const where = `stop ${k} (pc 0x${g.pc.toString(16)}) frame ${f} (${gf.name}): ${name}: gdb "${text}", adapter "${mine}"`;
      if (text === '<optimized out>') { assert.equal(mine, '<optimized out>', where); count.optimizedOut++; continue; }
      const a = numberIn(text), b = numberIn(mine);
      assert.ok(a !== undefined, where);
      assert.equal(b, a, where);
      count.values++;
    }
  }
}

/** opt.c built -O2 with debug information, in the given instruction set and DWARF version. */
async function optElf(isa: 'arm' | 'thumb' = 'arm', dwarf: 4 | 5 = 5): Promise<string> {
  const { buildOne } = await import(join(ROOT, 'test', 'guests', 'build.mjs'));
  return buildOne(`dap-opt-${isa}-dwarf${dwarf}.elf`, [SOURCE], [isa === 'arm' ? '-marm' : '-mthumb', '-O2', dwarf === 5 ? '-g' : '-gdwarf-4']) as string;
}

/** Stops at walk, then steps with `step` as gdb stepped to get `want`, comparing each stop with gdb's. */
async function stepsMatchGdb(elf: string, want: Stop[], step: (dc: DebugClient) => Promise<unknown>): Promise<void> {
  const dc = await client();
  try {
    await launchAndStop(dc, launchArgs(elf), () => dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'walk' }] }));
    const count = { optimizedOut: 0, values: 0 };
    compareStop(0, want[0], await adapterFrames(dc, 2), count);
    await dc.setFunctionBreakpointsRequest({ breakpoints: [] });
    for (let k = 1; k < want.length; k++) {
      await stepAndWait(dc, step(dc));
      compareStop(k, want[k], await adapterFrames(dc, 2), count);
    }
  } finally {
    await dc.stop();
  }
}

for (const [isa, dwarf] of [['arm', 5], ['arm', 4], ['thumb', 5]] as const) {
  test(`optimised code (-O2, DWARF ${dwarf}, ${isa}): the adapter shows the values gdb shows, in both frames`, async (t) => {
    if (!requireTools(t, [CROSS.gcc, 'gdb-multiarch', 'qemu-system-arm'], 'gcc-arm-linux-gnueabihf, gdb-multiarch, qemu-system-arm')) return;
    const elf = await optElf(isa, dwarf);
    const want = await gdbStops(elf, MARKERS.map((m) => `opt.c:${markerLine(m)}`), STOPS, 2);
    assert.equal(want.length, STOPS, `gdb stopped ${want.length} times`);
    const dc = await client();
    try {
      let ev = await launchAndStop(dc, launchArgs(elf), () => dc.setBreakpointsRequest({ source: { path: SOURCE }, breakpoints: MARKERS.map((m) => ({ line: markerLine(m) })) }));
      const count = { optimizedOut: 0, values: 0 };
      for (const [k, g] of want.entries()) {
        assert.equal(ev.body.reason, 'breakpoint', `stop ${k}`);
        compareStop(k, g, await adapterFrames(dc, 2), count);
        if (k + 1 < want.length) ev = await stepAndWait(dc, dc.continueRequest({ threadId: 1 }));
      }
      // The guest exercises both kinds: values gdb can and cannot recover.
      assert.ok(count.optimizedOut >= 5 && count.values >= 30, `${count.optimizedOut} optimized out, ${count.values} values`);
    } finally {
      await dc.stop();
    }
  });
}

test('inlined calls are frames of their own, as gdb shows them (-O2, DWARF 5, ARM): stops in sink() from mix, widen, and walk through the inlined scale()', async (t) => {
  if (!requireTools(t, [CROSS.gcc, 'gdb-multiarch', 'qemu-system-arm'], 'gcc-arm-linux-gnueabihf, gdb-multiarch, qemu-system-arm')) return;
  const elf = await optElf();
  const stops = 2 + 2 * 5; // mix, widen, then scale and walk in each of the 5 iterations
  const want = await gdbStops(elf, ['sink'], stops, 4);
  assert.equal(want.length, stops);
  // gdb's own view has the inlined frame: sink <- scale (inlined) <- walk <- main.
  assert.deepEqual(want[2].frames.map((f) => f.name), ['sink', 'scale', 'walk', 'main']);
  const dc = await client();
  try {
    let ev = await launchAndStop(dc, launchArgs(elf), () => dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'sink' }] }));
    const count = { optimizedOut: 0, values: 0 };
    for (const [k, g] of want.entries()) {
      assert.equal(ev.body.reason, 'function breakpoint', `stop ${k}`);
      compareStop(k, g, await adapterFrames(dc, 4), count);
      if (k + 1 < want.length) ev = await stepAndWait(dc, dc.continueRequest({ threadId: 1 }));
    }
    assert.ok(count.values >= 40, `${count.values} values compared`);
  } finally {
    await dc.stop();
  }
});

test('next through a loop with inlined code stops where gdb stops and shows what gdb shows (-O2, DWARF 5, ARM)', async (t) => {
  if (!requireTools(t, [CROSS.gcc, 'gdb-multiarch', 'qemu-system-arm'], 'gcc-arm-linux-gnueabihf, gdb-multiarch, qemu-system-arm')) return;
  const elf = await optElf();
  // break walk, then `next`s through the loop body: gdb stops where the inlined scale()'s code is
  // entered (a range of it starts there) and shows walk at the call's line.
  const want = await gdbStops(elf, ['walk'], 8, 2, 'next');
  assert.equal(want[1].frames[0].name, 'walk');
  await stepsMatchGdb(elf, want, (dc) => dc.nextRequest({ threadId: 1 }));
});

test('step onto inlined code, then into it without running, as gdb does (-O2, DWARF 5, ARM)', async (t) => {
  if (!requireTools(t, [CROSS.gcc, 'gdb-multiarch', 'qemu-system-arm'], 'gcc-arm-linux-gnueabihf, gdb-multiarch, qemu-system-arm')) return;
  const elf = await optElf();
  // break walk, step (to where scale()'s code is entered: walk at the call), step (into scale, same
  // pc). Further steps inside the interleaved inlined code are not compared yet (a known gap).
  const want = await gdbStops(elf, ['walk'], 3, 2, 'step');
  assert.equal(want[2].pc, want[1].pc);
  assert.deepEqual(want.map((w) => w.frames[0].name), ['walk', 'walk', 'scale']);
  await stepsMatchGdb(elf, want, (dc) => dc.stepInRequest({ threadId: 1 }));
});

test('optimised locals: one in a register is writable (the register changes), a computed one is refused with the reason', async (t) => {
  if (!requireTools(t, [CROSS.gcc], 'gcc-arm-linux-gnueabihf')) return;
  const elf = await optElf();
  const dc = await client();
  try {
    await launchAndStop(dc, launchArgs(elf), () => dc.setBreakpointsRequest({ source: { path: SOURCE }, breakpoints: [{ line: markerLine('mix-sink') }] }));
    const frame = (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames[0];
    const scopes = (await dc.scopesRequest({ frameId: frame.id })).body.scopes;
    const locals = scopes.find((s) => s.name === 'Locals')!.variablesReference;
    const regs = scopes.find((s) => s.name === 'Registers')!.variablesReference;
    const vars = async (ref: number) => new Map((await dc.variablesRequest({ variablesReference: ref })).body.variables.map((v) => [v.name, v.value]));
    // u = t ^ (t >> 7) lives in r0 at this line (the sink(u) argument), t is only computed.
    assert.equal((await vars(locals)).get('u'), '229 (0xe5)');
    const set = await dc.setVariableRequest({ variablesReference: locals, name: 'u', value: '1000' });
    assert.equal(set.body.value, '1000 (0x3e8)');
    assert.equal(Number((await vars(regs)).get('r0')), 1000);
    await assert.rejects(dc.setVariableRequest({ variablesReference: locals, name: 't', value: '1' }), /t is computed \(optimised code\): it cannot be changed here/);
    // The guest goes on with the new value: sink() receives 1000 (its v, an entry value in r0).
    await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'sink' }] });
    await stepAndWait(dc, dc.continueRequest({ threadId: 1 }));
    const f2 = (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames[0];
    const l2 = (await dc.scopesRequest({ frameId: f2.id })).body.scopes.find((s) => s.name === 'Locals')!.variablesReference;
    assert.equal((await vars(l2)).get('v'), '1000 (0x3e8)');
  } finally {
    await dc.stop();
  }
});

test('step out of an inlined call stops where its code is left, as gdb\'s finish (-O2, DWARF 5, ARM)', async (t) => {
  if (!requireTools(t, [CROSS.gcc, CROSS.objdump, 'gdb-multiarch', 'qemu-system-arm'], 'gcc-arm-linux-gnueabihf, gdb-multiarch, qemu-system-arm')) return;
  const elf = await optElf();
  // walk's first call of sink() is scale()'s, inlined: stop on it, then finish / stepOut.
  const dis = spawnSync(CROSS.objdump, ['-d', '--disassemble=walk', elf], { encoding: 'utf8' }).stdout;
  const bl = /^\s*([0-9a-f]+):\s+\S+\s+bl\s+[0-9a-f]+ <sink>/m.exec(dis);
  assert.ok(bl, dis);
  const [inScale, finished] = await gdbStops(elf, [`*0x${bl[1]}`], 2, 2, 'finish');
  assert.equal(inScale.frames[0].name, 'scale');
  const dc = await client();
  try {
    await launchAndStop(dc, launchArgs(elf), () => dc.customRequest('setInstructionBreakpoints', { breakpoints: [{ instructionReference: '0x' + bl[1] }] }));
    const count = { optimizedOut: 0, values: 0 };
    compareStop(0, inScale, await adapterFrames(dc, 2), count);
    await dc.customRequest('setInstructionBreakpoints', { breakpoints: [] });
    await stepAndWait(dc, dc.stepOutRequest({ threadId: 1 }));
    compareStop(1, finished, await adapterFrames(dc, 2), count);
  } finally {
    await dc.stop();
  }
});
