// A reader for little-endian ELF32/ELF64 files: header, program headers, section headers, symbol
// tables and raw section bytes. The loader uses the program headers; the debugger builds DWARF on the
// raw section bytes. Every malformed input raises ElfError with a message naming what is wrong.

export class ElfError extends Error {}

export const EM_ARM = 40;
export const EM_AARCH64 = 183;
export const PT_LOAD = 1;
export const SHT_SYMTAB = 2;
export const SHT_NOBITS = 8;
export const SHT_DYNSYM = 11;

export interface ElfProgramHeader {
  type: number; flags: number; offset: number; vaddr: number; paddr: number;
  filesz: number; memsz: number; align: number;
}

export interface ElfSection {
  index: number; name: string; type: number; flags: number; addr: number;
  offset: number; size: number; link: number; info: number; addralign: number; entsize: number;
}

export interface ElfSymbol {
  name: string; value: number; size: number;
  /** STB_* (0 local, 1 global, 2 weak). */
  bind: number;
  /** STT_* (0 notype, 1 object, 2 func, 3 section, 4 file). */
  type: number;
  /** Section index (0 undefined, 0xfff1 absolute). */
  shndx: number;
}

export class ElfFile {
  readonly is64: boolean;
  readonly type: number;
  readonly machine: number;
  readonly entry: number;
  readonly flags: number;
  readonly programHeaders: ElfProgramHeader[] = [];
  readonly sections: ElfSection[] = [];
  private readonly dv: DataView;

  constructor(readonly bytes: Uint8Array, readonly fileName = 'image') {
    this.dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (bytes.length < 16 || bytes[0] !== 0x7f || bytes[1] !== 0x45 || bytes[2] !== 0x4c || bytes[3] !== 0x46) {
      throw new ElfError(`${fileName}: not an ELF file (bad magic)`);
    }
    const cls = bytes[4];
    if (cls !== 1 && cls !== 2) throw new ElfError(`${fileName}: unknown ELF class ${cls}`);
    this.is64 = cls === 2;
    if (bytes[5] !== 1) throw new ElfError(`${fileName}: big-endian ELF is not supported (EI_DATA=${bytes[5]})`);
    const ehsize = this.is64 ? 64 : 52;
    this.need(0, ehsize, 'ELF header');
    this.type = this.u16(16);
    this.machine = this.u16(18);
    this.entry = this.addr(24);
    const phoff = this.is64 ? this.u64(32) : this.u32(28);
    const shoff = this.is64 ? this.u64(40) : this.u32(32);
    this.flags = this.u32(this.is64 ? 48 : 36);
    const phentsize = this.u16(this.is64 ? 54 : 42), phnum = this.u16(this.is64 ? 56 : 44);
    const shentsize = this.u16(this.is64 ? 58 : 46), shnum = this.u16(this.is64 ? 60 : 48);
    const shstrndx = this.u16(this.is64 ? 62 : 50);

    if (phnum > 0) {
      if (phentsize < (this.is64 ? 56 : 32)) throw new ElfError(`${fileName}: program header entry size ${phentsize} is too small`);
      this.need(phoff, phentsize * phnum, `program header table (${phnum} entries at offset 0x${phoff.toString(16)})`);
      for (let i = 0; i < phnum; i++) this.programHeaders.push(this.readPhdr(phoff + i * phentsize));
    }
    if (shnum > 0 && shoff !== 0) {
      if (shentsize < (this.is64 ? 64 : 40)) throw new ElfError(`${fileName}: section header entry size ${shentsize} is too small`);
      this.need(shoff, shentsize * shnum, `section header table (${shnum} entries at offset 0x${shoff.toString(16)})`);
      const raw = [];
      for (let i = 0; i < shnum; i++) raw.push(this.readShdr(shoff + i * shentsize, i));
      if (shstrndx >= shnum && shstrndx !== 0) throw new ElfError(`${fileName}: section-name table index ${shstrndx} is out of range (${shnum} sections)`);
      const names = shstrndx !== 0 ? raw[shstrndx] : undefined;
      for (const s of raw) {
        if (s.type !== SHT_NOBITS && s.size > 0) this.need(s.offset, s.size, `section ${s.index}`);
        s.name = names ? this.str(names, s.nameOff, `name of section ${s.index}`) : '';
        const { nameOff: _n, ...sec } = s;
        this.sections.push(sec);
      }
    }
  }

  /** The program headers of PT_LOAD segments, with their file bytes checked to be present. */
  loadSegments(): ElfProgramHeader[] {
    return this.programHeaders.filter((p) => p.type === PT_LOAD);
  }

  /** The file bytes of a segment (filesz bytes; the loader zero-fills up to memsz). */
  segmentBytes(p: ElfProgramHeader): Uint8Array {
    return this.bytes.subarray(p.offset, p.offset + p.filesz);
  }

  section(name: string): ElfSection | undefined {
    return this.sections.find((s) => s.name === name);
  }

  /** Raw bytes of a section (empty for SHT_NOBITS). */
  sectionBytes(s: ElfSection | string): Uint8Array {
    const sec = typeof s === 'string' ? this.section(s) : s;
    if (!sec) throw new ElfError(`${this.fileName}: no section named '${s as string}'`);
    return sec.type === SHT_NOBITS ? new Uint8Array(0) : this.bytes.subarray(sec.offset, sec.offset + sec.size);
  }

  /** Symbols of .symtab (or .dynsym when there is no .symtab), in table order, without the null entry. */
  symbols(): ElfSymbol[] {
    const tab = this.sections.find((s) => s.type === SHT_SYMTAB) ?? this.sections.find((s) => s.type === SHT_DYNSYM);
    if (!tab) return [];
    const strtab = this.sections[tab.link];
    if (!strtab) throw new ElfError(`${this.fileName}: symbol table '${tab.name}' links to missing string table ${tab.link}`);
    const esz = this.is64 ? 24 : 16;
    const out: ElfSymbol[] = [];
    for (let off = tab.offset + esz; off + esz <= tab.offset + tab.size; off += esz) {
      const nameOff = this.u32(off);
      let value: number, size: number, info: number, shndx: number;
      if (this.is64) { info = this.bytes[off + 4]; shndx = this.u16(off + 6); value = this.u64(off + 8); size = this.u64(off + 16); }
      else { value = this.u32(off + 4); size = this.u32(off + 8); info = this.bytes[off + 12]; shndx = this.u16(off + 14); }
      out.push({ name: this.str(strtab, nameOff, 'symbol name'), value, size, bind: info >> 4, type: info & 0xf, shndx });
    }
    return out;
  }

  private readPhdr(o: number): ElfProgramHeader {
    if (this.is64) {
      return { type: this.u32(o), flags: this.u32(o + 4), offset: this.u64(o + 8), vaddr: this.u64(o + 16), paddr: this.u64(o + 24),
        filesz: this.u64(o + 32), memsz: this.u64(o + 40), align: this.u64(o + 48) };
    }
    return { type: this.u32(o), offset: this.u32(o + 4), vaddr: this.u32(o + 8), paddr: this.u32(o + 12),
      filesz: this.u32(o + 16), memsz: this.u32(o + 20), flags: this.u32(o + 24), align: this.u32(o + 28) };
  }

  private readShdr(o: number, index: number): ElfSection & { nameOff: number } {
    const w = this.is64 ? (x: number) => this.u64(x) : (x: number) => this.u32(x);
    const s = this.is64 ? 8 : 4;
    const flagsOff = o + 8, addrOff = flagsOff + s, offOff = addrOff + s, sizeOff = offOff + s, linkOff = sizeOff + s;
    return {
      index, name: '', nameOff: this.u32(o), type: this.u32(o + 4), flags: w(flagsOff), addr: w(addrOff), offset: w(offOff),
      size: w(sizeOff), link: this.u32(linkOff), info: this.u32(linkOff + 4), addralign: w(linkOff + 8), entsize: w(linkOff + 8 + s),
    };
  }

  private str(tab: { offset: number; size: number; index: number }, off: number, what: string): string {
    if (off >= tab.size) throw new ElfError(`${this.fileName}: ${what} offset ${off} is outside string table (section ${tab.index}, ${tab.size} bytes)`);
    const start = tab.offset + off, limit = tab.offset + tab.size;
    let end = start;
    while (end < limit && this.bytes[end] !== 0) end++;
    return new TextDecoder().decode(this.bytes.subarray(start, end));
  }

  private need(off: number, len: number, what: string): void {
    if (off + len > this.bytes.length) {
      throw new ElfError(`${this.fileName}: truncated: ${what} needs bytes 0x${off.toString(16)}..0x${(off + len).toString(16)} but the file has ${this.bytes.length}`);
    }
  }
  private u16(o: number): number { return this.dv.getUint16(o, true); }
  private u32(o: number): number { return this.dv.getUint32(o, true); }
  private u64(o: number): number {
    const v = this.dv.getBigUint64(o, true);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new ElfError(`${this.fileName}: 64-bit value 0x${v.toString(16)} at offset 0x${o.toString(16)} is too large`);
    return Number(v);
  }
  private addr(o: number): number { return this.is64 ? this.u64(o) : this.u32(o); }
}

/** Parses an ELF image that must be a 32-bit ARM executable (what the bare-metal and dom0 loaders accept). */
export function readArmElf(bytes: Uint8Array, fileName = 'image'): ElfFile {
  // Identify foreign files before parsing their tables, so the message says what they are.
  if (bytes.length >= 52 && bytes[0] === 0x7f && bytes[1] === 0x45 && bytes[2] === 0x4c && bytes[3] === 0x46 && bytes[5] === 1) {
    const machine = bytes[18] | (bytes[19] << 8);
    if (bytes[4] === 2) throw new ElfError(`${fileName}: is a 64-bit ELF (machine ${machine}); xenarm runs 32-bit ARM guests`);
    if (machine !== EM_ARM) throw new ElfError(`${fileName}: not an ARM ELF (e_machine ${machine}, expected ${EM_ARM})`);
  }
  const elf = new ElfFile(bytes, fileName);
  if (elf.is64) throw new ElfError(`${fileName}: is a 64-bit ELF (machine ${elf.machine}); xenarm runs 32-bit ARM guests`);
  if (elf.machine !== EM_ARM) throw new ElfError(`${fileName}: not an ARM ELF (e_machine ${elf.machine}, expected ${EM_ARM})`);
  if (elf.type !== 2) throw new ElfError(`${fileName}: not an executable (e_type ${elf.type}; relocatable objects and shared libraries cannot be loaded)`);
  if (elf.loadSegments().length === 0) throw new ElfError(`${fileName}: has no loadable (PT_LOAD) segments`);
  return elf;
}
