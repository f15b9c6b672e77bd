// What names mean in the debug console, watches, hovers and breakpoint conditions: registers ($r0,
// $pc, $cpsr…), global variables typed from DWARF (their value read from guest memory), and ELF
// symbols (functions and objects without debug information, by address).
import { Types, intValue, type EvalContext, type ScalarType, type Value } from '../expr';
import { attr, DW_AT, DW_TAG, walk, type Die } from '../dwarf/info';
import type { ProgramInfo } from '../program';
import type { CpuApi } from '../../machine/arm32/contracts';
import { CORE_NAMES, REG_ALIASES } from './registers';

export interface GlobalInfo {
  name: string;
  address: number;
  size: number;
  type: ScalarType;
  typeName: string;
}

/** Global variables with a fixed address and a scalar (or pointer) type, from DWARF. */
const dieMaps = new WeakMap<ProgramInfo, Map<number, Die>>();

/** Every DIE of the program by its .debug_info offset (type references are offsets). */
export function diesByOffset(program: ProgramInfo): Map<number, Die> {
  let m = dieMaps.get(program);
  if (!m) {
    m = new Map();
    for (const u of program.units) if (u.root) for (const d of walk(u.root)) m.set(d.offset, d);
    dieMaps.set(program, m);
  }
  return m;
}

export function globalsOf(program: ProgramInfo): GlobalInfo[] {
  const byOffset = diesByOffset(program);
  const out: GlobalInfo[] = [];
  for (const g of program.globals.values()) {
    const t = scalarType(g.die, byOffset);
    out.push({ name: g.name, address: g.address, size: t ? t.type.bits / 8 : 4, type: t?.type ?? Types.uint, typeName: t?.name ?? '?' });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

export function scalarType(die: Die, byOffset: Map<number, Die>): { type: ScalarType; name: string } | undefined {
  let d: Die | undefined = die;
  const quals: string[] = [];
  let name: string | undefined;
  for (let guard = 0; d && guard < 16; guard++) {
    const ref = attr(d, DW_AT.type);
    if (typeof ref !== 'number') return undefined;
    d = byOffset.get(ref);
    if (!d) return undefined;
    const n = attr(d, DW_AT.name);
    if (d.tag === DW_TAG.volatile_type) quals.push('volatile');
    else if (d.tag === DW_TAG.const_type) quals.push('const');
    else if (d.tag === DW_TAG.typedef) name ??= typeof n === 'string' ? n : undefined;
    else if (d.tag === DW_TAG.pointer_type) return { type: Types.uint, name: [...quals, (name ?? 'pointer')].join(' ') };
    else if (d.tag === DW_TAG.base_type || d.tag === DW_TAG.enumeration_type) {
      const size = Number(attr(d, DW_AT.byte_size) ?? 4);
      const enc = Number(attr(d, DW_AT.encoding) ?? 7);
      const signed = enc === 5 || enc === 6 || d.tag === DW_TAG.enumeration_type; // DW_ATE_signed, signed_char
      const bits = size === 1 ? 8 : size === 2 ? 16 : size === 8 ? 64 : 32;
      const type: ScalarType = { kind: 'int', bits, signed, name: typeof n === 'string' ? n : `int${bits}` };
      return { type, name: [...quals, name ?? type.name].join(' ') };
    } else if (d.tag === DW_TAG.array_type || d.tag === DW_TAG.structure_type || d.tag === DW_TAG.union_type) return undefined;
  }
  return undefined;
}

function readValue(bytes: Uint8Array, type: ScalarType): bigint {
  let v = 0n;
  for (let k = bytes.length - 1; k >= 0; k--) v = (v << 8n) | BigInt(bytes[k]);
  return type.signed ? BigInt.asIntN(type.bits, v) : BigInt.asUintN(type.bits, v);
}

export interface SymbolScope {
  cpu: CpuApi;
  /** Parameters and locals of the selected frame, searched before globals. */
  locals?: (GlobalInfo & { value?: Uint8Array })[];
  /** Registers of the selected frame (unwound), when not the innermost. */
  frameRegs?: (number | undefined)[];
  program?: ProgramInfo;
  globals: GlobalInfo[];
  read(address: number, size: number): Uint8Array | undefined;
}

export function registerNumber(name: string): number {
  const i = CORE_NAMES.indexOf(name);
  return i >= 0 ? i : REG_ALIASES[name] ?? -1;
}

export function evalContext(s: SymbolScope): EvalContext {
  return {
    register(name) {
      const n = registerNumber(name);
      if (n >= 0) {
        const v = s.frameRegs ? s.frameRegs[n] : s.cpu.getReg(n);
        return v === undefined ? undefined : intValue(v >>> 0, Types.uint);
      }
      if (name === 'cpsr') return intValue(s.cpu.getCpsr() >>> 0, Types.uint);
      const d = /^([sd])(\d+)$/.exec(name);
      if (d) {
        const i = Number(d[2]);
        if (d[1] === 's' && i < 32) return intValue(s.cpu.vfp.regs[i] >>> 0, Types.uint);
        if (d[1] === 'd' && i < 32) return { type: Types.ullong, v: (BigInt(s.cpu.vfp.regs[2 * i + 1] >>> 0) << 32n) | BigInt(s.cpu.vfp.regs[2 * i] >>> 0) };
      }
      if (name === 'fpscr') return intValue(s.cpu.vfp.fpscr >>> 0, Types.uint);
      return undefined;
    },
    symbol(name): Value | undefined {
      const l = s.locals?.find((x) => x.name === name);
      // A local kept in registers or computed: a value, not an lvalue in memory.
      if (l?.value) return { type: l.type, v: readValue(l.value, l.type) };
      const g = l ?? s.globals.find((x) => x.name === name);
      if (g) {
        const bytes = s.read(g.address, g.size);
        if (!bytes) return { type: g.type, v: 0n, address: g.address };
        return { type: g.type, v: readValue(bytes, g.type), address: g.address };
      }
      const sym = s.program?.lookup(name);
      if (sym) {
        if (sym.type === 2) return intValue(sym.value & ~1, Types.uint); // a function: its address
        const size = sym.size === 1 || sym.size === 2 ? sym.size : 4;
        const type = size === 1 ? Types.uchar : size === 2 ? Types.ushort : Types.uint;
        const bytes = s.read(sym.value, size);
        return { type, v: bytes ? readValue(bytes, type) : 0n, address: sym.value };
      }
      return undefined;
    },
    readMemory: (address, size) => s.read(address, size),
  };
}
