// The register views the debugger shows: core registers with the CPSR decoded, banked registers of
// every mode, the CP15 registers a kernel developer reads, and the VFP register file. Each entry can
// be read and written; the session turns them into DAP variables.
import { Mode, UndefinedInstruction, type CpuApi } from '../../machine/arm32/contracts';

export interface RegisterEntry {
  name: string;
  get(): number | bigint;
  set?(v: number | bigint): void;
  /** Width in bits (32 or 64). */
  bits: 32 | 64;
  /** Holds an address (gets a memoryReference). */
  address?: boolean;
  /** Decoded sub-fields (CPSR flags, mode…). */
  fields?: () => { name: string; value: string }[];
  /** Extra text after the hex value (a double for D registers). */
  note?: () => string;
}

export const CORE_NAMES = ['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7', 'r8', 'r9', 'r10', 'r11', 'r12', 'sp', 'lr', 'pc'];
/** Aliases accepted in expressions ($fp, $ip, $sl). */
export const REG_ALIASES: Record<string, number> = { sl: 10, fp: 11, ip: 12, r13: 13, r14: 14, r15: 15 };

const MODE_NAMES: Record<number, string> = { 0x10: 'usr', 0x11: 'fiq', 0x12: 'irq', 0x13: 'svc', 0x16: 'mon', 0x17: 'abt', 0x1a: 'hyp', 0x1b: 'und', 0x1f: 'sys' };

export function modeName(cpsr: number): string {
  return MODE_NAMES[cpsr & 0x1f] ?? `0x${(cpsr & 0x1f).toString(16)}`;
}

/** CPSR/SPSR fields as gdb and the ARM ARM name them. */
export function psrFields(v: number): { name: string; value: string }[] {
  const bit = (n: number) => String((v >>> n) & 1);
  const it = ((v >>> 25) & 3) | (((v >>> 10) & 0x3f) << 2);
  const state = (v & 0x20) ? ((v & 0x1000000) ? 'ThumbEE' : 'Thumb') : ((v & 0x1000000) ? 'Jazelle' : 'ARM');
  return [
    { name: 'N', value: bit(31) }, { name: 'Z', value: bit(30) }, { name: 'C', value: bit(29) }, { name: 'V', value: bit(28) },
    { name: 'Q', value: bit(27) }, { name: 'IT', value: '0x' + it.toString(16).padStart(2, '0') },
    { name: 'GE', value: '0b' + ((v >>> 16) & 15).toString(2).padStart(4, '0') },
    { name: 'E', value: (v & 0x200) ? '1 (big-endian data)' : '0 (little-endian data)' },
    { name: 'A', value: bit(8) + ((v & 0x100) ? ' (async aborts masked)' : '') },
    { name: 'I', value: bit(7) + ((v & 0x80) ? ' (IRQ masked)' : '') },
    { name: 'F', value: bit(6) + ((v & 0x40) ? ' (FIQ masked)' : '') },
    { name: 'T', value: bit(5) },
    { name: 'state', value: state },
    { name: 'mode', value: `${modeName(v)} (0x${(v & 0x1f).toString(16)})` },
  ];
}

export function coreRegisters(cpu: CpuApi): RegisterEntry[] {
  const out: RegisterEntry[] = CORE_NAMES.map((name, n) => ({
    name, bits: 32 as const, address: n >= 13 || undefined,
    get: () => cpu.getReg(n) >>> 0,
    set: (v: number | bigint) => cpu.setReg(n, Number(BigInt.asUintN(32, BigInt(v))) | 0),
  }));
  out.push({ name: 'cpsr', bits: 32, get: () => cpu.getCpsr() >>> 0, set: (v) => cpu.setCpsr(Number(BigInt.asUintN(32, BigInt(v)))), fields: () => psrFields(cpu.getCpsr() >>> 0) });
  const mode = cpu.getCpsr() & 0x1f;
  if (mode !== Mode.USR && mode !== Mode.SYS) {
    out.push({ name: 'spsr', bits: 32, get: () => cpu.getSpsr(mode) >>> 0, set: (v) => cpu.setSpsr(mode, Number(BigInt.asUintN(32, BigInt(v)))), fields: () => psrFields(cpu.getSpsr(mode) >>> 0) });
  }
  return out;
}

/** Banked registers of every mode: sp/lr (and r8–r12 for FIQ) and the SPSRs. */
export function bankedRegisters(cpu: CpuApi): { mode: string; regs: RegisterEntry[] }[] {
  const u32 = (v: number | bigint) => Number(BigInt.asUintN(32, BigInt(v)));
  const bank = (mode: number, name: string, regs: number[], spsr: boolean) => ({
    mode: name,
    regs: [
      ...regs.map((n) => ({ name: `${CORE_NAMES[n]}_${name}`, bits: 32 as const, address: n >= 13 || undefined, get: () => cpu.getBanked(mode, n) >>> 0, set: (v: number | bigint) => cpu.setBanked(mode, n, u32(v)) })),
      ...(spsr ? [{ name: `spsr_${name}`, bits: 32 as const, get: () => cpu.getSpsr(mode) >>> 0, set: (v: number | bigint) => cpu.setSpsr(mode, u32(v)), fields: () => psrFields(cpu.getSpsr(mode) >>> 0) }] : []),
    ],
  });
  return [
    bank(Mode.USR, 'usr', [13, 14], false),
    bank(Mode.SVC, 'svc', [13, 14], true),
    bank(Mode.ABT, 'abt', [13, 14], true),
    bank(Mode.UND, 'und', [13, 14], true),
    bank(Mode.IRQ, 'irq', [13, 14], true),
    bank(Mode.FIQ, 'fiq', [8, 9, 10, 11, 12, 13, 14], true),
  ];
}

interface Cp15Def { name: string; crn?: number; opc1: number; crm: number; opc2?: number; wide?: boolean; address?: boolean }

/** CP15 registers by (CRn, opc1, CRm, opc2); 64-bit ones by (opc1, CRm) for MRRC. */
const CP15: Cp15Def[] = [
  { name: 'MIDR', crn: 0, opc1: 0, crm: 0, opc2: 0 },
  { name: 'MPIDR', crn: 0, opc1: 0, crm: 0, opc2: 5 },
  { name: 'SCTLR', crn: 1, opc1: 0, crm: 0, opc2: 0 },
  { name: 'ACTLR', crn: 1, opc1: 0, crm: 0, opc2: 1 },
  { name: 'CPACR', crn: 1, opc1: 0, crm: 0, opc2: 2 },
  { name: 'TTBR0', crn: 2, opc1: 0, crm: 0, opc2: 0, address: true },
  { name: 'TTBR1', crn: 2, opc1: 0, crm: 0, opc2: 1, address: true },
  { name: 'TTBCR', crn: 2, opc1: 0, crm: 0, opc2: 2 },
  { name: 'TTBR0 (64-bit)', opc1: 0, crm: 2, wide: true },
  { name: 'TTBR1 (64-bit)', opc1: 1, crm: 2, wide: true },
  { name: 'DACR', crn: 3, opc1: 0, crm: 0, opc2: 0 },
  { name: 'DFSR', crn: 5, opc1: 0, crm: 0, opc2: 0 },
  { name: 'IFSR', crn: 5, opc1: 0, crm: 0, opc2: 1 },
  { name: 'DFAR', crn: 6, opc1: 0, crm: 0, opc2: 0, address: true },
  { name: 'IFAR', crn: 6, opc1: 0, crm: 0, opc2: 2, address: true },
  { name: 'PAR', crn: 7, opc1: 0, crm: 4, opc2: 0 },
  { name: 'MAIR0 (PRRR)', crn: 10, opc1: 0, crm: 2, opc2: 0 },
  { name: 'MAIR1 (NMRR)', crn: 10, opc1: 0, crm: 2, opc2: 1 },
  { name: 'VBAR', crn: 12, opc1: 0, crm: 0, opc2: 0, address: true },
  { name: 'CONTEXTIDR', crn: 13, opc1: 0, crm: 0, opc2: 1 },
  { name: 'TPIDRURW', crn: 13, opc1: 0, crm: 0, opc2: 2 },
  { name: 'TPIDRURO', crn: 13, opc1: 0, crm: 0, opc2: 3 },
  { name: 'TPIDRPRW', crn: 13, opc1: 0, crm: 0, opc2: 4 },
  { name: 'CNTFRQ', crn: 14, opc1: 0, crm: 0, opc2: 0 },
  { name: 'CNTKCTL', crn: 14, opc1: 0, crm: 1, opc2: 0 },
  { name: 'CNTP_CTL', crn: 14, opc1: 0, crm: 2, opc2: 1 },
  { name: 'CNTP_TVAL', crn: 14, opc1: 0, crm: 2, opc2: 0 },
  { name: 'CNTV_CTL', crn: 14, opc1: 0, crm: 3, opc2: 1 },
  { name: 'CNTV_TVAL', crn: 14, opc1: 0, crm: 3, opc2: 0 },
  { name: 'CNTPCT', opc1: 0, crm: 14, wide: true },
  { name: 'CNTVCT', opc1: 1, crm: 14, wide: true },
  { name: 'CNTP_CVAL', opc1: 2, crm: 14, wide: true },
  { name: 'CNTV_CVAL', opc1: 3, crm: 14, wide: true },
  { name: 'CNTVOFF', opc1: 4, crm: 14, wide: true },
];

export function cp15Registers(cpu: CpuApi): RegisterEntry[] {
  const out: RegisterEntry[] = [];
  for (const d of CP15) {
    const probe = () => {
      try {
        if (d.wide) { const [lo, hi] = cpu.cp15.read64(d.opc1, d.crm, true); return (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0); }
        return cpu.cp15.read(d.crn!, d.opc1, d.crm, d.opc2!, true) >>> 0;
      } catch (e) {
        if (e instanceof UndefinedInstruction) return undefined;
        throw e;
      }
    };
    if (probe() === undefined) continue; // not implemented by this core
    const write = (v: number | bigint) => {
      if (d.wide) { const b = BigInt.asUintN(64, BigInt(v)); cpu.cp15.write64(d.opc1, d.crm, Number(b & 0xffffffffn), Number(b >> 32n), true); }
      else cpu.cp15.write(d.crn!, d.opc1, d.crm, d.opc2!, Number(BigInt.asUintN(32, BigInt(v))), true);
    };
    out.push({
      name: d.name, bits: d.wide ? 64 : 32, address: d.address,
      get: () => probe() ?? 0,
      set: (v) => {
        try { write(v); } catch (e) {
          if (e instanceof UndefinedInstruction) throw new Error(`${d.name} is read-only`);
          throw e;
        }
      },
    });
  }
  return out;
}

/** D0–D31 (with their value as a double), FPSCR and FPEXC. */
export function vfpRegisters(cpu: CpuApi): RegisterEntry[] {
  const regs = cpu.vfp.regs;
  const f64 = new Float64Array(1), u32 = new Uint32Array(f64.buffer);
  const out: RegisterEntry[] = [];
  for (let d = 0; d < 32; d++) {
    out.push({
      name: `d${d}`, bits: 64,
      get: () => (BigInt(regs[2 * d + 1] >>> 0) << 32n) | BigInt(regs[2 * d] >>> 0),
      set: (v) => { const b = BigInt.asUintN(64, BigInt(v)); regs[2 * d] = Number(b & 0xffffffffn); regs[2 * d + 1] = Number(b >> 32n); },
      note: () => { u32[0] = regs[2 * d]; u32[1] = regs[2 * d + 1]; return String(f64[0]); },
    });
  }
  out.push({ name: 'fpscr', bits: 32, get: () => cpu.vfp.fpscr >>> 0, set: (v) => { cpu.vfp.fpscr = Number(BigInt.asUintN(32, BigInt(v))); } });
  out.push({ name: 'fpexc', bits: 32, get: () => cpu.vfp.fpexc >>> 0, set: (v) => { cpu.vfp.fpexc = Number(BigInt.asUintN(32, BigInt(v))); } });
  return out;
}

export function formatRegister(e: RegisterEntry): string {
  const v = e.get();
  const s = '0x' + v.toString(16).padStart(e.bits / 4, '0');
  const note = e.note?.();
  return note ? `${s} (${note})` : s;
}
