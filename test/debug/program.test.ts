// The debugger's program information against binutils and gdb: address → source line as addr2line
// reports it, symbols as objdump names them, and line breakpoints placed where gdb places them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, basename } from 'node:path';
import { readArmElf } from '../../src/machine/elf';
import { ProgramInfo } from '../../src/debug/program';
import { requireTools, CROSS } from '../support/tools';

const GCC = CROSS.gcc, ADDR2LINE = CROSS.addr2line, GDB = 'gdb-multiarch';
const tools = (t: { skip(msg: string): void }, needGdb = false) =>
  requireTools(t, needGdb ? [GCC, ADDR2LINE, GDB] : [GCC, ADDR2LINE], needGdb ? 'gcc-arm-linux-gnueabihf, gdb-multiarch' : 'gcc-arm-linux-gnueabihf');

function build(flags: string[]): { elf: string; info: ProgramInfo } {
  const dir = mkdtempSync(join(tmpdir(), 'xenarm-prog-'));
  const elf = join(dir, 'p.elf');
  const cc = spawnSync(GCC, ['-g', ...flags, '-march=armv7-a+vfpv4', '-mfpu=vfpv4', '-ffreestanding', '-nostdlib', '-static', '-Wl,-Ttext=0x40000000',
    '-Wl,--unresolved-symbols=ignore-all', '-e', 'main', join(__dirname, 'fixtures', 'frames.c'), join(__dirname, 'fixtures', 'float.c'), '-o', elf, '-lgcc'], { encoding: 'utf8' });
  assert.equal(cc.status, 0, cc.stderr);
  return { elf, info: new ProgramInfo(readArmElf(new Uint8Array(readFileSync(elf)), elf)) };
}

for (const flags of [['-O0', '-marm'], ['-O2', '-mthumb'], ['-Os', '-marm']]) {
  test(`address → line agrees with addr2line (${flags.join(' ')})`, (t) => {
    if (!tools(t)) return;
    const { elf, info } = build(flags);
    const addrs: number[] = [];
    for (const f of info.functions) for (let a = f.low; a < f.high; a += 2) addrs.push(a);
    assert.ok(addrs.length > 50);
    const r = spawnSync(ADDR2LINE, ['-e', elf, ...addrs.map((a) => '0x' + a.toString(16))], { encoding: 'utf8' });
    const ref = r.stdout.trim().split('\n').map((l) => l.replace(/ \(discriminator \d+\)$/, ''));
    const ours = addrs.map((a) => { const loc = info.locate(a); return loc ? `${loc.path}:${loc.line}` : '??:0'; });
    assert.deepEqual(ours, ref);
  });

  test(`line breakpoints land where gdb puts them (${flags.join(' ')})`, (t) => {
    if (!tools(t, true)) return;
    const { elf, info } = build(flags);
    for (const src of ['frames.c', 'float.c']) {
      const lines = readFileSync(join(__dirname, 'fixtures', src), 'utf8').split('\n').length;
      const args: string[] = [];
      for (let l = 1; l <= lines; l++) args.push('-ex', `break ${src}:${l}`);
      args.push('-ex', 'info breakpoints');
      const g = spawnSync(GDB, ['-batch', '-nx', ...args, elf], { encoding: 'utf8' });
      // gdb's table: "N breakpoint keep y 0xADDR in f at file:L", or "<MULTIPLE>" then "N.M y 0xADDR in f at file:L".
      const placed = new Map<number, { line: number; addresses: Set<string> }>();
      for (const row of g.stdout.split('\n')) {
        const m = /^(\d+)(?:\.\d+)?\s+(?:breakpoint\s+keep\s+)?y\s+0x([0-9a-f]+) in \S+ at \S+:(\d+)$/.exec(row.trim());
        if (!m) continue;
        const e = placed.get(Number(m[1])) ?? { line: Number(m[3]), addresses: new Set<string>() };
        e.addresses.add(m[2]);
        placed.set(Number(m[1]), e);
      }
      const missing = (g.stdout + g.stderr).split('\n').filter((l) => /^No line \d+ in file/.test(l)).length;
      assert.equal(placed.size + missing, lines, g.stdout + g.stderr);
      // Breakpoint numbers count only the lines gdb could place, in order.
      let n = 0;
      for (let l = 1; l <= lines; l++) {
        const ours = info.addressesForLine(src, l);
        if (!ours) continue;
        const ref = placed.get(++n);
        assert.ok(ref, `${src}:${l}: we placed ${JSON.stringify(ours)}, gdb did not`);
        assert.equal(ours.line, ref.line, `${src}:${l} line`);
        assert.deepEqual(new Set(ours.addresses.map((a) => a.toString(16))), ref.addresses, `${src}:${l} addresses`);
      }
      assert.equal(n, placed.size, `${src}: gdb placed ${placed.size} breakpoints, we placed ${n}`);
    }
  });
}

test('symbols print as objdump prints them, and look up by name', (t) => {
  if (!tools(t)) return;
  const { elf, info } = build(['-O2', '-marm']);
  const dump = spawnSync('arm-linux-gnueabihf-objdump', ['-d', elf], { encoding: 'utf8' }).stdout;
  let checked = 0;
  for (const m of dump.matchAll(/\tbl\t([0-9a-f]+) (<[^>]+>)/g)) {
    assert.equal(info.symbolize(parseInt(m[1], 16)), m[2]);
    checked++;
  }
  assert.ok(checked > 3);
  assert.equal(info.lookup('leaf')?.type, 2);
  assert.equal(info.globals.get('g')?.address, info.lookup('g')?.value);
  assert.equal(basename(info.locate(info.lookup('main')!.value)!.path), 'frames.c');
});
