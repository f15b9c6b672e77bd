// The ELF reader against binutils' readelf on guests built by Debian's cross compiler, and its errors
// on malformed inputs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { ElfFile, ElfError, readArmElf, PT_LOAD } from '../../src/machine/elf';
// @ts-ignore -- plain ESM build script
import { buildGuests, haveGcc } from '../guests/build.mjs';

const READELF = 'arm-linux-gnueabihf-readelf';
function missing(t: { skip(msg: string): void }, what: string): boolean {
  if (process.env.CI) assert.fail(`${what} not installed (required under CI)`);
  t.skip(`${what} not installed`);
  return true;
}
const hasReadelf = spawnSync(READELF, ['--version'], { stdio: 'ignore' }).status === 0;

function readelf(args: string[], file: string): string {
  const r = spawnSync(READELF, ['-W', ...args, file], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

const hex = (n: number) => n.toString(16);

test('program headers, sections and symbols match readelf on ARM and Thumb guests', (t) => {
  if (!haveGcc() || !hasReadelf) { missing(t, 'arm-linux-gnueabihf-gcc/readelf'); return; }
  for (const file of buildGuests(['probe'])) {
    const elf = readArmElf(readFileSync(file), file);
    const hdr = readelf(['-h'], file);
    assert.match(hdr, new RegExp(`Entry point address:\\s+0x${hex(elf.entry)}\\b`));
    // Program headers: "LOAD 0x010000 0x40000000 0x40000000 0x0f3c 0x11000 RWE 0x10000"
    const phLines = readelf(['-l'], file).split('\n').filter((l) => /^\s+[A-Z_]+\s+0x/.test(l) && !/^\s+Type/.test(l));
    assert.equal(phLines.length, elf.programHeaders.length);
    for (const [i, line] of phLines.entries()) {
      const f = line.trim().split(/\s+/);
      const p = elf.programHeaders[i];
      assert.deepEqual([parseInt(f[1], 16), parseInt(f[2], 16), parseInt(f[3], 16), parseInt(f[4], 16), parseInt(f[5], 16)],
        [p.offset, p.vaddr, p.paddr, p.filesz, p.memsz], `${file} phdr ${i}: ${line}`);
      if (f[0] === 'LOAD') assert.equal(p.type, PT_LOAD);
    }
    // Sections: "[ 1] .text PROGBITS 40000000 010000 000a2c 00 AX 0 0 4"
    const shLines = readelf(['-S'], file).split('\n').filter((l) => /^\s+\[\s*\d+\]/.test(l));
    assert.equal(shLines.length, elf.sections.length);
    for (const line of shLines) {
      const m = /^\s+\[\s*(\d+)\]\s+(\S*)\s+(\S+)\s+([0-9a-f]{8})\s+([0-9a-f]+)\s+([0-9a-f]+)/.exec(line);
      if (!m) { assert.match(line, /\[\s*0\]\s+NULL/); continue; }
      const s = elf.sections[Number(m[1])];
      assert.deepEqual([s.name, s.addr, s.offset, s.size], [m[2], parseInt(m[4], 16), parseInt(m[5], 16), parseInt(m[6], 16)], line);
    }
    // Symbols: "12: 40000020 0 NOTYPE LOCAL DEFAULT 1 _start"
    const symLines = readelf(['-s'], file).split('\n').filter((l) => /^\s+\d+:/.test(l)).slice(1);
    const syms = elf.symbols();
    assert.equal(syms.length, symLines.length);
    for (const [i, line] of symLines.entries()) {
      const f = line.trim().split(/\s+/);
      assert.equal(syms[i].value, parseInt(f[1], 16), line);
      assert.equal(syms[i].size, Number(f[2]), line);
      // readelf prints a section symbol (no name of its own) with its section's name.
      const name = f[3] === 'SECTION' && syms[i].name === '' ? elf.sections[syms[i].shndx].name : syms[i].name;
      assert.equal(name, f[7] ?? '', line);
    }
    const main = syms.find((s) => s.name === 'main');
    assert.ok(main && main.type === 2, 'main is a function symbol');
    const text = elf.sectionBytes('.text');
    mkdirSync('/tmp/xenarm-verify', { recursive: true });
    const od = spawnSync('arm-linux-gnueabihf-objcopy', ['-O', 'binary', '--only-section=.text', file, '/tmp/xenarm-verify/text.bin']);
    assert.equal(od.status, 0);
    assert.deepEqual(Buffer.from(text), readFileSync('/tmp/xenarm-verify/text.bin'));
  }
});

test('malformed and foreign files give ElfError naming the problem', (t) => {
  const err = (bytes: Uint8Array, re: RegExp) => assert.throws(() => readArmElf(bytes, 'x.elf'), (e: unknown) => e instanceof ElfError && re.test(e.message));
  err(new Uint8Array(0), /not an ELF file/);
  err(new TextEncoder().encode('#!/bin/sh\necho hi\n'), /not an ELF file/);
  err(readFileSync(process.execPath).subarray(0, 4096), /64-bit ELF/);
  const hdr = new Uint8Array(52);
  hdr.set([0x7f, 0x45, 0x4c, 0x46, 1, 2, 1]);
  err(hdr, /big-endian/);
  hdr[5] = 1;
  err(hdr.subarray(0, 30), /truncated: ELF header/);
  const dv = new DataView(hdr.buffer);
  dv.setUint16(16, 2, true); dv.setUint16(18, 3, true);
  err(hdr, /not an ARM ELF \(e_machine 3/);
  dv.setUint16(18, 40, true);
  err(hdr, /no loadable/);
  dv.setUint32(28, 52, true); dv.setUint16(42, 32, true); dv.setUint16(44, 3, true);
  err(hdr, /truncated: program header table \(3 entries/);
  if (!haveGcc()) { missing(t, 'arm-linux-gnueabihf-gcc'); return; }
  const [file] = buildGuests(['probe']);
  const good = readFileSync(file);
  err(good.subarray(0, good.length - 100), /truncated: section header table/);
  // A relocatable object is not loadable.
  mkdirSync('/tmp/xenarm-verify', { recursive: true });
  writeFileSync('/tmp/xenarm-verify/o.c', 'int f(void) { return 1; }\n');
  const r = spawnSync('arm-linux-gnueabihf-gcc', ['-c', '-o', '/tmp/xenarm-verify/o.o', '/tmp/xenarm-verify/o.c']);
  assert.equal(r.status, 0);
  err(readFileSync('/tmp/xenarm-verify/o.o'), /not an executable \(e_type 1/);
  assert.equal(new ElfFile(readFileSync('/tmp/xenarm-verify/o.o')).section('.text')?.name, '.text');
});
