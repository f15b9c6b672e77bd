// Call-frame information in .eh_frame (the form Linux user space and many assembly sources carry;
// ARM gcc emits .ARM.exidx for C, so the guest opt.c is compiled to assembly with -g and its
// `.cfi_sections .debug_frame` switched to `.eh_frame`): the decoded table against readelf
// --debug-dump=frames-interp, and a call stack at -O2 (no frame pointer) that only CFI can unwind:
// stopped in sink() called from mix() called from main().
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ElfFile } from '../../../src/machine/elf';
import { decodeFrames } from '../../../src/debug/dwarf/frame';
import { CROSS, requireTools } from '../../support/tools';
import { ours, readelfFdes } from '../frames-reference';
import { client, launchArgs, launchAndStop, ROOT } from './support';

const SOURCE = join(ROOT, 'test', 'debug', 'dap', 'guests', 'opt.c');

/** opt.c built -O2 -g with its CFI in .eh_frame instead of .debug_frame. */
async function buildWithEhFrame(isa: 'arm' | 'thumb'): Promise<string> {
  const dir = join(ROOT, '.cache', 'guests');
  mkdirSync(dir, { recursive: true });
  const asm = join(dir, `dap-opt-eh-${isa}.s`);
  const cc = spawnSync(CROSS.gcc, ['-S', '-g', '-O2', isa === 'arm' ? '-marm' : '-mthumb', '-march=armv7ve', '-mfpu=vfpv4', '-mfloat-abi=hard', '-ffreestanding', '-fno-builtin',
    '-I', join(ROOT, 'test', 'guests', 'rt'), SOURCE, '-o', asm], { encoding: 'utf8' });
  assert.equal(cc.status, 0, cc.stderr);
  const text = readFileSync(asm, 'utf8');
  assert.match(text, /\.cfi_sections\t\.debug_frame/);
  writeFileSync(asm, text.replace(/\.cfi_sections\t\.debug_frame/g, '.cfi_sections\t.eh_frame'));
  const { buildOne } = await import(join(ROOT, 'test', 'guests', 'build.mjs'));
  return buildOne(`dap-opt-eh-${isa}.elf`, [asm], [isa === 'arm' ? '-marm' : '-mthumb']) as string;
}

for (const isa of ['arm', 'thumb'] as const) {
  test(`.eh_frame (${isa}): decoded as readelf prints it; a -O2 call stack through it`, async (t) => {
    if (!requireTools(t, [CROSS.gcc, CROSS.readelf], 'gcc-arm-linux-gnueabihf')) return;
    const elfPath = await buildWithEhFrame(isa);
    const elf = new ElfFile(readFileSync(elfPath), elfPath);
    assert.equal(elf.section('.debug_frame'), undefined, 'no .debug_frame: the CFI is only in .eh_frame');
    const eh = elf.section('.eh_frame')!;
    const table = decodeFrames(elf.sectionBytes(eh), { eh: true, sectionAddress: eh.addr });
    const ref = readelfFdes(elfPath);
    assert.ok(ref.length >= 4, `readelf printed ${ref.length} FDEs`);
    assert.equal(table.fdes.length, ref.length);
    table.fdes.forEach((fde, i) => assert.deepEqual(ours(fde, ref[i].columns), ref[i].lines));

    const dc = await client();
    try {
      const lines = readFileSync(SOURCE, 'utf8').split('\n');
      const lineOf = (re: RegExp) => lines.findIndex((l) => re.test(l)) + 1;
      const ev = await launchAndStop(dc, launchArgs(elfPath), () => dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'sink' }] }));
      assert.equal(ev.body.reason, 'function breakpoint');
      const st = await dc.stackTraceRequest({ threadId: 1 });
      const frames = st.body.stackFrames.slice(0, 3).map((f) => [f.name, f.line]);
      assert.deepEqual(frames, [['sink', lineOf(/void sink\(u32 v\)/)], ['mix', lineOf(/@mix-sink/)], ['main', lineOf(/u32 m = mix\(seed, 11\)/)]]);
      // The caller's seed lives in a callee-saved register mix() pushed: recovered through the CFI.
      const scopes = await dc.scopesRequest({ frameId: st.body.stackFrames[2].id });
      const locals = await dc.variablesRequest({ variablesReference: scopes.body.scopes.find((s) => s.name === 'Locals')!.variablesReference });
      assert.match(locals.body.variables.find((v) => v.name === 'seed')!.value, /^7 /);
    } finally {
      await dc.stop();
    }
  });
}
