// What the debugger knows about a guest program from its ELF file: symbols, the line table both ways,
// functions and global variables from DWARF, and the call-frame table. Built once per launch.
import { ElfFile, type ElfSymbol } from '../machine/elf';
import { decodeLineTables, type LineRow } from './dwarf/line';
import { decodeFrames, type FrameTable } from './dwarf/frame';
import { decodeInfo, walk, attr, pcRange, DW_AT, DW_TAG, DW_FORM, type Die, type Unit } from './dwarf/info';
import { DwarfError } from './dwarf/reader';
import { posix } from 'node:path';
import { disassembleA32 } from './disasm/a32';
import { disassembleT32, isT32Wide } from './disasm/t32';

/** Among symbols at one address, the one objdump names: global first, then fewer leading '_', then shorter. */
function symbolPreference(a: ElfSymbol, b: ElfSymbol): number {
  if (a.bind !== b.bind) return a.bind === 1 ? -1 : b.bind === 1 ? 1 : 0;
  const ua = /^_*/.exec(a.name)![0].length, ub = /^_*/.exec(b.name)![0].length;
  if (ua !== ub) return ua - ub;
  return a.name.length - b.name.length || (a.name < b.name ? -1 : 1);
}

/** Instructions gdb's ARM prologue analyser accepts as prologue work. */
function isPrologueInstruction(full: string): boolean {
  const text = full.split('\t@')[0];
  return /^(push|stmfd\tsp!|stmdb\tsp!|vpush|stmdb\tsp!)\t/.test(text)
    || /^(add|mov)(\.w)?\t(fp|r7), sp(, #\d+)?$/.test(text)
    || /^sub(\.w)?\tsp, (sp, )?#\d+/.test(text)
    || /^(str|strd|vstr)(\.w)?\t(r[0-3]|d[0-7]|s\d+|r[0-3], r[0-3]), \[(fp|r7|sp)(, #-?\d+)?\]$/.test(text);
}

export interface SourceLocation {
  /** Path as the compiler recorded it, joined with its directory (absolute when the build was). */
  path: string;
  line: number;
  column: number;
}

export interface FunctionInfo {
  name: string;
  low: number;
  high: number;
  die?: Die;
}

export interface GlobalVariable {
  name: string;
  address: number;
  die: Die;
}

interface Row { address: number; path: string; line: number; column: number; isStmt: boolean; end: boolean; discriminator: number }

export class ProgramInfo {
  /** Function and object symbols, sorted by address. */
  readonly symbols: ElfSymbol[];
  readonly functions: FunctionInfo[] = [];
  readonly globals = new Map<string, GlobalVariable>();
  readonly frames: FrameTable | undefined;
  readonly units: Unit[] = [];
  /** Problems met while reading debug information: the program still loads without it. */
  readonly warnings: string[] = [];
  private readonly rows: Row[] = [];
  /** File paths of each line-table unit, by its .debug_line offset (DW_AT_stmt_list). */
  private readonly linePaths = new Map<number, string[]>();
  /** Rows of each sequence in address order, by sequence (for stepping and line lookups). */
  private readonly byAddress: Row[];
  /** $a/$t mapping symbols in address order: where ARM and Thumb code begin. */
  private readonly mappingSymbols: { address: number; thumb: boolean }[];

  constructor(readonly elf: ElfFile) {
    this.symbols = elf.symbols()
      .filter((s) => (s.type === 1 || s.type === 2) && s.shndx !== 0 && s.name && !s.name.startsWith('$'))
      .sort((a, b) => a.value - b.value || symbolPreference(a, b));
    this.mappingSymbols = elf.symbols()
      .filter((s) => s.name === '$a' || s.name === '$t' || s.name.startsWith('$a.') || s.name.startsWith('$t.'))
      .map((s) => ({ address: s.value, thumb: s.name.startsWith('$t') }))
      .sort((a, b) => a.address - b.address);
    const sec = (name: string) => (elf.section(name) ? elf.sectionBytes(name) : undefined);
    const debugLine = sec('.debug_line');
    if (debugLine) {
      try {
        for (const unit of decodeLineTables({ debugLine, debugLineStr: sec('.debug_line_str'), debugStr: sec('.debug_str') })) {
          const paths = unit.files.map((f) => (!f ? '?' : f.name.startsWith('/') || !f.dir ? f.name : posix.join(f.dir, f.name)));
          this.linePaths.set(unit.offset, paths);
          for (const r of unit.rows) {
            const path = paths[r.file] ?? '?';
            this.rows.push({ address: r.address, path, line: r.line, column: r.column, isStmt: r.isStmt, end: r.endSequence, discriminator: r.discriminator });
          }
        }
      } catch (e) {
        this.warnings.push(`line table: ${(e as Error).message}`);
      }
    }
    this.byAddress = [...this.rows].sort((a, b) => a.address - b.address || Number(b.end) - Number(a.end));
    const debugFrame = sec('.debug_frame');
    try {
      this.frames = debugFrame ? decodeFrames(debugFrame) : undefined;
    } catch (e) {
      this.warnings.push(`call frames: ${(e as Error).message}`);
    }
    const debugInfo = sec('.debug_info'), debugAbbrev = sec('.debug_abbrev');
    if (debugInfo && debugAbbrev) {
      try {
        this.units = decodeInfo({ debugInfo, debugAbbrev, debugStr: sec('.debug_str'), debugLineStr: sec('.debug_line_str'), debugStrOffsets: sec('.debug_str_offsets'), debugAddr: sec('.debug_addr') });
      } catch (e) {
        if (!(e instanceof DwarfError)) throw e;
        this.warnings.push(`debug info: ${e.message}`);
      }
    }
    for (const u of this.units) {
      if (!u.root) continue;
      for (const die of walk(u.root)) {
        if (die.tag === DW_TAG.subprogram) {
          const range = pcRange(die), name = attr(die, DW_AT.name);
          if (range && typeof name === 'string') this.functions.push({ name, low: range[0], high: range[1], die });
        } else if (die.tag === DW_TAG.variable && die.parent === u.root) {
          const name = attr(die, DW_AT.name), loc = attr(die, DW_AT.location);
          // DW_OP_addr <address>: a global with a fixed address.
          if (typeof name === 'string' && loc instanceof Uint8Array && loc.length === 5 && loc[0] === 0x03) {
            const address = (loc[1] | (loc[2] << 8) | (loc[3] << 16) | (loc[4] << 24)) >>> 0;
            this.globals.set(name, { name, address, die });
          }
        }
      }
    }
    if (this.functions.length === 0) {
      for (const s of this.symbols) if (s.type === 2) this.functions.push({ name: s.name, low: s.value & ~1, high: (s.value & ~1) + s.size });
    }
    this.functions.sort((a, b) => a.low - b.low);
  }

  /** "<name+0xoff>" for an address inside a known symbol, as objdump writes it. */
  symbolize(address: number): string | undefined {
    const s = this.symbolAt(address);
    if (!s) return undefined;
    const off = address - (s.value & ~1);
    return off ? `<${s.name}+0x${off.toString(16)}>` : `<${s.name}>`;
  }

  symbolAt(address: number): ElfSymbol | undefined {
    let lo = 0, hi = this.symbols.length - 1, best: ElfSymbol | undefined;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const s = this.symbols[mid];
      if ((s.value & ~1) <= address) { best = s; lo = mid + 1; } else hi = mid - 1;
    }
    // Aliases at the same address: the preferred one sorts first.
    if (best) best = this.symbols.find((s) => (s.value & ~1) === (best!.value & ~1)) ?? best;
    if (!best) return undefined;
    const start = best.value & ~1;
    return best.size === 0 || address < start + best.size ? best : undefined;
  }

  /** Address of a function or object symbol (bit 0, the Thumb bit, kept as the ELF has it). */
  lookup(name: string): ElfSymbol | undefined {
    return this.symbols.find((s) => s.name === name);
  }

  /** The function holding an address: binary search over starts (the debugger asks on every step). */
  functionAt(address: number): FunctionInfo | undefined {
    const fs = this.functions;
    let lo = 0, hi = fs.length - 1, best = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (fs[mid].low <= address) { best = mid; lo = mid + 1; } else hi = mid - 1;
    }
    // Ranges rarely nest; look back a little for one that does (an earlier, longer function).
    for (let i = best; i >= 0 && i > best - 8; i--) if (address < fs[i].high && address >= fs[i].low) return fs[i];
    return undefined;
  }

  /** The source position of an address: the last row at or before it within its sequence. */
  locate(address: number): SourceLocation | undefined {
    let lo = 0, hi = this.byAddress.length - 1, best = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.byAddress[mid].address <= address) { best = mid; lo = mid + 1; } else hi = mid - 1;
    }
    if (best < 0) return undefined;
    // Rows at the same address: the last one describes the instruction (as addr2line reports).
    const row = this.byAddress[best];
    if (row.end) return undefined;
    return { path: row.path, line: row.line, column: row.column };
  }

  /**
   * The source position a debugger shows for a frame at an address: as locate(), but when the last
   * row there is not a statement and an earlier row at the same address is, that one (gdb's choice
   * in find_pc_sect_line; addr2line reports the last row).
   */
  frameLocation(address: number): SourceLocation | undefined {
    let lo = 0, hi = this.byAddress.length - 1, best = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.byAddress[mid].address <= address) { best = mid; lo = mid + 1; } else hi = mid - 1;
    }
    if (best < 0 || this.byAddress[best].end) return undefined;
    let row = this.byAddress[best];
    for (let i = best; !row.isStmt && i > 0 && this.byAddress[i - 1].address === row.address && !this.byAddress[i - 1].end; i--) {
      if (this.byAddress[i - 1].isStmt) { row = this.byAddress[i - 1]; break; }
    }
    return { path: row.path, line: row.line, column: row.column };
  }

  /**
   * Addresses for a breakpoint on `file:line`, placed as gdb places one: the statement rows of the
   * first line at or after `line` that has code, one location per function (its lowest address), and
   * a location at a function's entry moved past the prologue to the start of its next line.
   * `file` matches by suffix on path components.
   */
  addressesForLine(file: string, line: number): { line: number; addresses: number[] } | undefined {
    const matches = (p: string) => p === file || p.endsWith('/' + file) || file.endsWith('/' + p) || posix.basename(p) === file;
    const candidates = this.rows.filter((r) => !r.end && r.isStmt && matches(r.path) && r.line >= line);
    if (candidates.length === 0) return undefined;
    const best = Math.min(...candidates.map((r) => r.line));
    // One location per innermost lexical block (gdb's grouping), at its lowest address.
    const perBlock = new Map<number, number>();
    for (const r of candidates) {
      if (r.line !== best) continue;
      const key = this.scopeAt(r.address)?.offset ?? -1;
      const prev = perBlock.get(key);
      if (prev === undefined || r.address < prev) perBlock.set(key, r.address);
    }
    const addresses = [...perBlock.values()].map((a) => this.skipPrologue(a)).sort((a, b) => a - b);
    return { line: best, addresses: [...new Set(addresses)] };
  }

  /**
   * gdb's prologue rule for GCC code: scan the function's first instructions, up to the end of its
   * first line-table row, and stop at the first one that is not prologue work (saving registers,
   * setting up the frame pointer and stack, storing arguments). Returns the address after them.
   */
  skipPrologue(address: number): number {
    const f = this.functions.find((fn) => (fn.low & ~1) === (address & ~1));
    if (!f) return address;
    // gdb trusts optimised code's line table (GCC marks such units with location lists) and keeps
    // the entry address there.
    if (f.die && this.unitHasLocationLists(f.die.unit)) return address;
    const after = this.byAddress.find((r) => r.address > f.low);
    const limit = after && after.address < f.high ? after.address : f.high;
    const thumb = this.isThumb(f.low);
    let pc = f.low;
    while (pc < limit) {
      const insn = this.disassembleAt(pc, thumb);
      if (!insn || !isPrologueInstruction(insn.text)) break;
      pc += insn.size;
    }
    return pc;
  }

  /** A file index of a unit's line table (DW_AT_decl_file, DW_AT_call_file) as a path. */
  filePath(unit: Unit, index: number): string | undefined {
    const list = unit.root ? attr(unit.root, DW_AT.stmt_list) : undefined;
    return typeof list === 'number' ? this.linePaths.get(list)?.[index] : undefined;
  }

  /** The innermost subprogram, lexical block or inlined call (with a contiguous range) holding an address. */
  scopeAt(address: number): Die | undefined {
    const f = this.functionAt(address);
    let scope = f?.die;
    for (let descended = true; scope && descended; ) {
      descended = false;
      for (const c of scope.children) {
        if (c.tag !== DW_TAG.lexical_block && c.tag !== DW_TAG.inlined_subroutine) continue;
        const r = pcRange(c);
        if (r && address >= r[0] && address < r[1]) { scope = c; descended = true; break; }
      }
    }
    return scope;
  }

  private readonly locListUnits = new Map<Unit, boolean>();

  private unitHasLocationLists(unit: Unit): boolean {
    let has = this.locListUnits.get(unit);
    if (has === undefined) {
      has = false;
      if (unit.root) {
        outer: for (const die of walk(unit.root)) {
          for (const a of die.attrs) {
            if (a.name === DW_AT.location && (a.form === DW_FORM.sec_offset || a.form === DW_FORM.loclistx)) { has = true; break outer; }
          }
        }
      }
      this.locListUnits.set(unit, has);
    }
    return has;
  }

  /** Thumb or ARM at an address, from the ELF mapping symbols ($t/$a) or the function symbol's bit 0. */
  isThumb(address: number): boolean {
    let state: boolean | undefined;
    for (const m of this.mappingSymbols) {
      if (m.address > address) break;
      state = m.thumb;
    }
    if (state !== undefined) return state;
    const s = this.symbolAt(address);
    return s ? (s.value & 1) === 1 : false;
  }

  /** Reads code bytes from the ELF's loadable sections. */
  readCode(address: number, length: number): Uint8Array | undefined {
    for (const sec of this.elf.sections) {
      if (!(sec.flags & 2) || sec.type === 8 || address < sec.addr || address + length > sec.addr + sec.size) continue;
      const bytes = this.elf.sectionBytes(sec);
      return bytes.subarray(address - sec.addr, address - sec.addr + length);
    }
    return undefined;
  }

  disassembleAt(address: number, thumb: boolean): { text: string; size: number } | undefined {
    if (thumb) {
      const b = this.readCode(address, 2);
      if (!b) return undefined;
      const hw1 = b[0] | (b[1] << 8);
      let hw2 = 0;
      if (isT32Wide(hw1)) {
        const c = this.readCode(address + 2, 2);
        if (!c) return undefined;
        hw2 = c[0] | (c[1] << 8);
      }
      return disassembleT32(hw1, hw2, address, 0, (a) => this.symbolize(a));
    }
    const b = this.readCode(address, 4);
    if (!b) return undefined;
    return disassembleA32((b[0] | (b[1] << 8) | (b[2] << 16) | (b[3] << 24)) >>> 0, address, (a) => this.symbolize(a));
  }

  /** The location in effect just before `address` (the row that precedes it). */
  private locateBefore(address: number): SourceLocation | undefined {
    let lo = 0, hi = this.byAddress.length - 1, best = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.byAddress[mid].address < address) { best = mid; lo = mid + 1; } else hi = mid - 1;
    }
    if (best < 0) return undefined;
    const row = this.byAddress[best];
    return row.end ? undefined : { path: row.path, line: row.line, column: row.column };
  }

  /** All source files the line table mentions. */
  sourceFiles(): string[] {
    return [...new Set(this.rows.map((r) => r.path))].sort();
  }

  /** Rows as [address, line] in address order, for step-over logic. */
  lineRows(): readonly { address: number; line: number; path: string; isStmt: boolean; end: boolean; discriminator: number }[] {
    return this.byAddress;
  }
}

export type { LineRow };
