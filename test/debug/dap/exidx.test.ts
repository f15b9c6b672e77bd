// ARM EHABI unwind tables (.ARM.exidx/.ARM.extab), the unwind information ARM gcc emits by default
// and Debian's binaries carry: every entry of Debian's busybox decoded as `readelf -u` prints it, and
// a call stack at -O2 without any DWARF (no .debug_frame, no frame pointer) that only the table can
// unwind: stopped in sink() called from mix() called from main(), as the source says.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ElfFile } from '../../../src/machine/elf';
import { armExidx, describeOp, type ExidxEntry } from '../../../src/debug/runtime/exidx';
import { armhfPackage } from '../../support/debian';
import { CROSS, requireTools } from '../../support/tools';
import { client, launchArgs, launchAndStop, ROOT } from './support';

/** readelf -u's entries: "fn: what" followed by its instruction lines, as text. */
function readelfEntries(elf: string): Map<number, string[]> {
  const r = spawnSync(CROSS.readelf, ['-u', elf], { encoding: 'utf8', maxBuffer: 64 << 20 });
  assert.equal(r.status, 0, r.stderr);
  const out = new Map<number, string[]>();
  let cur: string[] | undefined;
  for (const l of r.stdout.split('\n')) {
    const h = /^(0x[0-9a-f]+)(?: <[^>]*>)?: (.*)$/.exec(l);
    if (h) { cur = [/\[cantunwind\]/.test(h[2]) ? 'cantunwind' : 'entry']; out.set(Number(h[1]), cur); continue; }
    if (!cur) continue;
    const p = /^\s+Personality routine: (0x[0-9a-f]+)/.exec(l);
    if (p) { cur.push(`personality ${Number(p[1]).toString(16)}`); continue; }
    const m = /^\s+((?:0x[0-9a-f]{2} ?)+)\s*(.*)$/.exec(l);
    if (m) cur.push(`${m[1].trim()} ${m[2].trim()}`);
  }
  return out;
}

/** Ours in the same shape. */
function ourLines(e: ExidxEntry): string[] {
  if (e.cantUnwind) return ['cantunwind'];
  if (e.model < 0) return ['entry', `personality ${e.personality!.toString(16)}`];
  const lines = ['entry'];
  for (let i = 0; i < e.ops.length; ) {
    const { size, text } = describeOp(e.ops, i);
    lines.push(`${e.ops.slice(i, i + size).map((b) => '0x' + b.toString(16).padStart(2, '0')).join(' ')} ${text}`);
    i += size;
  }
  return lines;
}

test("Debian's busybox: every .ARM.exidx entry decodes as readelf -u prints it", (t) => {
  if (!requireTools(t, [CROSS.readelf], 'binutils-arm-linux-gnueabihf')) return;
  const pkg = armhfPackage('busybox-static');
  if ('error' in pkg) {
    if (process.env.CI) assert.fail(pkg.error);
    t.skip(pkg.error);
    return;
  }
  const path = join(pkg.dir, 'bin', 'busybox');
  const warnings: string[] = [];
  const ours = armExidx(new ElfFile(readFileSync(path), path), warnings);
  assert.deepEqual(warnings, []);
  const ref = readelfEntries(path);
  assert.ok(ref.size > 300, `readelf printed ${ref.size} entries`);
  assert.equal(ours.length, ref.size);
  const kinds = new Set<string>();
  for (const e of ours) {
    const want = ref.get(e.fn);
    assert.ok(want, `no readelf entry at 0x${e.fn.toString(16)}`);
    // readelf prints compact entries' model line; ours has the same ops after it.
    const got = ourLines(e);
    assert.deepEqual(got, want.filter((l) => !/^Compact/.test(l)), `entry 0x${e.fn.toString(16)}`);
    for (const l of got.slice(1)) kinds.add(l.replace(/^(0x[0-9a-f]{2} ?)+/, '').replace(/\d+/g, 'N'));
  }
  // The table exercises sp adjustments, register pops (short and masked), vsp = rN, VFP and finish.
  for (const k of ['vsp = vsp + N', 'finish', 'vsp = rN']) assert.ok(kinds.has(k), [...kinds].join(' | '));
});

test('a -O2 call stack without DWARF, through .ARM.exidx only', async (t) => {
  if (!requireTools(t, [CROSS.gcc], 'gcc-arm-linux-gnueabihf')) return;
  const source = join(ROOT, 'test', 'debug', 'dap', 'guests', 'opt.c');
  const { buildOne } = await import(join(ROOT, 'test', 'guests', 'build.mjs'));
  // -funwind-tables: gcc's EHABI tables for C; the personality routine is never called here.
  const elfPath = buildOne('dap-opt-exidx-arm.elf', [source], ['-marm', '-funwind-tables', '-Wl,--defsym=__aeabi_unwind_cpp_pr0=0']) as string;
  const elf = new ElfFile(readFileSync(elfPath), elfPath);
  assert.equal(elf.section('.debug_frame'), undefined);
  assert.equal(elf.section('.debug_info'), undefined);
  assert.ok(elf.section('.ARM.exidx'));
  const dc = await client();
  try {
    const ev = await launchAndStop(dc, launchArgs(elfPath), () => dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'sink' }] }));
    assert.equal(ev.body.reason, 'function breakpoint');
    // First hit: sink called from mix; the third, from walk's loop (the second is from widen).
    const st1 = await dc.stackTraceRequest({ threadId: 1 });
    assert.deepEqual(st1.body.stackFrames.slice(0, 3).map((f) => f.name), ['sink', 'mix', 'main']);
    for (let k = 0; k < 2; k++) {
      const stopped = dc.waitForEvent('stopped');
      await dc.continueRequest({ threadId: 1 });
      await stopped;
    }
    const st = await dc.stackTraceRequest({ threadId: 1 });
    assert.deepEqual(st.body.stackFrames.slice(0, 3).map((f) => f.name), ['sink', 'walk', 'main']);
    // Each caller's pc is a return address: right after a call to the callee.
    const nm = spawnSync(CROSS.objdump, ['-d', elfPath], { encoding: 'utf8' }).stdout;
    for (const [k, callee] of [[1, 'sink'], [2, 'walk']] as const) {
      const ret = Number(st.body.stackFrames[k].instructionPointerReference);
      const call = new RegExp(`^\\s*${(ret - 4).toString(16)}:\\s+\\S+\\s+bl\\s+[0-9a-f]+ <${callee}>`, 'm');
      assert.match(nm, call, `frame ${k} returns after a bl ${callee}`);
    }
  } finally {
    await dc.stop();
  }
});
