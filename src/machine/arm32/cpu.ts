// The AArch32 execution core: processor state with banked registers, the run loop with a decode cache
// per physical page, exception entry and return, the A32 instruction set and semihosting. T32 is decoded by
// thumb.ts into the same records; VFP instructions go to the VFP unit. Memory goes through the
// memory system's VirtualMemory, which throws MemoryAbort; UNDEFINED is thrown as UndefinedInstruction.
import type { Bus } from '../bus';
import {
  Mode, Access, MemoryAbort, UndefinedInstruction, ExceptionKind, StopReason, TrapResult,
  type CpuApi, type Cp15, type VfpUnit, type VirtualMemory, type WatchpointSupport, type SemihostingHost,
} from './contracts';
import { createMemorySystem } from './memory-system';
import { semihostingCall } from './semihosting';
import { K, mk, type D } from './decoded';
import { decodeT32, isT32Wide } from './thumb';
import { translateBlock } from './block-translator';
import { Cp14 } from './cp14';
import { Vfpv4Unit } from './vfp/unit';

/** Register bank index of a mode: r13/r14 (and r8–r12 for FIQ) are banked per index. */
const BANK: Record<number, number> = { 0x10: 0, 0x1f: 0, 0x11: 1, 0x12: 2, 0x13: 3, 0x17: 4, 0x1b: 5, 0x16: 6, 0x1a: 7 };

function bits(w: number, hi: number, lo: number): number {
  return (w >>> lo) & ((1 << (hi - lo + 1)) - 1);
}

function ror(v: number, n: number): number {
  n &= 31;
  return n === 0 ? v >>> 0 : ((v >>> n) | (v << (32 - n))) >>> 0;
}

// ---------------------------------------------------------------------------------------------
// Decoding (ARM ARM A5)

function decodeA32(w: number): D {
  const cond = w >>> 28;
  if (cond === 15) return decodeUnconditional(w);
  const op1 = bits(w, 27, 25);
  switch (op1) {
    case 0: case 1: return decodeDpMisc(w);
    case 2: return decodeLdrStr(w);
    case 3: return bits(w, 4, 4) ? decodeMedia(w) : decodeLdrStr(w);
    case 4: {
      const d = mk(bits(w, 20, 20) ? K.Ldm : K.Stm, w);
      d.a = bits(w, 19, 16); d.imm = bits(w, 15, 0);
      d.x = (bits(w, 24, 24) << 1) | bits(w, 23, 23); d.s = bits(w, 22, 22); d.y = bits(w, 21, 21);
      return d;
    }
    case 5: {
      const d = mk(bits(w, 24, 24) ? K.Bl : K.B, w);
      d.imm = (bits(w, 23, 0) << 8) >> 6;
      return d;
    }
    default: return decodeCoproc(w);
  }
}

function decodeDpMisc(w: number): D {
  const op = bits(w, 25, 25), op1 = bits(w, 24, 20), op2 = bits(w, 7, 4);
  if (!op) {
    if ((op1 & 0x19) !== 0x10 && (op2 & 1) === 0) return dp(w, K.DpReg);
    if ((op1 & 0x19) !== 0x10 && (op2 & 9) === 1) return dp(w, K.DpRegShift);
    if ((op1 & 0x19) === 0x10 && (op2 & 8) === 0) return decodeMisc(w);
    if ((op1 & 0x19) === 0x10 && (op2 & 9) === 8) {
      const d = mk(K.MulHalf, w);
      d.a = bits(w, 19, 16); d.b = bits(w, 15, 12); d.c = bits(w, 11, 8); d.d = bits(w, 3, 0);
      d.x = bits(w, 22, 21); d.y = bits(w, 6, 5);
      return d;
    }
    if ((op1 & 0x10) === 0 && op2 === 9) {
      const o = bits(w, 23, 21);
      const d = mk(o === 2 ? K.Umaal : o === 3 ? K.Mls : o >= 4 ? K.MulLong : K.Mul, w);
      d.a = bits(w, 19, 16); d.b = bits(w, 15, 12); d.c = bits(w, 11, 8); d.d = bits(w, 3, 0);
      d.s = bits(w, 20, 20); d.x = o;
      if ((o === 2 || o === 3) && d.s) return mk(K.Undef, w);
      return d;
    }
    if ((op1 & 0x10) === 0x10 && op2 === 9) {
      const o = bits(w, 23, 20);
      if ((o & 0xb) === 0) { const d = mk(K.Swp, w); d.a = bits(w, 19, 16); d.b = bits(w, 15, 12); d.c = bits(w, 3, 0); d.x = (o >> 2) & 1; return d; }
      if ((o & 8) === 0) return mk(K.Undef, w);
      const d = mk(o & 1 ? K.Ldrex : K.Strex, w);
      d.a = bits(w, 19, 16); d.b = bits(w, 15, 12); d.c = bits(w, 3, 0);
      d.x = [4, 8, 1, 2][(o >> 1) & 3]; // size: 0 word, 1 doubleword, 2 byte, 3 halfword
      d.d = (o & 1 ? d.b : d.c) + 1; // Rt2 of the doubleword forms
      return d;
    }
    if (op2 === 0xb || op2 === 0xd || op2 === 0xf) {
      const o = bits(w, 6, 5), l = bits(w, 20, 20);
      const immForm = bits(w, 22, 22);
      let k: K;
      if (o === 2 && !l) k = K.Ldrd;
      else if (o === 3 && !l) k = K.Strd;
      else k = immForm ? K.LdrhEtc : K.LdrhEtcReg;
      const d = mk(k, w);
      d.a = bits(w, 19, 16); d.b = bits(w, 15, 12); d.c = bits(w, 3, 0);
      d.imm = (bits(w, 11, 8) << 4) | bits(w, 3, 0);
      d.x = (bits(w, 24, 24) << 2) | (bits(w, 23, 23) << 1) | bits(w, 21, 21); // P U W
      d.y = (o << 1) | l; // 01/0: strh, 01/1: ldrh, 10/1: ldrsb, 11/1: ldrsh
      d.s = immForm;
      if (!immForm) d.imm = 0; // register offset, unshifted in A32
      d.d = d.b + 1; // Rt2 of LDRD/STRD
      if ((k === K.Ldrd || k === K.Strd) && ((d.b & 1) || d.b === 14)) return mk(K.Undef, w);
      return d;
    }
    return mk(K.Undef, w);
  }
  if ((op1 & 0x1b) === 0x10) {
    const d = mk(op1 & 4 ? K.Movt : K.Movw, w);
    d.b = bits(w, 15, 12); d.imm = (bits(w, 19, 16) << 12) | bits(w, 11, 0);
    return d;
  }
  if ((op1 & 0x1b) === 0x12) {
    const mask = bits(w, 19, 16);
    if (!bits(w, 22, 22) && mask === 0) { const d = mk(K.Hint, w); d.imm = bits(w, 7, 0); return d; }
    const d = mk(K.MsrImm, w);
    d.imm = ror(bits(w, 7, 0), bits(w, 11, 8) * 2); d.x = bits(w, 22, 22); d.y = mask;
    return d;
  }
  return dp(w, K.DpImm);
}

function dp(w: number, k: K): D {
  const d = mk(k, w);
  d.x = bits(w, 24, 21); d.s = bits(w, 20, 20); d.a = bits(w, 19, 16); d.b = bits(w, 15, 12);
  if (k === K.DpImm) {
    const rot = bits(w, 11, 8) * 2;
    d.imm = ror(bits(w, 7, 0), rot);
    d.y = rot === 0 ? -1 : d.imm >>> 31; // shifter carry: -1 means "unchanged"
  } else {
    d.c = bits(w, 3, 0); d.y = bits(w, 6, 5);
    if (k === K.DpReg) d.imm = bits(w, 11, 7); else d.d = bits(w, 11, 8);
  }
  // tst/teq/cmp/cmn without S are other instructions (handled before this); keep S set for them.
  return d;
}

function decodeMisc(w: number): D {
  const op = bits(w, 22, 21), op2 = bits(w, 6, 4);
  switch (op2) {
    case 0: {
      if (bits(w, 9, 9)) {
        const d = mk(op & 1 ? K.MsrBanked : K.MrsBanked, w);
        d.x = bits(w, 22, 22); d.y = (bits(w, 8, 8) << 4) | bits(w, 19, 16); d.b = bits(w, 15, 12); d.c = bits(w, 3, 0);
        return d;
      }
      if (op & 1) { const d = mk(K.MsrReg, w); d.x = op >> 1; d.y = bits(w, 19, 16); d.c = bits(w, 3, 0); return d; }
      const d = mk(K.Mrs, w); d.x = op >> 1; d.b = bits(w, 15, 12); return d;
    }
    case 1:
      if (op === 1) { const d = mk(K.Bx, w); d.c = bits(w, 3, 0); return d; }
      if (op === 3) { const d = mk(K.Clz, w); d.b = bits(w, 15, 12); d.c = bits(w, 3, 0); return d; }
      break;
    case 2: if (op === 1) { const d = mk(K.Bxj, w); d.c = bits(w, 3, 0); return d; } break;
    case 3: if (op === 1) { const d = mk(K.Blx, w); d.c = bits(w, 3, 0); return d; } break;
    case 5: { const d = mk(K.Qadd, w); d.x = op; d.a = bits(w, 19, 16); d.b = bits(w, 15, 12); d.c = bits(w, 3, 0); return d; }
    case 6: if (op === 3) return mk(K.Eret, w); break;
    case 7: {
      const d = mk(op === 1 ? K.Bkpt : op === 2 ? K.Hvc : op === 3 ? K.Smc : K.Undef, w);
      d.imm = op === 3 ? bits(w, 3, 0) : (bits(w, 19, 8) << 4) | bits(w, 3, 0);
      return d;
    }
  }
  return mk(K.Undef, w);
}

function decodeLdrStr(w: number): D {
  const reg = bits(w, 25, 25), l = bits(w, 20, 20);
  const d = mk(reg ? (l ? K.LdrReg : K.StrReg) : (l ? K.Ldr : K.Str), w);
  d.a = bits(w, 19, 16); d.b = bits(w, 15, 12);
  d.x = (bits(w, 24, 24) << 2) | (bits(w, 23, 23) << 1) | bits(w, 21, 21); // P U W
  d.s = bits(w, 22, 22); // byte
  if (reg) { d.c = bits(w, 3, 0); d.y = bits(w, 6, 5); d.imm = bits(w, 11, 7); } else d.imm = bits(w, 11, 0);
  return d;
}

function decodeMedia(w: number): D {
  const op1 = bits(w, 24, 20), op2 = bits(w, 7, 5);
  const rd = bits(w, 15, 12), rn = bits(w, 19, 16), rm = bits(w, 3, 0);
  if ((op1 & 0x18) === 0) {
    const d = mk(K.Parallel, w);
    d.x = op1 & 7; d.y = op2; d.a = rn; d.b = rd; d.c = rm;
    if (d.x === 0 || d.x === 4 || op2 === 5 || op2 === 6) return mk(K.Undef, w);
    return d;
  }
  if ((op1 & 0x18) === 0x08) {
    const o = op1 & 7;
    if (o === 0 && (op2 & 1) === 0) { const d = mk(K.Pkh, w); d.a = rn; d.b = rd; d.c = rm; d.x = bits(w, 6, 6); d.imm = bits(w, 11, 7); return d; }
    if ((o & 2) === 2 && (op2 & 1) === 0) { const d = mk(K.Sat, w); d.b = rd; d.c = rm; d.x = o >> 2; d.imm = bits(w, 20, 16); d.y = bits(w, 6, 6); d.s = bits(w, 11, 7); return d; }
    if ((o === 2 || o === 6) && op2 === 1) { const d = mk(K.Sat16, w); d.b = rd; d.c = rm; d.x = o >> 2; d.imm = bits(w, 19, 16); return d; }
    if (op2 === 3 && o !== 1 && o !== 5) { const d = mk(K.Extend, w); d.a = rn; d.b = rd; d.c = rm; d.x = o; d.imm = bits(w, 11, 10) * 8; return d; }
    if (o === 0 && op2 === 5) { const d = mk(K.Sel, w); d.a = rn; d.b = rd; d.c = rm; return d; }
    const map: Record<string, K> = { '3,1': K.Rev, '3,5': K.Rev16, '7,1': K.Rbit, '7,5': K.Revsh };
    const k = map[`${o},${op2}`];
    if (k !== undefined) { const d = mk(k, w); d.b = rd; d.c = rm; return d; }
    return mk(K.Undef, w);
  }
  if ((op1 & 0x18) === 0x10) {
    const o = op1 & 7;
    if (o === 1 || o === 3) {
      if (op2 !== 0) return mk(K.Undef, w);
      const d = mk(K.Div, w); d.a = bits(w, 19, 16); d.c = bits(w, 11, 8); d.d = bits(w, 3, 0); d.x = o === 1 ? 1 : 0; return d;
    }
    const d = mk(K.SignedMul, w);
    d.a = bits(w, 19, 16); d.b = bits(w, 15, 12); d.c = bits(w, 11, 8); d.d = bits(w, 3, 0); d.x = o; d.y = op2;
    const ok = (o === 0 && op2 < 4) || (o === 4 && op2 < 4) || (o === 5 && (op2 < 2 || op2 >= 6));
    return ok ? d : mk(K.Undef, w);
  }
  if (op1 === 0x18 && op2 === 0) { const d = mk(K.Usad8, w); d.a = bits(w, 19, 16); d.b = bits(w, 15, 12); d.c = bits(w, 11, 8); d.d = rm; return d; }
  if ((op1 & 0x1a) === 0x1a && (op2 & 3) === 2) { const d = mk(K.Bfx, w); d.b = rd; d.c = rm; d.x = (op1 >> 2) & 1; d.imm = bits(w, 11, 7); d.y = bits(w, 20, 16) + 1; return d; }
  if ((op1 & 0x1e) === 0x1c && (op2 & 3) === 0) { const d = mk(K.Bfi, w); d.b = rd; d.c = rm; d.imm = bits(w, 11, 7); d.y = bits(w, 20, 16); return d; }
  if (op1 === 0x1f && op2 === 7) return mk(K.Udf, w);
  return mk(K.Undef, w);
}

function decodeCoproc(w: number): D {
  const op1 = bits(w, 25, 20), coproc = bits(w, 11, 8);
  if ((op1 & 0x30) === 0x30) { const d = mk(K.Svc, w); d.imm = bits(w, 23, 0); return d; }
  if (coproc === 10 || coproc === 11) return mk(K.Vfp, w);
  if ((op1 & 0x3e) === 0x04) { const d = mk(op1 & 1 ? K.Mrrc : K.Mcrr, w); d.b = bits(w, 15, 12); d.a = bits(w, 19, 16); d.x = coproc; d.y = bits(w, 7, 4); d.c = bits(w, 3, 0); return d; }
  if ((op1 & 0x30) === 0x20 && bits(w, 4, 4)) {
    const d = mk(bits(w, 20, 20) ? K.Mrc : K.Mcr, w);
    d.x = coproc; d.y = bits(w, 23, 21); d.a = bits(w, 19, 16); d.b = bits(w, 15, 12); d.c = bits(w, 3, 0); d.d = bits(w, 7, 5);
    return d;
  }
  return mk(K.Coproc, w); // CDP / LDC / STC on other coprocessors: UNDEFINED on this CPU
}

function decodeUnconditional(w: number): D {
  const op1 = bits(w, 27, 20);
  if ((op1 & 0x80) === 0) {
    const o = bits(w, 26, 20), op2 = bits(w, 7, 4);
    if (o === 0x10 && (op2 & 2) === 0 && (bits(w, 16, 16)) === 0) {
      const d = mk(K.Cps, w); d.x = bits(w, 19, 18); d.y = bits(w, 17, 17); d.imm = bits(w, 4, 0); d.s = bits(w, 8, 6); return d;
    }
    if (o === 0x10 && op2 === 0 && bits(w, 16, 16) === 1) { const d = mk(K.Setend, w); d.x = bits(w, 9, 9); return d; }
    if (o === 0x57) {
      if (op2 === 1) return mk(K.Clrex, w);
      if (op2 >= 4 && op2 <= 6) return mk(K.Barrier, w);
      return mk(K.Undef, w);
    }
    const hi3 = bits(w, 26, 24);
    if (hi3 >= 4 && bits(w, 21, 20) === 1) {
      if (hi3 >= 6 && bits(w, 4, 4)) return mk(K.Undef, w);
      return mk(K.Pld, w);
    }
    return mk(K.Undef, w);
  }
  if ((op1 & 0xe5) === 0x84) { const d = mk(K.Srs, w); d.x = (bits(w, 24, 24) << 1) | bits(w, 23, 23); d.y = bits(w, 21, 21); d.imm = bits(w, 4, 0); return d; }
  if ((op1 & 0xe5) === 0x81) { const d = mk(K.Rfe, w); d.x = (bits(w, 24, 24) << 1) | bits(w, 23, 23); d.y = bits(w, 21, 21); d.a = bits(w, 19, 16); return d; }
  if ((op1 & 0xe0) === 0xa0) { const d = mk(K.BlxImm, w); d.imm = (((bits(w, 23, 0) << 8) >> 6) | (bits(w, 24, 24) << 1)); return d; }
  if ((op1 & 0xe0) === 0xc0 || (op1 & 0xf0) === 0xe0) {
    // MCR2/MRC2/… : UNDEFINED for every coprocessor this CPU has.
    return mk(K.Undef, w);
  }
  return mk(K.Undef, w);
}

// ---------------------------------------------------------------------------------------------

const PAGE_WORDS = 1024;

export interface Arm32CpuOptions {
  index: number;
  bus: Bus;
  mpidr: number;
  memory?: { cp15: Cp15; mem: VirtualMemory & WatchpointSupport; timer?: unknown };
  vfp?: VfpUnit;
  /** SEV's broadcast to the other CPUs (the executing CPU sets its own event register). */
  onSev?: () => void;
}

export class Arm32Cpu implements CpuApi {
  readonly index: number;
  readonly bus: Bus;
  readonly mem: VirtualMemory & WatchpointSupport;
  readonly cp15: Cp15;
  /** Debug, ThumbEE and Jazelle registers (cp14.ts). */
  readonly cp14 = new Cp14();
  vfp: VfpUnit;
  icount = 0;
  timeBase = 0;

  /** r0–r15 of the current mode; r[15] is the address of the next instruction to execute. */
  readonly r = new Int32Array(16);
  private readonly usrHigh = new Int32Array(7); // r8–r14 of USR/SYS
  private readonly fiqHigh = new Int32Array(7); // r8–r14 of FIQ
  private readonly bankSp = new Int32Array(8);
  private readonly bankLr = new Int32Array(8);
  private readonly spsrs = new Int32Array(8);
  mode: number = Mode.SVC;
  n = 0; z = 0; c = 0; v = 0; q = 0; ge = 0;
  thumb = 0;
  it = 0;
  /** E, A, I, F and J bits of the CPSR. */
  private psrMisc = 0;

  /** Address of the instruction being executed (for PC reads, aborts and LR computation). */
  cur = 0;

  onHvc: CpuApi['onHvc'] = null;
  onSmc: CpuApi['onSmc'] = null;
  semihosting: SemihostingHost | null = null;
  onException: CpuApi['onException'] = null;
  singleStep = false;

  private irqLine = false;
  private fiqLine = false;
  private eventReg = false;
  private readonly onSev: (() => void) | null;
  private waiting = 0; // 0 running, 1 WFI, 2 WFE
  private stopRequested = false;
  private watchHit = false;
  private readonly breakpoints = new Set<number>();
  /** Set after a stop at a breakpoint so that resuming executes the instruction there. */
  private skipBreakpoint = -1;
  private exceptionStopDone = -1;
  /** Local exclusive monitor: the physical address it holds, or -1. */
  private exclusive = -1;
  /** Value read by the last LDREX: QEMU's monitor fails a STREX when memory no longer holds it. */
  private exclusiveValue = 0;
  private exclusiveHigh = 0;

  // Decode cache: physical page number → decoded instructions of that page.
  private readonly pages = new Map<number, (D | undefined)[]>();
  private fetchGen = -1;
  private fetchVpage = -1;
  private fetchPpage = -1;
  private fetchUser = -1;
  private fetchCache: (D | undefined)[] | null = null;

  constructor(o: Arm32CpuOptions) {
    this.index = o.index;
    this.bus = o.bus;
    this.onSev = o.onSev ?? null;
    const ms = o.memory ?? createMemorySystem(o.bus, { mpidr: o.mpidr, counter: () => this.timeBase + this.icount });
    this.cp15 = ms.cp15;
    const self = this;
    this.mem = ms.mem;
    this.vfp = o.vfp ?? new Vfpv4Unit({
      getReg: (n) => (n === 15 ? (this.cur + (this.thumb ? 4 : 8)) >>> 0 : this.r[n] >>> 0),
      setReg: (n, v) => { this.r[n] = v | 0; },
      setNzcv: (v) => this.setNzcv(v),
      get privileged() { return self.mode !== Mode.USR; },
      mem: this.mem, cp15: this.cp15,
    });
    const prev = o.bus.onCodeWrite;
    o.bus.onCodeWrite = (page, offset, length) => {
      this.codeWritten(page, offset, length);
      prev?.(page, offset, length);
    };
    this.mem.onWatch = () => { this.watchHit = true; this.att = true; };
    this.reset(0);
  }

  /** This vCPU's bit in the bus's code-page holder masks. */
  private get holder(): number { return 1 << (this.index & 7); }
  /** Code writes seen per physical page since it was decoded: a page written often is data now. */
  private readonly codeWrites = new Map<number, number>();

  /**
   * A write hit a page this or another vCPU decoded: drop the decoded instructions (and translated blocks)
   * the written bytes overlap. A page written many times is dropped whole and released, so it gets its
   * fast write path back.
   */
  private codeWritten(page: number, offset: number, length: number): void {
    const arm = this.pages.get(page), thumb = this.thumbPages.get(page);
    if (page - 1 >= 0 && offset < 2) {
      // A 32-bit Thumb instruction at the end of the previous page has its second halfword here.
      const before = this.thumbPages.get(page - 1);
      if (before) before[2047] = undefined;
    }
    if (!arm && !thumb) return;
    this.att = true; // the block running may have just rewritten itself
    const n = (this.codeWrites.get(page) ?? 0) + 1;
    if (n > 64) {
      this.pages.delete(page);
      this.thumbPages.delete(page);
      this.codeWrites.delete(page);
      if (page === this.fetchPpage) this.fetchGen = -1;
      this.bus.releaseCode(page, this.holder);
      return;
    }
    this.codeWrites.set(page, n);
    const end = offset + Math.max(1, length) - 1;
    if (arm) {
      const first = offset >>> 2, last = end >>> 2;
      for (let i = first; i <= last; i++) arm[i] = undefined;
      // Blocks starting before the write that extend over it.
      for (let j = first - 1; j >= 0 && j >= first - 64; j--) {
        const d = arm[j];
        if (d !== undefined && d.blk !== null && j + d.blkLen > first) { d.blk = null; d.blkPc = -1; }
      }
    }
    if (thumb) {
      const first = Math.max(0, (offset >>> 1) - 1), last = end >>> 1;
      for (let i = first; i <= last; i++) thumb[i] = undefined;
      // Blocks starting before the write that may extend over it (at most two halfwords an instruction).
      for (let j = first - 1; j >= 0 && j >= first - 128; j--) {
        const d = thumb[j];
        if (d !== undefined && d.blk !== null && j + 2 * d.blkLen > first) { d.blk = null; d.blkPc = -1; }
      }
    }
  }

  // ---- state access ------------------------------------------------------------------------

  get privileged(): boolean { return this.mode !== Mode.USR; }

  getReg(n: number): number { return this.r[n] >>> 0; }
  setReg(n: number, value: number): void { this.r[n] = value | 0; }

  getCpsr(): number {
    return ((this.n << 31) | (this.z << 30) | (this.c << 29) | (this.v << 28) | (this.q << 27) | ((this.it & 3) << 25)
      | (this.ge << 16) | ((this.it >> 2) << 10) | this.psrMisc | (this.thumb << 5) | this.mode) >>> 0;
  }

  setCpsr(value: number): void {
    this.setFlags(value);
    this.psrMisc = value & 0x3c0 | (value & (1 << 24));
    this.thumb = (value >>> 5) & 1;
    this.it = ((value >>> 25) & 3) | (((value >>> 10) & 0x3f) << 2);
    this.switchMode(value & 0x1f);
  }

  private setFlags(value: number): void {
    this.n = (value >>> 31) & 1; this.z = (value >>> 30) & 1; this.c = (value >>> 29) & 1; this.v = (value >>> 28) & 1;
    this.q = (value >>> 27) & 1; this.ge = (value >>> 16) & 15;
  }

  setNzcv(value: number): void {
    this.n = (value >>> 31) & 1; this.z = (value >>> 30) & 1; this.c = (value >>> 29) & 1; this.v = (value >>> 28) & 1;
  }

  /** Switches the visible registers to another mode's bank. */
  private switchMode(newMode: number): void {
    if (BANK[newMode] === undefined) return; // reserved mode values: ignored
    const old = this.mode;
    if (old === newMode) return;
    const ob = BANK[old], nb = BANK[newMode];
    // Save the outgoing bank.
    if (old === Mode.FIQ) { for (let i = 0; i < 5; i++) this.fiqHigh[i] = this.r[8 + i]; }
    else { for (let i = 0; i < 5; i++) this.usrHigh[i] = this.r[8 + i]; }
    this.bankSp[ob] = this.r[13]; this.bankLr[ob] = this.r[14];
    // Load the incoming one.
    if (newMode === Mode.FIQ) { for (let i = 0; i < 5; i++) this.r[8 + i] = this.fiqHigh[i]; }
    else { for (let i = 0; i < 5; i++) this.r[8 + i] = this.usrHigh[i]; }
    this.r[13] = this.bankSp[nb]; this.r[14] = this.bankLr[nb];
    this.mode = newMode;
  }

  getBanked(mode: number, n: number): number {
    if (mode === this.mode || (BANK[mode] === BANK[this.mode] && n >= 13) || (n < 8) || (n < 13 && (mode === Mode.FIQ) === (this.mode === Mode.FIQ))) return this.r[n] >>> 0;
    if (n < 13) return (mode === Mode.FIQ ? this.fiqHigh[n - 8] : this.usrHigh[n - 8]) >>> 0;
    if (n === 15) return this.r[15] >>> 0;
    return (n === 13 ? this.bankSp[BANK[mode]] : this.bankLr[BANK[mode]]) >>> 0;
  }

  setBanked(mode: number, n: number, value: number): void {
    if (mode === this.mode || (BANK[mode] === BANK[this.mode] && n >= 13) || (n < 8) || (n < 13 && (mode === Mode.FIQ) === (this.mode === Mode.FIQ)) || n === 15) { this.r[n] = value | 0; return; }
    if (n < 13) { (mode === Mode.FIQ ? this.fiqHigh : this.usrHigh)[n - 8] = value | 0; return; }
    (n === 13 ? this.bankSp : this.bankLr)[BANK[mode]] = value | 0;
  }

  getSpsr(mode: number): number { return this.spsrs[BANK[mode] ?? 0] >>> 0; }
  setSpsr(mode: number, value: number): void { this.spsrs[BANK[mode] ?? 0] = value | 0; }

  // ---- control -------------------------------------------------------------------------------

  setIrqLine(level: boolean): void { this.irqLine = level; if (level) this.att = true; }
  setFiqLine(level: boolean): void { this.fiqLine = level; if (level) this.att = true; }
  signalEvent(): void { this.eventReg = true; }
  get idle(): boolean { return this.waiting !== 0 && !this.wakeable(); }
  requestStop(): void { this.stopRequested = true; this.att = true; }
  addBreakpoint(va: number): void {
    va >>>= 0;
    if (this.breakpoints.has(va)) return;
    this.breakpoints.add(va);
    this.bpFilter[(va >>> 1) & 0xffff]++;
    this.dropBlocksOver(va);
  }
  removeBreakpoint(va: number): void {
    va >>>= 0;
    // Blocks that end before it stay valid (only shorter than they could be).
    if (this.breakpoints.delete(va)) this.bpFilter[(va >>> 1) & 0xffff]--;
  }

  /**
   * Breakpoints counted by the low bits of their address: the run loop looks one up at every block
   * and instruction, so a typed-array load rules most addresses out before the Set lookup does.
   */
  private readonly bpFilter = new Uint16Array(0x10000);

  /**
   * Translated blocks never contain a breakpoint address past their first instruction (translate()
   * ends them before one), so a new breakpoint drops the blocks that extend over it, wherever its
   * page is mapped now; when it is not mapped, every block (a rare case: a breakpoint set before
   * the MMU maps its page).
   */
  private dropBlocksOver(va: number): void {
    const pa = this.mem.probe(va, Access.Fetch, this.mode === Mode.USR);
    const drop = (page: (D | undefined)[] | undefined, first: number, per: number) => {
      if (!page) return;
      for (let j = first; j >= 0 && j >= first - 64 * per; j--) {
        const d = page[j];
        if (d !== undefined && d.blk !== null && j + per * d.blkLen > first) { d.blk = null; d.blkPc = -1; }
      }
    };
    if (pa >= 0) {
      const ppage = Math.floor(pa / 4096), offset = pa & 0xfff;
      drop(this.pages.get(ppage), offset >>> 2, 1);
      drop(this.thumbPages.get(ppage), offset >>> 1, 2);
      return;
    }
    for (const page of this.pages.values()) for (const d of page) if (d !== undefined) { d.blk = null; d.blkPc = -1; }
    for (const page of this.thumbPages.values()) for (const d of page) if (d !== undefined) { d.blk = null; d.blkPc = -1; }
  }

  reset(entry: number): void {
    this.r.fill(0);
    this.usrHigh.fill(0); this.fiqHigh.fill(0); this.bankSp.fill(0); this.bankLr.fill(0); this.spsrs.fill(0);
    this.mode = Mode.SVC;
    this.n = this.c = this.v = this.q = this.ge = 0;
    // QEMU (and Xen's dom0 builder) start with Z set: CPSR 0x400001d3.
    this.z = 1;
    this.it = 0;
    this.psrMisc = 0x1c0; // A, I, F masked
    this.thumb = entry & 1;
    this.r[15] = entry & ~1;
    this.waiting = 0;
    this.exclusive = -1;
  }

  private wakeable(): boolean {
    if (this.waiting === 2 && this.eventReg) return true;
    // WFI wakes on a pending interrupt even when masked.
    return this.irqLine || this.fiqLine;
  }

  // ---- the run loop ----------------------------------------------------------------------------

  /**
   * Set when something needs the run loop between instructions: an interrupt line rose, a stop was
   * requested, a watchpoint hit, code was written. Translated blocks check it after each memory access.
   */
  att = false;
  /** Block translation on/off (XENARM_NO_JIT=1 turns it off, to compare against pure interpretation). */
  jit = typeof process === 'undefined' || !process.env?.XENARM_NO_JIT;
  /** Blocks translated so far (for tests and benchmarks). */
  translations = 0;
  /** Executions of a block start before it is translated (cold code stays interpreted). */
  private static readonly HOT = Number((typeof process !== 'undefined' && process.env?.XENARM_JIT_HOT) || 8);

  run(budget: number): StopReason {
    this.stopRequested = false;
    let done = 0;
    const r = this.r;
    while (done < budget) {
      if (this.stopRequested) { this.stopRequested = false; return StopReason.Requested; }
      if (this.waiting) {
        if (!this.wakeable()) return StopReason.Idle;
        if (this.waiting === 2) this.eventReg = false;
        this.waiting = 0;
      }
      if (this.fiqLine && !(this.psrMisc & 0x40)) { if (this.enterException(ExceptionKind.Fiq)) return StopReason.Exception; continue; }
      if (this.irqLine && !(this.psrMisc & 0x80)) { if (this.enterException(ExceptionKind.Irq)) return StopReason.Exception; continue; }
      const pc = r[15] >>> 0;
      if (this.bpFilter[(pc >>> 1) & 0xffff] !== 0 && this.breakpoints.has(pc)) {
        if (this.skipBreakpoint !== pc) { this.skipBreakpoint = pc; return StopReason.Breakpoint; }
      }
      this.skipBreakpoint = -1;
      this.cur = pc;
      if ((this.thumb === 0 || this.it === 0) && this.jit && !this.singleStep) {
        // Translated blocks: a block runs whole when the budget covers it.
        let d: D | null = null;
        try { d = this.thumb ? this.fetchThumb(pc) : this.fetch(pc); } catch { d = null; } // a failing fetch is left to the interpreter below
        if (d !== null) {
          if (d.blk === null || d.blkPc !== pc) {
            if (++d.hot >= Arm32Cpu.HOT) this.translate(d, pc);
          }
          const blk = d.blkPc === pc ? d.blk : null;
          if (blk !== null && d.blkLen <= budget - done) {
            this.att = false;
            let ran: number;
            try {
              ran = blk(this, r, this.mem, this.mode === Mode.USR);
            } catch (e) {
              ran = this.jn;
              this.icount += ran; done += ran;
              if (!this.handleFault(e)) throw e;
              if (this.exceptionStopped) { this.exceptionStopped = false; return StopReason.Exception; }
              const why = this.afterInstruction();
              if (why >= 0) return why as StopReason;
              continue;
            }
            this.icount += ran; done += ran;
            const why = this.afterInstruction();
            if (why >= 0) return why as StopReason;
            continue;
          }
        }
      }
      try {
        if (this.thumb) {
          const d = this.fetchThumb(pc);
          r[15] = (pc + d.size) | 0;
          this.thumbWide = d.size === 4;
          const it = this.it;
          this.itBefore = it;
          if (it & 0xf) {
            // Inside an IT block the block's condition applies; ITSTATE advances after each instruction.
            const pass = this.condPassed((it >>> 4) & 0xf);
            this.it = (it & 7) === 0 ? 0 : (it & 0xe0) | ((it << 1) & 0x1f);
            if (pass) this.exec(d);
          } else if (d.cond === 14 || this.condPassed(d.cond)) this.exec(d);
        } else {
          const d = this.fetch(pc);
          r[15] = (pc + 4) | 0;
          if (d.cond === 14 || this.condPassed(d.cond)) this.exec(d);
        }
      } catch (e) {
        if (!this.handleFault(e)) throw e;
        if (this.exceptionStopped) { this.exceptionStopped = false; return StopReason.Exception; }
        if (this.trapStop) { this.trapStop = false; return StopReason.Requested; }
        if (this.halted) return StopReason.Halted;
        // A failed instruction fetch executed nothing: it does not count, and the step goes on at the vector.
        // Except when the failing fetch was the prefetch-abort vector itself: that loop never retires
        // an instruction, so each turn counts, or run() (and the board's round) would never end.
        if (e instanceof MemoryAbort && e.prefetch && !this.bkptAbort && pc !== this.vectorAddress(ExceptionKind.PrefetchAbort)) continue;
        this.bkptAbort = false;
      }
      // Every instruction attempt counts, those that raise a synchronous exception included (as in
      // QEMU's instruction trace); interrupt entry does not.
      this.icount++;
      done++;
      const why = this.afterInstruction();
      if (why >= 0) return why as StopReason;
    }
    return StopReason.Budget;
  }

  /** What the run loop does at an instruction boundary after retiring: -1 to go on, else why to stop. */
  private afterInstruction(): StopReason | -1 {
    // Interrupts pending after this instruction are taken now, so that a step ends at the vector.
    if ((this.fiqLine && !(this.psrMisc & 0x40)) || (this.irqLine && !(this.psrMisc & 0x80))) {
      if (this.enterException(this.fiqLine && !(this.psrMisc & 0x40) ? ExceptionKind.Fiq : ExceptionKind.Irq)) return StopReason.Exception;
    }
    if (this.trapStop) { this.trapStop = false; return StopReason.Requested; }
    if (this.watchHit) { this.watchHit = false; return StopReason.Watchpoint; }
    if (this.halted) return StopReason.Halted;
    if (this.exceptionStopped) { this.exceptionStopped = false; return StopReason.Exception; }
    if (this.singleStep) { this.prefetchCheck(); return StopReason.Step; }
    return -1;
  }

  /** Translates the block starting at d (pc is its virtual address); all its instructions are on pc's page. */
  private translate(d: D, pc: number): void {
    const user = this.mode === Mode.USR;
    let t: ReturnType<typeof translateBlock>;
    if (this.thumb) {
      t = translateBlock(pc, true, (addr) => {
        if (addr !== pc && this.breakpoints.has(addr)) return undefined; // the block ends before a breakpoint
        if ((addr & 0xfff) > 0xffc) return undefined; // a 32-bit instruction could cross the page
        try { return this.fetchThumb(addr); } catch { return undefined; }
      });
    } else {
      const page = this.fetchCache!;
      t = translateBlock(pc, false, (addr) => {
        if (addr !== pc && this.breakpoints.has(addr)) return undefined; // the block ends before a breakpoint
        const idx = (addr >>> 2) & (PAGE_WORDS - 1);
        let e = page[idx];
        if (e === undefined) {
          try { e = decodeA32(this.mem.fetch32(addr, user)); } catch { return undefined; }
          page[idx] = e;
        }
        return e;
      });
    }
    if (t === null) { d.hot = -1_000_000; return; } // never translatable: stop counting
    d.blk = t.fn; d.blkPc = pc; d.blkLen = t.length; d.hot = 0;
    this.translations++;
  }

  /**
   * When single-stepping, a fetch that will fault is taken as a prefetch abort now, so the step
   * ends at the abort vector (as QEMU's trace and a debugger show it).
   */
  private prefetchCheck(): void {
    const pc = this.r[15] >>> 0, user = this.mode === Mode.USR;
    if (this.waiting) return;
    try {
      const pa = this.mem.translate(pc, Access.Fetch, user);
      // Nothing at that physical address: the fetch itself raises the external abort.
      if (!this.bus.ramAt(pa) && !this.bus.mmioAt(pa)) this.mem.fetch16(pc, user);
    } catch (e) {
      this.cur = pc;
      this.handleFault(e);
    }
  }

  /** BKPT raises its prefetch abort as an executed instruction. */
  private bkptAbort = false;

  /** Set by semihosting exit: the run is over. */
  halted = false;
  private exceptionStopped = false;
  private trapStop = false;

  private fetch(pc: number): D {
    const user = this.mode === Mode.USR ? 1 : 0;
    const vpage = pc >>> 12;
    if (vpage !== this.fetchVpage || this.fetchGen !== this.mem.generation || user !== this.fetchUser || !this.fetchCache) {
      const pa = this.mem.translate(pc, Access.Fetch, user === 1);
      const ppage = Math.floor(pa / 4096);
      let page = this.pages.get(ppage);
      if (!page) {
        page = new Array(PAGE_WORDS);
        this.pages.set(ppage, page);
        this.bus.markCode(ppage * 4096, this.holder);
      }
      this.fetchVpage = vpage; this.fetchPpage = ppage; this.fetchGen = this.mem.generation; this.fetchUser = user; this.fetchCache = page;
    }
    const idx = (pc >>> 2) & (PAGE_WORDS - 1);
    let d = this.fetchCache[idx];
    if (d === undefined) {
      d = decodeA32(this.mem.fetch32(pc, user === 1));
      this.fetchCache[idx] = d;
    }
    return d;
  }

  /** Thumb fetch and decode through the same per-page cache (one slot per halfword). */
  private readonly thumbPages = new Map<number, (D | undefined)[]>();
  private fetchThumb(pc: number): D {
    const user = this.mode === Mode.USR;
    const pa = this.mem.translate(pc, Access.Fetch, user);
    const ppage = Math.floor(pa / 4096);
    let page = this.thumbPages.get(ppage);
    if (!page) {
      page = new Array(2048);
      this.thumbPages.set(ppage, page);
      this.bus.markCode(ppage * 4096, this.holder);
    }
    const idx = (pc >>> 1) & 2047;
    let d = page[idx];
    if (d === undefined) {
      const hw1 = this.mem.fetch16(pc, user);
      let hw2 = 0;
      if (isT32Wide(hw1)) {
        hw2 = this.mem.fetch16((pc + 2) >>> 0, user);
        this.bus.markCode(this.mem.translate((pc + 2) >>> 0, Access.Fetch, user), this.holder);
      }
      d = decodeT32(hw1, hw2);
      page[idx] = d;
    }
    return d;
  }

  condPassed(cond: number): boolean {
    switch (cond) {
      case 0: return this.z === 1;
      case 1: return this.z === 0;
      case 2: return this.c === 1;
      case 3: return this.c === 0;
      case 4: return this.n === 1;
      case 5: return this.n === 0;
      case 6: return this.v === 1;
      case 7: return this.v === 0;
      case 8: return this.c === 1 && this.z === 0;
      case 9: return this.c === 0 || this.z === 1;
      case 10: return this.n === this.v;
      case 11: return this.n !== this.v;
      case 12: return this.z === 0 && this.n === this.v;
      case 13: return this.z === 1 || this.n !== this.v;
      default: return true;
    }
  }

  // ---- exceptions ------------------------------------------------------------------------------

  /** Turns a thrown abort/undefined into the exception; returns false for anything else (a bug). */
  private handleFault(e: unknown): boolean {
    if (e instanceof MemoryAbort) {
      if (e.prefetch) { this.cp15.ifsr = e.fsr; this.cp15.ifar = e.far >>> 0; this.takeException(ExceptionKind.PrefetchAbort); }
      else { this.cp15.dfsr = e.fsr; this.cp15.dfar = e.far >>> 0; this.takeException(ExceptionKind.DataAbort); }
      return true;
    }
    if (e instanceof UndefinedInstruction) { this.takeException(ExceptionKind.Undefined); return true; }
    return false;
  }

  /** Takes an exception raised by the instruction at `cur`. */
  takeException(kind: ExceptionKind): void {
    if (this.onException && this.exceptionStopDone !== this.cur && this.onException(this, kind)) {
      // Stop before taking it; resuming re-executes the instruction and then takes it.
      this.exceptionStopDone = this.cur;
      this.r[15] = this.cur;
      this.exceptionStopped = true;
      return;
    }
    this.exceptionStopDone = -1;
    const t = this.thumb;
    let lr: number;
    switch (kind) {
      case ExceptionKind.Undefined: lr = this.cur + (t ? 2 : 4); break;
      case ExceptionKind.Svc: lr = this.cur + (t ? 2 : 4); break;
      case ExceptionKind.PrefetchAbort: lr = this.cur + 4; break;
      case ExceptionKind.DataAbort: lr = this.cur + 8; break;
      default: lr = this.cur + 4;
    }
    this.enter(kind, lr);
  }

  /** Width of the Thumb instruction being executed (set by the T32 unit). */
  thumbWide = false;

  /** IRQ/FIQ at an instruction boundary: the preferred return is the next instruction. */
  private enterException(kind: ExceptionKind): boolean {
    const pc = this.r[15] >>> 0;
    if (this.onException && this.exceptionStopDone !== pc && this.onException(this, kind)) {
      this.exceptionStopDone = pc;
      return true;
    }
    this.exceptionStopDone = -1;
    this.cur = pc;
    this.enter(kind, pc + 4);
    return false;
  }

  private enter(kind: ExceptionKind, lr: number): void {
    const modes = [Mode.SVC, Mode.UND, Mode.SVC, Mode.ABT, Mode.ABT, Mode.SVC, Mode.IRQ, Mode.FIQ];
    const target = modes[kind];
    const spsr = this.getCpsr();
    this.switchMode(target);
    this.spsrs[BANK[target]] = spsr | 0;
    this.r[14] = lr | 0;
    const sctlr = this.cp15.sctlr;
    // Mask: I always; F for reset/FIQ; A for all but undefined/SVC (ARMv7 with no security extension view).
    let misc = this.psrMisc | 0x80;
    if (kind === ExceptionKind.Fiq || kind === ExceptionKind.Reset) misc |= 0x40;
    if (kind !== ExceptionKind.Undefined && kind !== ExceptionKind.Svc) misc |= 0x100;
    // E from SCTLR.EE
    misc = (misc & ~0x200) | ((sctlr >>> 25) & 1) << 9;
    this.psrMisc = misc;
    this.thumb = (sctlr >>> 30) & 1; // SCTLR.TE
    this.it = 0;
    const base = sctlr & (1 << 13) ? 0xffff0000 : this.cp15.vbar & ~31;
    this.r[15] = (base + kind * 4) | 0;
  }

  /** Address of an exception's vector: SCTLR.V selects the high vectors, else VBAR. */
  private vectorAddress(kind: ExceptionKind): number {
    const base = this.cp15.sctlr & (1 << 13) ? 0xffff0000 : this.cp15.vbar & ~31;
    return (base + kind * 4) >>> 0;
  }

  /** Exception return: CPSR ← SPSR of the current mode, pc ← address (with interworking per the SPSR). */
  private exceptionReturn(address: number): void {
    const spsr = this.spsrs[BANK[this.mode]] >>> 0;
    this.setCpsr(spsr);
    this.r[15] = (this.thumb ? address & ~1 : address & ~3) | 0;
    this.exclusive = -1;
  }

  // ---- helpers used by the instruction units ----------------------------------------------------

  /** Register value as an operand: r15 reads as the instruction's address + 8 (ARM) or + 4 (Thumb). */
  reg(n: number): number {
    return n === 15 ? (this.cur + (this.thumb ? 4 : 8)) | 0 : this.r[n];
  }

  /** Writes a register; a write to pc branches (no interworking). */
  branchWritePc(addr: number): void {
    this.r[15] = (this.thumb ? addr & ~1 : addr & ~3) | 0;
  }

  /** BX-style write: bit 0 selects the state. */
  bxWritePc(addr: number): void {
    if (addr & 1) { this.thumb = 1; this.r[15] = (addr & ~1) | 0; }
    else { this.thumb = 0; this.r[15] = (addr & ~3) | 0; }
  }

  /** ALUWritePC / LoadWritePC in ARM state interwork (ARMv7). */
  writeReg(n: number, value: number): void {
    if (n === 15) this.bxWritePc(value);
    else this.r[n] = value;
  }

  private get user(): boolean { return this.mode === Mode.USR; }

  /** Carry out of the last shiftC (kept in a field so the hot path allocates nothing). */
  shc = 0;

  /** Shifter operand: returns the value, leaves the carry out in `shc`. */
  shiftC(value: number, type: number, amount: number, regShift: boolean): number {
    value >>>= 0;
    if (regShift) {
      amount &= 0xff;
      if (amount === 0) { this.shc = this.c; return value; }
      switch (type) {
        case 0:
          if (amount < 32) { this.shc = (value >>> (32 - amount)) & 1; return (value << amount) >>> 0; }
          this.shc = amount === 32 ? value & 1 : 0; return 0;
        case 1:
          if (amount < 32) { this.shc = (value >>> (amount - 1)) & 1; return value >>> amount; }
          this.shc = amount === 32 ? value >>> 31 : 0; return 0;
        case 2:
          if (amount < 32) { this.shc = (value >>> (amount - 1)) & 1; return (value >> amount) >>> 0; }
          this.shc = value >>> 31; return (value >> 31) >>> 0;
        default: {
          const a = amount & 31;
          if (a === 0) { this.shc = value >>> 31; return value; }
          this.shc = (value >>> (a - 1)) & 1; return ror(value, a);
        }
      }
    }
    switch (type) {
      case 0:
        if (amount === 0) { this.shc = this.c; return value; }
        this.shc = (value >>> (32 - amount)) & 1; return (value << amount) >>> 0;
      case 1:
        if (amount === 0) { this.shc = value >>> 31; return 0; }
        this.shc = (value >>> (amount - 1)) & 1; return value >>> amount;
      case 2:
        if (amount === 0) { this.shc = value >>> 31; return (value >> 31) >>> 0; }
        this.shc = (value >>> (amount - 1)) & 1; return (value >> amount) >>> 0;
      default:
        if (amount === 0) { this.shc = value & 1; return ((this.c << 31) | (value >>> 1)) >>> 0; }
        this.shc = (value >>> (amount - 1)) & 1; return ror(value, amount);
    }
  }

  /** Shift without carry (address offsets, extends). */
  private shiftValue(value: number, type: number, amount: number): number {
    value >>>= 0;
    switch (type) {
      case 0: return (value << amount) >>> 0;
      case 1: return amount === 0 ? 0 : value >>> amount;
      case 2: return amount === 0 ? (value >> 31) >>> 0 : (value >> amount) >>> 0;
      default: return amount === 0 ? ((this.c << 31) | (value >>> 1)) >>> 0 : ror(value, amount);
    }
  }

  /** Data processing with flags, shared with T32. `sc` is the shifter carry (or -1 to keep C). */
  dataProc(op: number, s: number, rd: number, a: number, b: number, sc: number): void {
    a >>>= 0; b >>>= 0;
    let res = 0, carry = this.c, overflow = this.v, arith = false;
    switch (op) {
      case 0: case 8: res = a & b; break;
      case 1: case 9: res = a ^ b; break;
      case 2: case 10: res = a - b; carry = a >= b ? 1 : 0; overflow = (((a ^ b) & (a ^ res)) >>> 31) & 1; arith = true; break;
      case 3: res = b - a; carry = b >= a ? 1 : 0; overflow = (((b ^ a) & (b ^ res)) >>> 31) & 1; arith = true; break;
      case 4: case 11: { const t = a + b; res = t; carry = t > 0xffffffff ? 1 : 0; overflow = ((~(a ^ b) & (a ^ t)) >>> 31) & 1; arith = true; break; }
      case 5: { const t = a + b + this.c; res = t; carry = t > 0xffffffff ? 1 : 0; overflow = ((~(a ^ b) & (a ^ t)) >>> 31) & 1; arith = true; break; }
      case 6: { const t = a - b - (1 - this.c); res = t; carry = a >= b + (1 - this.c) ? 1 : 0; overflow = (((a ^ b) & (a ^ t)) >>> 31) & 1; arith = true; break; }
      case 7: { const t = b - a - (1 - this.c); res = t; carry = b >= a + (1 - this.c) ? 1 : 0; overflow = (((b ^ a) & (b ^ t)) >>> 31) & 1; arith = true; break; }
      case 12: res = a | b; break;
      case 13: res = b; break;
      case 14: res = a & ~b; break;
      case 16: res = a | ~b; break; // ORN (Thumb)
      default: res = ~b; break;
    }
    res |= 0;
    if (op < 8 || op > 11) {
      if (rd === 15 && op !== 16) {
        if (s) {
          // SUBS pc, lr, #imm and friends: exception return.
          this.exceptionReturn(res);
          return;
        }
        if (this.thumb) this.branchWritePc(res); else this.bxWritePc(res);
        return;
      }
      this.r[rd] = res;
    }
    if (s) {
      this.n = res >>> 31; this.z = res === 0 ? 1 : 0;
      if (arith) { this.c = carry; this.v = overflow; } else if (sc >= 0) this.c = sc;
    }
  }

  // ---- A32 execution ------------------------------------------------------------------------------

  /** For translated blocks: one instruction through the interpreter (c.cur already set). */
  execOne(d: D): void {
    this.r[15] = (this.cur + d.size) | 0;
    this.itBefore = 0;
    this.exec(d);
  }

  /** Set by translated blocks before an instruction that may throw: its position in the block (1-based). */
  jn = 0;

  private exec(d: D): void {
    const r = this.r;
    switch (d.k) {
      case K.DpImm: return this.dataProc(d.x, d.itFlags ? this.itFlag() : d.s, d.b, this.reg(d.a), d.imm, d.y);
      case K.DpReg: {
        const v = this.shiftC(this.reg(d.c), d.y, d.imm, false);
        return this.dataProc(d.x, d.itFlags ? this.itFlag() : d.s, d.b, this.reg(d.a), v, this.shc);
      }
      case K.DpRegShift: {
        const v = this.shiftC(this.reg(d.c), d.y, r[d.d] & 0xff, true);
        return this.dataProc(d.x, d.itFlags ? this.itFlag() : d.s, d.b, this.reg(d.a), v, this.shc);
      }
      case K.It: this.it = d.imm; return;
      case K.Adr: r[d.b] = (((this.cur + 4) & ~3) + d.imm) | 0; return;
      case K.Cbz: if ((r[d.a] !== 0) === (d.x === 1)) r[15] = (this.cur + 4 + d.imm) | 0; return;
      case K.Tb: {
        const base = d.a === 15 ? this.cur + 4 : r[d.a] >>> 0;
        const entry = d.x ? this.mem.read16((base + 2 * (r[d.c] >>> 0)) >>> 0, this.user) : this.mem.read8((base + (r[d.c] >>> 0)) >>> 0, this.user);
        r[15] = (this.cur + 4 + 2 * entry) | 0;
        return;
      }
      case K.BT: r[15] = (this.cur + 4 + d.imm) | 0; return;
      case K.BlT: r[14] = (this.cur + 4) | 1; r[15] = (this.cur + 4 + d.imm) | 0; return;
      case K.BlxT: r[14] = (this.cur + 4) | 1; this.thumb = 0; r[15] = (((this.cur + 4) & ~3) + d.imm) | 0; return;
      case K.SubsPcLr: {
        if (!this.privileged) throw UndefinedInstruction.instance;
        this.exceptionReturn((r[14] - d.imm) >>> 0);
        return;
      }
      case K.Movw: r[d.b] = d.imm; return;
      case K.Movt: r[d.b] = (r[d.b] & 0xffff) | (d.imm << 16); return;
      case K.Mul: {
        const res = Math.imul(r[d.d], r[d.c]) + (d.x === 1 ? r[d.b] : 0) | 0;
        r[d.a] = res;
        if (d.itFlags ? this.itFlag() : d.s) { this.n = res >>> 31; this.z = res === 0 ? 1 : 0; }
        return;
      }
      case K.Mls: r[d.a] = (r[d.b] - Math.imul(r[d.d], r[d.c])) | 0; return;
      case K.Umaal: {
        const res = BigInt(r[d.d] >>> 0) * BigInt(r[d.c] >>> 0) + BigInt(r[d.b] >>> 0) + BigInt(r[d.a] >>> 0);
        r[d.b] = Number(res & 0xffffffffn) | 0; r[d.a] = Number(res >> 32n) | 0;
        return;
      }
      case K.MulLong: {
        const signed = d.x >= 6, acc = (d.x & 1) === 1;
        let res = signed ? BigInt(r[d.d]) * BigInt(r[d.c]) : BigInt(r[d.d] >>> 0) * BigInt(r[d.c] >>> 0);
        if (acc) res += (BigInt(r[d.a] >>> 0) << 32n) | BigInt(r[d.b] >>> 0);
        res = BigInt.asUintN(64, res);
        const lo = Number(res & 0xffffffffn) | 0, hi = Number(res >> 32n) | 0;
        r[d.b] = lo; r[d.a] = hi;
        if (d.s) { this.n = hi >>> 31; this.z = lo === 0 && hi === 0 ? 1 : 0; }
        return;
      }
      case K.MulHalf: return this.mulHalf(d);
      case K.SignedMul: return this.signedMul(d);
      case K.Div: {
        const n = r[d.d], m = r[d.c];
        if (m === 0) { r[d.a] = 0; return; }
        if (d.x) r[d.a] = n === -0x80000000 && m === -1 ? n : (n / m) | 0;
        else r[d.a] = Math.trunc((n >>> 0) / (m >>> 0)) | 0;
        return;
      }
      case K.Clz: r[d.b] = Math.clz32(r[d.c]); return;
      case K.Qadd: {
        let m = r[d.c], n = r[d.a];
        if (d.x & 2) n = this.sat32(n * 2);
        r[d.b] = this.sat32(d.x & 1 ? m - n : m + n);
        return;
      }
      case K.Bx: return this.bxWritePc(this.reg(d.c));
      case K.Bxj: return this.bxWritePc(this.reg(d.c));
      case K.Blx: { const t = this.reg(d.c); r[14] = this.thumb ? (this.cur + d.size) | 1 : (this.cur + 4) | 0; return this.bxWritePc(t); }
      case K.B: r[15] = (this.cur + 8 + d.imm) | 0; return;
      case K.Bl: r[14] = (this.cur + 4) | 0; r[15] = (this.cur + 8 + d.imm) | 0; return;
      case K.BlxImm: r[14] = (this.cur + 4) | 0; this.thumb = 1; r[15] = (this.cur + 8 + d.imm) | 0; return;
      case K.Mrs: {
        if (d.x) { if (!this.hasSpsr()) throw UndefinedInstruction.instance; r[d.b] = this.spsrs[BANK[this.mode]]; }
        // The execution-state bits (J, T, IT) read as zero.
        else r[d.b] = (this.getCpsr() & ~0x0700fc20) | 0; // execution-state bits read as zero, in User mode too (ARM ARM B9.3.9, QEMU)
        return;
      }
      case K.MsrReg: return this.msr(d.x, d.y, r[d.c]);
      case K.MsrImm: return this.msr(d.x, d.y, d.imm);
      case K.MrsBanked: case K.MsrBanked: return this.bankedAccess(d);
      case K.Hint: return this.hint(d.imm);
      case K.Svc: return this.svc(d.imm);
      case K.Bkpt: {
        // With no debugger attached QEMU raises a prefetch abort (debug event) for BKPT.
        this.cp15.ifsr = 0x2; // debug event; QEMU leaves IFAR alone
        this.takeException(ExceptionKind.PrefetchAbort);
        return;
      }
      case K.Hvc: return this.trap(true, d.imm);
      case K.Smc: return this.trap(false, d.imm);
      case K.Eret: {
        if (!this.privileged) throw UndefinedInstruction.instance;
        // ERET from PL1 behaves as "SUBS pc, lr, #0".
        this.exceptionReturn(r[14]);
        return;
      }
      case K.Ldr: case K.Str: case K.LdrReg: case K.StrReg: return this.ldrStr(d);
      case K.LdrhEtc: case K.LdrhEtcReg: return this.ldrhEtc(d);
      case K.Ldrd: case K.Strd: return this.ldrdStrd(d);
      case K.Ldm: return this.ldm(d);
      case K.Stm: return this.stm(d);
      case K.Swp: {
        const addr = this.reg(d.a) >>> 0;
        this.mem.checkAlignment(addr, d.x ? 1 : 4, true);
        const old = d.x ? this.mem.read8(addr, this.user) : this.mem.read32(addr, this.user);
        if (d.x) this.mem.write8(addr, r[d.c], this.user); else this.mem.write32(addr, r[d.c], this.user);
        r[d.b] = d.x ? old : ror(old, (addr & 3) * 8);
        return;
      }
      case K.Ldrex: return this.ldrex(d);
      case K.Strex: return this.strex(d);
      case K.Clrex: this.exclusive = -1; return;
      case K.Barrier: case K.Pld: return;
      case K.Cps: return this.cps(d);
      case K.Setend: if (d.x) throw UndefinedInstruction.instance; return;
      case K.Srs: return this.srs(d);
      case K.Rfe: return this.rfe(d);
      case K.Mcr: case K.Mrc: return this.mcrMrc(d);
      case K.Mcrr: case K.Mrrc: return this.mcrrMrrc(d);
      case K.Vfp: { this.vfp.execute(d.raw, false); return; }
      case K.Parallel: return this.parallel(d);
      case K.Pkh: {
        const n = r[d.a] >>> 0, m = r[d.c] >>> 0;
        if (d.x) { const sh = d.imm === 0 ? (m >> 31) : (m | 0) >> d.imm; r[d.b] = (n & 0xffff0000) | (sh & 0xffff); }
        else r[d.b] = (((m << d.imm) & 0xffff0000) | (n & 0xffff)) | 0;
        return;
      }
      case K.Sat: {
        const v = d.y ? (r[d.c] >> (d.s === 0 ? 31 : d.s)) : (r[d.c] << d.s) | 0;
        r[d.b] = d.x ? this.usat(v, d.imm) : this.ssat(v, d.imm + 1);
        return;
      }
      case K.Sat16: {
        const m = r[d.c];
        const lo = (m << 16) >> 16, hi = m >> 16;
        const f = d.x ? (v: number) => this.usat(v, d.imm) : (v: number) => this.ssat(v, d.imm + 1);
        r[d.b] = ((f(hi) & 0xffff) << 16) | (f(lo) & 0xffff);
        return;
      }
      case K.Extend: {
        const m = ror(r[d.c], d.imm);
        const add = d.a === 15 ? 0 : r[d.a];
        switch (d.x) {
          case 0: { // sxtab16 / sxtb16
            const lo = ((m << 24) >> 24) + (add << 16 >> 16), hi = ((m << 8) >> 24) + (add >> 16);
            r[d.b] = ((hi & 0xffff) << 16) | (lo & 0xffff); return;
          }
          case 2: r[d.b] = (add + ((m << 24) >> 24)) | 0; return;
          case 3: r[d.b] = (add + ((m << 16) >> 16)) | 0; return;
          case 4: {
            const lo = (m & 0xff) + (add & 0xffff), hi = ((m >>> 16) & 0xff) + (add >>> 16);
            r[d.b] = ((hi & 0xffff) << 16) | (lo & 0xffff); return;
          }
          case 6: r[d.b] = (add + (m & 0xff)) | 0; return;
          default: r[d.b] = (add + (m & 0xffff)) | 0; return;
        }
      }
      case K.Sel: {
        const n = r[d.a], m = r[d.c];
        let res = 0;
        for (let i = 0; i < 4; i++) res |= (((this.ge >> i) & 1) ? n : m) & (0xff << (i * 8));
        r[d.b] = res;
        return;
      }
      case K.Rev: { const m = r[d.c]; r[d.b] = ((m & 0xff) << 24) | ((m & 0xff00) << 8) | ((m >>> 8) & 0xff00) | (m >>> 24); return; }
      case K.Rev16: { const m = r[d.c]; r[d.b] = ((m & 0x00ff00ff) << 8) | ((m >>> 8) & 0x00ff00ff); return; }
      case K.Revsh: { const m = r[d.c]; r[d.b] = (((m & 0xff) << 24) >> 16) | ((m >>> 8) & 0xff); return; }
      case K.Rbit: { let m = r[d.c] >>> 0, res = 0; for (let i = 0; i < 32; i++) { res = (res << 1) | (m & 1); m >>>= 1; } r[d.b] = res; return; }
      case K.Usad8: {
        const n = r[d.d], m = r[d.c];
        let sum = 0;
        for (let i = 0; i < 32; i += 8) sum += Math.abs(((n >>> i) & 0xff) - ((m >>> i) & 0xff));
        r[d.a] = (sum + (d.b === 15 ? 0 : r[d.b])) | 0;
        return;
      }
      case K.Bfx: {
        const lsb = d.imm, width = d.y;
        if (lsb + width > 32) throw UndefinedInstruction.instance;
        const v = r[d.c] >>> lsb;
        r[d.b] = d.x ? (width === 32 ? v : v & ((1 << width) - 1)) : (v << (32 - width)) >> (32 - width);
        return;
      }
      case K.Bfi: {
        const lsb = d.imm, msb = d.y;
        if (msb < lsb) throw UndefinedInstruction.instance;
        const width = msb - lsb + 1;
        const mask = (width === 32 ? 0xffffffff : ((1 << width) - 1) << lsb) | 0;
        const src = d.c === 15 ? 0 : r[d.c] << lsb;
        r[d.b] = (r[d.b] & ~mask) | (src & mask);
        return;
      }
      default: throw UndefinedInstruction.instance;
    }
  }

  /** 16-bit Thumb data processing sets flags only outside an IT block (ITSTATE was advanced already). */
  private itFlag(): number { return this.itActive ? 0 : 1; }
  private get itActive(): boolean { return (this.itBefore & 0xf) !== 0; }
  /** ITSTATE of the instruction being executed (before the run loop advanced it). */
  private itBefore = 0;

  private hasSpsr(): boolean { return this.mode !== Mode.USR && this.mode !== Mode.SYS; }

  sat32(v: number): number {
    if (v > 0x7fffffff) { this.q = 1; return 0x7fffffff; }
    if (v < -0x80000000) { this.q = 1; return -0x80000000; }
    return v | 0;
  }

  ssat(v: number, bitsN: number): number {
    const max = 2 ** (bitsN - 1) - 1, min = -(2 ** (bitsN - 1));
    if (v > max) { this.q = 1; return max; }
    if (v < min) { this.q = 1; return min; }
    return v;
  }

  usat(v: number, bitsN: number): number {
    const max = 2 ** bitsN - 1;
    if (v > max) { this.q = 1; return max; }
    if (v < 0) { this.q = 1; return 0; }
    return v;
  }

  private mulHalf(d: D): void {
    const r = this.r;
    const half = (v: number, top: number) => (top ? v >> 16 : (v << 16) >> 16);
    const n = r[d.d], m = r[d.c];
    const x = d.y & 1, y = d.y >> 1;
    switch (d.x) {
      case 0: { // SMLAxy
        const p = half(n, x) * half(m, y) + r[d.b];
        if (p > 0x7fffffff || p < -0x80000000) this.q = 1;
        r[d.a] = p | 0; return;
      }
      case 1: { // SMLAWy / SMULWy
        const p = Number((BigInt(n) * BigInt(half(m, y))) >> 16n);
        if (x === 0) { const s = p + r[d.b]; if (s > 0x7fffffff || s < -0x80000000) this.q = 1; r[d.a] = s | 0; }
        else r[d.a] = p | 0;
        return;
      }
      case 2: { // SMLALxy
        const acc = (BigInt(r[d.a]) << 32n) | BigInt(r[d.b] >>> 0);
        const res = BigInt.asUintN(64, acc + BigInt(half(n, x) * half(m, y)));
        r[d.b] = Number(res & 0xffffffffn) | 0; r[d.a] = Number(res >> 32n) | 0; return;
      }
      default: r[d.a] = Math.imul(half(n, x), half(m, y)); return;
    }
  }

  private signedMul(d: D): void {
    const r = this.r;
    const n = r[d.d], mRaw = r[d.c];
    const swap = d.y & 1;
    const m = swap && d.x !== 5 ? ror(mRaw, 16) | 0 : mRaw;
    const lo = ((n << 16) >> 16) * ((m << 16) >> 16), hi = (n >> 16) * (m >> 16);
    switch (d.x) {
      case 0: {
        const sub = (d.y & 2) !== 0;
        const p = sub ? lo - hi : lo + hi;
        if (d.b === 15) { r[d.a] = p | 0; if (!sub && (p > 0x7fffffff || p < -0x80000000)) this.q = 1; return; }
        const s = p + r[d.b];
        if (s > 0x7fffffff || s < -0x80000000 || (!sub && (p > 0x7fffffff || p < -0x80000000))) this.q = 1;
        r[d.a] = s | 0; return;
      }
      case 4: {
        const sub = (d.y & 2) !== 0;
        const acc = (BigInt(r[d.a]) << 32n) | BigInt(r[d.b] >>> 0);
        const res = BigInt.asUintN(64, acc + BigInt(sub ? lo - hi : lo + hi));
        r[d.b] = Number(res & 0xffffffffn) | 0; r[d.a] = Number(res >> 32n) | 0; return;
      }
      default: { // SMMUL / SMMLA / SMMLS (R rounds)
        const round = (d.y & 1) !== 0;
        let p = BigInt(n) * BigInt(mRaw);
        if (d.y >= 6) p = (BigInt(r[d.b]) << 32n) - p;
        else if (d.b !== 15) p += BigInt(r[d.b]) << 32n;
        if (round) p += 0x80000000n;
        r[d.a] = Number(BigInt.asIntN(32, p >> 32n));
        return;
      }
    }
  }

  private parallel(d: D): void {
    const r = this.r;
    const n = r[d.a], m = r[d.c];
    const kind = d.x & 3, unsigned = d.x >= 4; // 1 signed/unsigned (GE), 2 saturating, 3 halving
    const op = d.y; // 0 add16, 1 asx, 2 sax, 3 sub16, 4 add8, 7 sub8
    let res = 0, ge = 0;
    if (op === 4 || op === 7) {
      for (let i = 0; i < 4; i++) {
        const sh = i * 8;
        let a = (n >>> sh) & 0xff, b = (m >>> sh) & 0xff;
        if (!unsigned) { a = (a << 24) >> 24; b = (b << 24) >> 24; }
        const v = op === 4 ? a + b : a - b;
        let out: number;
        if (kind === 1) { out = v; if (unsigned ? (op === 4 ? v >= 0x100 : v >= 0) : v >= 0) ge |= 1 << i; }
        else if (kind === 2) out = unsigned ? Math.min(255, Math.max(0, v)) : Math.min(127, Math.max(-128, v));
        else out = v >> 1;
        res |= (out & 0xff) << sh;
      }
    } else {
      const nl = unsigned ? n & 0xffff : (n << 16) >> 16, nh = unsigned ? n >>> 16 : n >> 16;
      const ml = unsigned ? m & 0xffff : (m << 16) >> 16, mh = unsigned ? m >>> 16 : m >> 16;
      let lo: number, hi: number;
      switch (op) {
        case 0: lo = nl + ml; hi = nh + mh; break;
        case 1: lo = nl - mh; hi = nh + ml; break;
        case 2: lo = nl + mh; hi = nh - ml; break;
        default: lo = nl - ml; hi = nh - mh; break;
      }
      const geOf = (v: number, add: boolean) => (unsigned ? (add ? v >= 0x10000 : v >= 0) : v >= 0);
      const addLo = op === 0 || op === 2, addHi = op === 0 || op === 1;
      const f = (v: number) => (kind === 1 ? v : kind === 2 ? (unsigned ? Math.min(0xffff, Math.max(0, v)) : Math.min(0x7fff, Math.max(-0x8000, v))) : v >> 1);
      if (kind === 1) ge = (geOf(lo, addLo) ? 3 : 0) | (geOf(hi, addHi) ? 12 : 0);
      res = ((f(hi) & 0xffff) << 16) | (f(lo) & 0xffff);
    }
    r[d.b] = res;
    if (kind === 1) this.ge = ge;
  }

  private msr(spsr: number, mask: number, value: number): void {
    if (spsr) {
      if (!this.hasSpsr()) throw UndefinedInstruction.instance;
      const idx = BANK[this.mode];
      let bytes = 0;
      if (mask & 1) bytes |= 0xff; if (mask & 2) bytes |= 0xff00; if (mask & 4) bytes |= 0xff0000; if (mask & 8) bytes |= 0xff000000;
      this.spsrs[idx] = (this.spsrs[idx] & ~bytes) | (value & bytes);
      return;
    }
    if (mask & 8) { this.n = (value >>> 31) & 1; this.z = (value >>> 30) & 1; this.c = (value >>> 29) & 1; this.v = (value >>> 28) & 1; this.q = (value >>> 27) & 1; }
    if (mask & 4) this.ge = (value >>> 16) & 15;
    if (!this.privileged) return;
    if (mask & 2) this.psrMisc = (this.psrMisc & ~0x300) | (value & 0x300);
    if (mask & 1) {
      this.psrMisc = (this.psrMisc & ~0xc0) | (value & 0xc0);
      const m = value & 0x1f;
      if (BANK[m] !== undefined && m !== Mode.HYP && m !== Mode.MON) this.switchMode(m);
    }
  }

  private bankedAccess(d: D): void {
    if (!this.privileged) throw UndefinedInstruction.instance;
    const sysm = d.y;
    let mode: number, n: number;
    if (d.x) {
      const m: Record<number, number> = { 14: Mode.FIQ, 16: Mode.IRQ, 18: Mode.SVC, 20: Mode.ABT, 22: Mode.UND, 28: Mode.MON, 30: Mode.HYP };
      mode = m[sysm];
      if (mode === undefined || mode === this.mode || mode === Mode.MON || mode === Mode.HYP) throw UndefinedInstruction.instance;
      if (d.k === K.MrsBanked) this.r[d.b] = this.spsrs[BANK[mode]];
      else this.spsrs[BANK[mode]] = this.r[d.c];
      return;
    }
    if (sysm < 7) { mode = Mode.USR; n = 8 + sysm; }
    else if (sysm >= 8 && sysm < 15) { mode = Mode.FIQ; n = sysm; }
    else {
      const t: Record<number, [number, number]> = { 16: [Mode.IRQ, 14], 17: [Mode.IRQ, 13], 18: [Mode.SVC, 14], 19: [Mode.SVC, 13], 20: [Mode.ABT, 14], 21: [Mode.ABT, 13], 22: [Mode.UND, 14], 23: [Mode.UND, 13] };
      const e = t[sysm];
      if (!e) throw UndefinedInstruction.instance;
      [mode, n] = e;
    }
    if (n === 15) throw UndefinedInstruction.instance;
    // The UNPREDICTABLE cases QEMU makes UNDEFINED: the current mode's own bank, USR r8-r12 outside
    // FIQ mode (they are the current registers), r13/r14_usr from SYS mode (its own bank).
    if (mode === this.mode) throw UndefinedInstruction.instance;
    if (mode === Mode.USR && (n < 13 ? this.mode !== Mode.FIQ : this.mode === Mode.SYS)) throw UndefinedInstruction.instance;
    if (d.k === K.MrsBanked) this.r[d.b] = this.getBanked(mode, n);
    else this.setBanked(mode, n, this.r[d.c]);
  }

  private hint(h: number): void {
    if (h === 3) { if (!this.wakeable()) this.waiting = 1; }
    else if (h === 2) { if (this.eventReg) this.eventReg = false; else this.waiting = 2; }
    else if (h === 4) { this.eventReg = true; if (this.onSev) this.onSev(); }
  }

  private svc(imm: number): void {
    const semi = this.thumb ? imm === 0xab : imm === 0x123456;
    if (semi && this.semihosting) {
      const result = semihostingCall(this, this.semihosting);
      if (result === 'exit') { this.halted = true; return; }
      this.r[0] = result | 0;
      return;
    }
    this.takeException(ExceptionKind.Svc);
  }

  private trap(hvc: boolean, imm: number): void {
    if (this.mode === Mode.USR) throw UndefinedInstruction.instance;
    const handler = hvc ? this.onHvc : this.onSmc;
    if (!handler) throw UndefinedInstruction.instance;
    const res = handler(this, imm);
    if (res === TrapResult.Undefined) throw UndefinedInstruction.instance;
    if (res === TrapResult.Stop) { this.r[15] = this.cur | 0; this.trapStop = true; this.icount--; }
  }

  private cps(d: D): void {
    if (!this.privileged) return; // CPS is a NOP in user mode
    if (d.x >= 2) {
      const bitsAif = ((d.s & 4) ? 0x100 : 0) | ((d.s & 2) ? 0x80 : 0) | ((d.s & 1) ? 0x40 : 0);
      this.psrMisc = d.x === 3 ? this.psrMisc | bitsAif : this.psrMisc & ~bitsAif;
    }
    if (d.y && BANK[d.imm] !== undefined && d.imm !== Mode.HYP && d.imm !== Mode.MON) this.switchMode(d.imm);
  }

  private srs(d: D): void {
    if (!this.privileged) throw UndefinedInstruction.instance;
    const mode = d.imm;
    if (BANK[mode] === undefined || mode === Mode.USR || mode === Mode.SYS || mode === Mode.HYP) throw UndefinedInstruction.instance;
    const sp = this.getBanked(mode, 13);
    const p = d.x >> 1, u = d.x & 1;
    const start = u ? sp + (p ? 4 : 0) : sp - 8 + (p ? 0 : 4);
    this.mem.checkAlignment(start >>> 0, 4, true);
    this.mem.write32(start >>> 0, this.r[14], false);
    this.mem.write32((start + 4) >>> 0, this.spsrs[BANK[this.mode]] ?? 0, false);
    if (d.y) this.setBanked(mode, 13, u ? sp + 8 : sp - 8);
  }

  private rfe(d: D): void {
    if (!this.privileged) throw UndefinedInstruction.instance;
    const base = this.r[d.a] >>> 0;
    const p = d.x >> 1, u = d.x & 1;
    const start = u ? base + (p ? 4 : 0) : base - 8 + (p ? 0 : 4);
    this.mem.checkAlignment(start >>> 0, 4, false);
    const pc = this.mem.read32(start >>> 0, false), psr = this.mem.read32((start + 4) >>> 0, false);
    if (d.y) this.r[d.a] = (u ? base + 8 : base - 8) | 0;
    this.setCpsr(psr);
    this.r[15] = (this.thumb ? pc & ~1 : pc & ~3) | 0;
  }

  private mcrMrc(d: D): void {
    const priv = this.privileged;
    if (d.x === 15) {
      if (d.k === K.Mrc) {
        const v = this.cp15.read(d.a, d.y, d.c, d.d, priv);
        if (d.b === 15) this.setNzcv(v); else this.r[d.b] = v | 0;
      } else this.cp15.write(d.a, d.y, d.c, d.d, this.r[d.b] >>> 0, priv);
      return;
    }
    if (d.x === 14) {
      if (d.k === K.Mrc) {
        const v = this.cp14.read(d.y, d.a, d.c, d.d, priv);
        if (d.b === 15) this.setNzcv(v); else this.r[d.b] = v | 0;
      } else this.cp14.write(d.y, d.a, d.c, d.d, this.r[d.b] >>> 0, priv);
      return;
    }
    throw UndefinedInstruction.instance;
  }

  private mcrrMrrc(d: D): void {
    if (d.x !== 15) throw UndefinedInstruction.instance;
    const priv = this.privileged;
    if (d.k === K.Mrrc) {
      const [lo, hi] = this.cp15.read64(d.y, d.c, priv);
      this.r[d.b] = lo | 0; this.r[d.a] = hi | 0;
    } else this.cp15.write64(d.y, d.c, this.r[d.b] >>> 0, this.r[d.a] >>> 0, priv);
  }

  // ---- loads and stores ------------------------------------------------------------------------------

  private ldrStr(d: D): void {
    const r = this.r;
    const p = d.x >> 2, u = (d.x >> 1) & 1, w = d.x & 1;
    const unpriv = !p && w;
    const user = unpriv ? true : this.user;
    // Literal loads read Align(PC, 4) (a no-op in ARM state, where the PC is word-aligned).
    const base = (d.a === 15 ? this.reg(15) & ~3 : this.reg(d.a)) >>> 0;
    const off = d.k === K.Ldr || d.k === K.Str ? d.imm : this.shiftValue(this.reg(d.c), d.y, d.imm);
    const offAddr = (u ? base + off : base - off) >>> 0;
    // Thumb's LDRT/STRT (d.d = 1) use offset addressing with no writeback.
    const thumbUnpriv = unpriv && d.d === 1;
    const addr = p || thumbUnpriv ? offAddr : base;
    const writeBack = (!p || w) && !thumbUnpriv;
    const load = d.k === K.Ldr || d.k === K.LdrReg;
    if (load) {
      let v: number;
      if (d.s) v = this.mem.read8(addr, user);
      else v = this.mem.read32(addr, user);
      if (writeBack) r[d.a] = offAddr | 0;
      if (d.b === 15) this.bxWritePc(v); else r[d.b] = v | 0;
    } else {
      const v = this.reg(d.b);
      if (d.s) this.mem.write8(addr, v, user); else this.mem.write32(addr, v, user);
      if (writeBack) r[d.a] = offAddr | 0;
    }
  }

  private ldrhEtc(d: D): void {
    const r = this.r;
    const p = d.x >> 2, u = (d.x >> 1) & 1, w = d.x & 1;
    const unpriv = !p && w;
    const user = unpriv ? true : this.user;
    const base = (d.a === 15 ? this.reg(15) & ~3 : this.reg(d.a)) >>> 0;
    const off = d.s ? d.imm : (r[d.c] << d.imm) >>> 0;
    const offAddr = (u ? base + off : base - off) >>> 0;
    const thumbUnpriv = unpriv && d.d === 1;
    const addr = p || thumbUnpriv ? offAddr : base;
    let v = 0;
    switch (d.y) {
      case 2: this.mem.write16(addr, r[d.b], user); break; // strh
      case 3: v = this.mem.read16(addr, user); break; // ldrh
      case 5: v = (this.mem.read8(addr, user) << 24) >> 24; break; // ldrsb
      case 7: v = (this.mem.read16(addr, user) << 16) >> 16; break; // ldrsh
      default: throw UndefinedInstruction.instance;
    }
    if ((!p || w) && !thumbUnpriv) r[d.a] = offAddr | 0;
    if (d.y & 1) r[d.b] = v | 0;
  }

  private ldrdStrd(d: D): void {
    const r = this.r;
    const p = d.x >> 2, u = (d.x >> 1) & 1, w = d.x & 1;
    // T32 (s = 2) writes back when W is set, post-indexing when P is clear; A32 has P=0,W=1 unallocated.
    const t32 = d.s === 2;
    if (!t32 && !p && w) throw UndefinedInstruction.instance;
    const base = (d.a === 15 ? this.reg(15) & ~3 : this.reg(d.a)) >>> 0;
    const off = d.s ? d.imm : r[d.c] >>> 0;
    const offAddr = (u ? base + off : base - off) >>> 0;
    const addr = p ? offAddr : base;
    const writeBack = t32 ? w === 1 : !p || w === 1;
    // LDRD/STRD need word alignment whatever SCTLR.A says (ARMv7 with U=1).
    this.mem.checkAlignment(addr, 4, d.k === K.Strd);
    if (d.k === K.Ldrd) {
      const lo = this.mem.read32(addr, this.user), hi = this.mem.read32((addr + 4) >>> 0, this.user);
      if (writeBack) r[d.a] = offAddr | 0;
      r[d.b] = lo | 0; r[d.d] = hi | 0;
    } else {
      this.mem.write32(addr, r[d.b], this.user);
      this.mem.write32((addr + 4) >>> 0, r[d.d], this.user);
      if (writeBack) r[d.a] = offAddr | 0;
    }
  }

  private ldm(d: D): void {
    const r = this.r;
    const list = d.imm, count = popcount(list);
    const base = r[d.a] >>> 0;
    const pu = d.x;
    let addr = pu === 0 ? base - 4 * count + 4 : pu === 1 ? base : pu === 2 ? base - 4 * count : base + 4;
    addr >>>= 0;
    this.mem.checkAlignment(addr, 4, false);
    const wbValue = (pu & 1 ? base + 4 * count : base - 4 * count) | 0;
    const userBank = d.s && !(list & 0x8000);
    if (userBank && (this.mode === Mode.USR || this.mode === Mode.SYS)) throw UndefinedInstruction.instance;
    const values: number[] = [];
    for (let i = 0; i < 16; i++) {
      if (!(list & (1 << i))) continue;
      values.push(this.mem.read32(addr, this.user));
      addr = (addr + 4) >>> 0;
    }
    if (d.y && !(list & (1 << d.a))) r[d.a] = wbValue;
    let k = 0;
    for (let i = 0; i < 15; i++) {
      if (!(list & (1 << i))) continue;
      const v = values[k++];
      if (userBank) this.setBanked(Mode.USR, i, v); else r[i] = v | 0;
    }
    if (d.y && (list & (1 << d.a))) { /* the loaded value wins (ARMv7: UNKNOWN; QEMU keeps the load) */ }
    if (list & 0x8000) {
      const pc = values[k];
      if (d.s) this.exceptionReturn(pc);
      else this.bxWritePc(pc);
    }
  }

  private stm(d: D): void {
    const r = this.r;
    const list = d.imm, count = popcount(list);
    const base = r[d.a] >>> 0;
    const pu = d.x;
    let addr = pu === 0 ? base - 4 * count + 4 : pu === 1 ? base : pu === 2 ? base - 4 * count : base + 4;
    addr >>>= 0;
    this.mem.checkAlignment(addr, 4, true);
    const wbValue = (pu & 1 ? base + 4 * count : base - 4 * count) | 0;
    if (d.s && (this.mode === Mode.USR || this.mode === Mode.SYS)) throw UndefinedInstruction.instance;
    for (let i = 0; i < 16; i++) {
      if (!(list & (1 << i))) continue;
      const v = i === 15 ? this.cur + 8 : d.s ? this.getBanked(Mode.USR, i) : r[i];
      this.mem.write32(addr, v, this.user);
      addr = (addr + 4) >>> 0;
    }
    if (d.y) r[d.a] = wbValue;
  }

  private ldrex(d: D): void {
    const addr = (this.reg(d.a) + d.imm) >>> 0;
    const size = d.x;
    this.mem.checkAlignment(addr, size, false);
    const pa = this.mem.translate(addr, Access.Read, this.user);
    this.exclusive = pa;
    if (size === 8) {
      this.r[d.b] = this.exclusiveValue = this.mem.read32(addr, this.user) | 0;
      this.r[d.d] = this.exclusiveHigh = this.mem.read32((addr + 4) >>> 0, this.user) | 0;
    } else {
      this.r[d.b] = this.exclusiveValue = this.readSized(addr, size);
    }
  }

  private strex(d: D): void {
    const addr = (this.reg(d.a) + d.imm) >>> 0;
    const size = d.x;
    this.mem.checkAlignment(addr, size, true);
    const pa = this.mem.translate(addr, Access.Write, this.user);
    const current = this.readSized(addr, size === 8 ? 4 : size);
    const currentHigh = size === 8 ? this.mem.read32((addr + 4) >>> 0, this.user) | 0 : 0;
    if (this.exclusive !== pa || current !== this.exclusiveValue || (size === 8 && currentHigh !== this.exclusiveHigh)) {
      this.r[d.b] = 1; this.exclusive = -1; return;
    }
    const v = this.r[d.c];
    if (size === 8) { this.mem.write32(addr, v, this.user); this.mem.write32((addr + 4) >>> 0, this.r[d.d], this.user); }
    else if (size === 4) this.mem.write32(addr, v, this.user);
    else if (size === 2) this.mem.write16(addr, v, this.user);
    else this.mem.write8(addr, v, this.user);
    this.r[d.b] = 0;
    this.exclusive = -1;
  }

  /** A 1-, 2- or 4-byte read for the exclusive instructions, as a signed 32-bit value. */
  private readSized(addr: number, size: number): number {
    return (size === 4 ? this.mem.read32(addr, this.user) : size === 2 ? this.mem.read16(addr, this.user) : this.mem.read8(addr, this.user)) | 0;
  }

  /** For the T32 unit: clear the local monitor (exception return, CLREX). */
  clearExclusive(): void { this.exclusive = -1; }
}

function popcount(x: number): number {
  let n = 0;
  for (; x; x &= x - 1) n++;
  return n;
}

/** With no VFP unit, every coprocessor-10/11 instruction is UNDEFINED. */
const nullVfp: VfpUnit = {
  execute() { throw UndefinedInstruction.instance; },
  regs: new Uint32Array(64), fpscr: 0, fpexc: 0, fpsid: 0, mvfr0: 0, mvfr1: 0, reset() {},
};
