// T32 (Thumb-2) decoder: turns 16- and 32-bit Thumb instructions into the same decoded records the
// A32 executor runs (decoded.ts), adding Thumb-only kinds (IT, CBZ, TBB/TBH, branches, ADR). The
// field conventions per kind are those of the A32 decoder in cpu.ts.
import { K, type D } from './decoded';

function bits(w: number, hi: number, lo: number): number {
  return (w >>> lo) & ((1 << (hi - lo + 1)) - 1);
}

export function isT32Wide(hw1: number): boolean {
  return (hw1 >>> 11) >= 0x1d;
}

function rec(k: K, raw: number, size: 2 | 4): D {
  return { k, cond: 14, a: 0, b: 0, c: 0, d: 0, imm: 0, x: 0, y: 0, s: 0, raw: raw >>> 0, size, blk: null, blkPc: -1, blkLen: 0, hot: 0 };
}
const undef = (raw: number, size: 2 | 4) => rec(K.Undef, raw, size);

/** A32 data-processing opcode numbers, as dataProc takes them; 16 is ORN (Thumb only). */
const OP = { and: 0, eor: 1, sub: 2, rsb: 3, add: 4, adc: 5, sbc: 6, rsc: 7, tst: 8, teq: 9, cmp: 10, cmn: 11, orr: 12, mov: 13, bic: 14, mvn: 15, orn: 16 } as const;

function dpImm(op: number, s: number, rn: number, rd: number, imm: number, carry: number, raw: number, size: 2 | 4): D {
  const d = rec(K.DpImm, raw, size);
  d.x = op; d.s = s; d.a = rn; d.b = rd; d.imm = imm >>> 0; d.y = carry;
  return d;
}
function dpReg(op: number, s: number, rn: number, rd: number, rm: number, type: number, amount: number, raw: number, size: 2 | 4): D {
  const d = rec(K.DpReg, raw, size);
  d.x = op; d.s = s; d.a = rn; d.b = rd; d.c = rm; d.y = type; d.imm = amount;
  return d;
}
function mem(k: K, rn: number, rt: number, p: number, u: number, w: number, raw: number, size: 2 | 4): D {
  const d = rec(k, raw, size);
  d.a = rn; d.b = rt; d.x = (p << 2) | (u << 1) | w;
  return d;
}

// ---- 16-bit -------------------------------------------------------------------------------------

function thumb16(hw: number): D {
  const op = hw >>> 10;
  if ((hw >>> 14) === 0) {
    const op5 = bits(hw, 13, 11), rd = bits(hw, 2, 0), rm = bits(hw, 5, 3);
    if (op5 < 3) {
      const imm = bits(hw, 10, 6);
      const d = dpReg(OP.mov, 1, 0, rd, rm, op5, imm, hw, 2);
      // MOVS Rd, Rm (LSL #0) always sets flags; the shifts do so only outside an IT block.
      d.itFlags = !(op5 === 0 && imm === 0);
      return d;
    }
    if (op5 === 3) {
      const sub = bits(hw, 9, 9), immForm = bits(hw, 10, 10), rn = bits(hw, 5, 3);
      const d = immForm ? dpImm(sub ? OP.sub : OP.add, 1, rn, rd, bits(hw, 8, 6), -1, hw, 2) : dpReg(sub ? OP.sub : OP.add, 1, rn, rd, bits(hw, 8, 6), 0, 0, hw, 2);
      d.itFlags = true;
      return d;
    }
    const rdn = bits(hw, 10, 8), imm = bits(hw, 7, 0);
    switch (bits(hw, 12, 11)) {
      case 0: { const d = dpImm(OP.mov, 1, 0, rdn, imm, -1, hw, 2); d.itFlags = true; return d; }
      case 1: return dpImm(OP.cmp, 1, rdn, 0, imm, -1, hw, 2);
      case 2: { const d = dpImm(OP.add, 1, rdn, rdn, imm, -1, hw, 2); d.itFlags = true; return d; }
      default: { const d = dpImm(OP.sub, 1, rdn, rdn, imm, -1, hw, 2); d.itFlags = true; return d; }
    }
  }
  if (op === 0x10) {
    const opc = bits(hw, 9, 6), rdn = bits(hw, 2, 0), rm = bits(hw, 5, 3);
    let d: D;
    switch (opc) {
      case 2: case 3: case 4: case 7: { // LSL/LSR/ASR/ROR by register
        d = rec(K.DpRegShift, hw, 2);
        d.x = OP.mov; d.s = 1; d.b = rdn; d.c = rdn; d.d = rm; d.y = [0, 0, 0, 1, 2, 0, 0, 3][opc];
        break;
      }
      case 9: d = dpImm(OP.rsb, 1, rm, rdn, 0, -1, hw, 2); break; // NEGS = RSBS Rd, Rm, #0
      case 13: { d = rec(K.Mul, hw, 2); d.a = rdn; d.c = rdn; d.d = rm; d.s = 1; break; }
      case 8: return dpReg(OP.tst, 1, rdn, 0, rm, 0, 0, hw, 2);
      case 10: return dpReg(OP.cmp, 1, rdn, 0, rm, 0, 0, hw, 2);
      case 11: return dpReg(OP.cmn, 1, rdn, 0, rm, 0, 0, hw, 2);
      default: {
        const map = [OP.and, OP.eor, 0, 0, 0, OP.adc, OP.sbc, 0, 0, 0, 0, 0, OP.orr, 0, OP.bic, OP.mvn];
        d = dpReg(map[opc], 1, rdn, rdn, rm, 0, 0, hw, 2);
      }
    }
    d.itFlags = true;
    return d;
  }
  if (op === 0x11) {
    const opc = bits(hw, 9, 8), rdn = (bits(hw, 7, 7) << 3) | bits(hw, 2, 0), rm = bits(hw, 6, 3);
    if (opc === 0) return dpReg(OP.add, 0, rdn, rdn, rm, 0, 0, hw, 2);
    if (opc === 1) return dpReg(OP.cmp, 1, rdn, 0, rm, 0, 0, hw, 2);
    if (opc === 2) return dpReg(OP.mov, 0, 0, rdn, rm, 0, 0, hw, 2);
    const d = rec(bits(hw, 7, 7) ? K.Blx : K.Bx, hw, 2);
    d.c = rm;
    return d;
  }
  if ((hw >>> 11) === 0x09) { // LDR literal
    const d = mem(K.Ldr, 15, bits(hw, 10, 8), 1, 1, 0, hw, 2);
    d.imm = bits(hw, 7, 0) * 4;
    return d;
  }
  if ((hw >>> 12) === 0x5) { // register offset
    const o = bits(hw, 11, 9), rt = bits(hw, 2, 0), rn = bits(hw, 5, 3), rm = bits(hw, 8, 6);
    if (o === 0 || o === 2 || o === 4 || o === 6) {
      const d = mem(o >= 4 ? K.LdrReg : K.StrReg, rn, rt, 1, 1, 0, hw, 2);
      d.c = rm; d.s = o === 2 || o === 6 ? 1 : 0;
      return d;
    }
    const d = mem(K.LdrhEtcReg, rn, rt, 1, 1, 0, hw, 2);
    d.c = rm;
    d.y = o === 1 ? 2 : o === 5 ? 3 : o === 3 ? 5 : 7; // strh, ldrh, ldrsb, ldrsh
    return d;
  }
  if ((hw >>> 13) === 0x3) { // LDR/STR(B) immediate
    const b = bits(hw, 12, 12), l = bits(hw, 11, 11);
    const d = mem(l ? K.Ldr : K.Str, bits(hw, 5, 3), bits(hw, 2, 0), 1, 1, 0, hw, 2);
    d.s = b; d.imm = bits(hw, 10, 6) * (b ? 1 : 4);
    return d;
  }
  if ((hw >>> 12) === 0x8) { // LDRH/STRH immediate
    const d = mem(K.LdrhEtc, bits(hw, 5, 3), bits(hw, 2, 0), 1, 1, 0, hw, 2);
    d.s = 1; d.imm = bits(hw, 10, 6) * 2; d.y = bits(hw, 11, 11) ? 3 : 2;
    return d;
  }
  if ((hw >>> 12) === 0x9) { // SP-relative
    const d = mem(bits(hw, 11, 11) ? K.Ldr : K.Str, 13, bits(hw, 10, 8), 1, 1, 0, hw, 2);
    d.imm = bits(hw, 7, 0) * 4;
    return d;
  }
  if ((hw >>> 11) === 0x14) { const d = rec(K.Adr, hw, 2); d.b = bits(hw, 10, 8); d.imm = bits(hw, 7, 0) * 4; return d; }
  if ((hw >>> 11) === 0x15) return dpImm(OP.add, 0, 13, bits(hw, 10, 8), bits(hw, 7, 0) * 4, -1, hw, 2);
  if ((hw >>> 12) === 0xb) return misc16(hw);
  if ((hw >>> 12) === 0xc) { // LDM/STM
    const l = bits(hw, 11, 11), rn = bits(hw, 10, 8), list = bits(hw, 7, 0);
    const d = rec(l ? K.Ldm : K.Stm, hw, 2);
    d.a = rn; d.imm = list; d.x = 1; d.y = l && (list & (1 << rn)) ? 0 : 1;
    if (list === 0) return undef(hw, 2);
    return d;
  }
  if ((hw >>> 12) === 0xd) {
    const cond = bits(hw, 11, 8);
    if (cond === 14) return rec(K.Udf, hw, 2);
    if (cond === 15) { const d = rec(K.Svc, hw, 2); d.imm = bits(hw, 7, 0); return d; }
    const d = rec(K.BT, hw, 2);
    d.cond = cond; d.imm = (bits(hw, 7, 0) << 24) >> 23;
    return d;
  }
  if ((hw >>> 11) === 0x1c) { const d = rec(K.BT, hw, 2); d.imm = (bits(hw, 10, 0) << 21) >> 20; return d; }
  return undef(hw, 2);
}

function misc16(hw: number): D {
  const op = bits(hw, 11, 5);
  if ((op & 0x7c) === 0x00) return dpImm(OP.add, 0, 13, 13, bits(hw, 6, 0) * 4, -1, hw, 2);
  if ((op & 0x7c) === 0x04) return dpImm(OP.sub, 0, 13, 13, bits(hw, 6, 0) * 4, -1, hw, 2);
  if ((op & 0x28) === 0x08) {
    const d = rec(K.Cbz, hw, 2);
    d.a = bits(hw, 2, 0); d.x = bits(hw, 11, 11); d.imm = (bits(hw, 9, 9) << 6) | (bits(hw, 7, 3) << 1);
    return d;
  }
  if ((op & 0x78) === 0x10) {
    const d = rec(K.Extend, hw, 2);
    d.a = 15; d.b = bits(hw, 2, 0); d.c = bits(hw, 5, 3); d.x = [3, 2, 7, 6][bits(hw, 7, 6)];
    return d;
  }
  if ((op & 0x70) === 0x20) { // PUSH
    const d = rec(K.Stm, hw, 2);
    d.a = 13; d.imm = bits(hw, 7, 0) | (bits(hw, 8, 8) << 14); d.x = 2; d.y = 1;
    return d.imm ? d : undef(hw, 2);
  }
  if ((op & 0x70) === 0x60) { // POP
    const d = rec(K.Ldm, hw, 2);
    d.a = 13; d.imm = bits(hw, 7, 0) | (bits(hw, 8, 8) << 15); d.x = 1; d.y = 1;
    return d.imm ? d : undef(hw, 2);
  }
  if (op === 0x32) { const d = rec(K.Setend, hw, 2); d.x = bits(hw, 3, 3); return d; }
  if (op === 0x33) {
    const d = rec(K.Cps, hw, 2);
    d.x = bits(hw, 4, 4) ? 3 : 2; d.s = bits(hw, 2, 0);
    return d;
  }
  if ((op & 0x78) === 0x50) {
    const k = [K.Rev, K.Rev16, undefined, K.Revsh][bits(hw, 7, 6)];
    if (k === undefined) return undef(hw, 2);
    const d = rec(k, hw, 2);
    d.b = bits(hw, 2, 0); d.c = bits(hw, 5, 3);
    return d;
  }
  if ((op & 0x78) === 0x70) { const d = rec(K.Bkpt, hw, 2); d.imm = bits(hw, 7, 0); return d; }
  if ((op & 0x78) === 0x78) {
    const mask = bits(hw, 3, 0);
    if (mask === 0) { const d = rec(K.Hint, hw, 2); d.imm = bits(hw, 7, 4); return d; }
    const d = rec(K.It, hw, 2);
    d.imm = bits(hw, 7, 0);
    return d;
  }
  return undef(hw, 2);
}

// ---- 32-bit -------------------------------------------------------------------------------------

/** ThumbExpandImm_C: the value and its carry-out (-1: carry unchanged). */
function expandImm(imm12: number): [number, number] {
  if ((imm12 >>> 10) === 0) {
    const b = imm12 & 0xff;
    switch ((imm12 >>> 8) & 3) {
      case 0: return [b, -1];
      case 1: return [(b << 16) | b, -1];
      case 2: return [((b << 24) | (b << 8)) >>> 0, -1];
      default: return [((b << 24) | (b << 16) | (b << 8) | b) >>> 0, -1];
    }
  }
  const unrot = 0x80 | (imm12 & 0x7f), rot = imm12 >>> 7;
  const v = ((unrot >>> rot) | (unrot << (32 - rot))) >>> 0;
  return [v, v >>> 31];
}

const DP32 = [OP.and, OP.bic, OP.orr, OP.orn, OP.eor, -1, -1, -1, OP.add, -1, OP.adc, OP.sbc, -1, OP.sub, OP.rsb, -1];

function dataProcessing32(w: number, immediate: boolean): D {
  const op = bits(w, 24, 21), s = bits(w, 20, 20), rn = bits(w, 19, 16), rd = bits(w, 11, 8);
  let a32op = DP32[op];
  let useRn = rn, useRd = rd;
  if (op === 0 && rd === 15 && s) { a32op = OP.tst; useRd = 0; }
  else if (op === 4 && rd === 15 && s) { a32op = OP.teq; useRd = 0; }
  else if (op === 8 && rd === 15 && s) { a32op = OP.cmn; useRd = 0; }
  else if (op === 13 && rd === 15 && s) { a32op = OP.cmp; useRd = 0; }
  else if (op === 2 && rn === 15) { a32op = OP.mov; useRn = 0; }
  else if (op === 3 && rn === 15) { a32op = OP.mvn; useRn = 0; }
  if (op === 6 && !immediate) {
    const d = rec(K.Pkh, w, 4);
    d.a = rn; d.b = rd; d.c = bits(w, 3, 0); d.x = bits(w, 5, 5); d.imm = (bits(w, 14, 12) << 2) | bits(w, 7, 6);
    return d;
  }
  if (a32op < 0) return undef(w, 4);
  if (immediate) {
    const [v, c] = expandImm((bits(w, 26, 26) << 11) | (bits(w, 14, 12) << 8) | bits(w, 7, 0));
    return dpImm(a32op, s, useRn, useRd, v, c, w, 4);
  }
  return dpReg(a32op, s, useRn, useRd, bits(w, 3, 0), bits(w, 5, 4), (bits(w, 14, 12) << 2) | bits(w, 7, 6), w, 4);
}

function plainImmediate(w: number): D {
  const op = bits(w, 24, 20), rn = bits(w, 19, 16), rd = bits(w, 11, 8);
  const imm12 = (bits(w, 26, 26) << 11) | (bits(w, 14, 12) << 8) | bits(w, 7, 0);
  switch (op) {
    case 0: case 10:
      if (rn === 15) { const d = rec(K.Adr, w, 4); d.b = rd; d.imm = op === 0 ? imm12 : -imm12; return d; }
      return dpImm(op === 0 ? OP.add : OP.sub, 0, rn, rd, imm12, -1, w, 4);
    case 4: case 12: { const d = rec(op === 4 ? K.Movw : K.Movt, w, 4); d.b = rd; d.imm = (bits(w, 19, 16) << 12) | imm12; return d; }
    case 16: case 18: case 24: case 26: {
      const sh = bits(w, 21, 21), amount = (bits(w, 14, 12) << 2) | bits(w, 7, 6);
      if (sh && amount === 0) { const d = rec(K.Sat16, w, 4); d.b = rd; d.c = rn; d.x = op >= 24 ? 1 : 0; d.imm = bits(w, 3, 0); return d; }
      const d = rec(K.Sat, w, 4);
      d.b = rd; d.c = rn; d.x = op >= 24 ? 1 : 0; d.imm = bits(w, 4, 0); d.y = sh; d.s = amount;
      return d;
    }
    case 20: case 28: {
      const d = rec(K.Bfx, w, 4);
      d.b = rd; d.c = rn; d.x = op === 28 ? 1 : 0; d.imm = (bits(w, 14, 12) << 2) | bits(w, 7, 6); d.y = bits(w, 4, 0) + 1;
      return d;
    }
    case 22: {
      const d = rec(K.Bfi, w, 4);
      d.b = rd; d.c = rn; d.imm = (bits(w, 14, 12) << 2) | bits(w, 7, 6); d.y = bits(w, 4, 0);
      return d;
    }
  }
  return undef(w, 4);
}

function branchesAndMisc(w: number): D {
  const op1 = bits(w, 14, 12), op = bits(w, 26, 20);
  if ((op1 & 5) === 0) {
    if ((op & 0x38) !== 0x38) {
      const imm = (bits(w, 26, 26) << 20) | (bits(w, 11, 11) << 19) | (bits(w, 13, 13) << 18) | (bits(w, 21, 16) << 12) | (bits(w, 10, 0) << 1);
      const d = rec(K.BT, w, 4);
      d.cond = bits(w, 25, 22); d.imm = (imm << 11) >> 11;
      return d;
    }
    if ((op & 0x7e) === 0x38) {
      if (bits(w, 5, 5)) { const d = rec(K.MsrBanked, w, 4); d.x = bits(w, 20, 20); d.y = (bits(w, 4, 4) << 4) | bits(w, 11, 8); d.c = bits(w, 19, 16); return d; }
      const d = rec(K.MsrReg, w, 4); d.x = bits(w, 20, 20); d.y = bits(w, 11, 8); d.c = bits(w, 19, 16);
      return d;
    }
    if (op === 0x3a) {
      if (bits(w, 10, 8) === 0) { const d = rec(K.Hint, w, 4); d.imm = bits(w, 7, 0); return d; }
      const d = rec(K.Cps, w, 4);
      d.x = bits(w, 10, 9); d.y = bits(w, 8, 8); d.imm = bits(w, 4, 0); d.s = bits(w, 7, 5);
      return d;
    }
    if (op === 0x3b) {
      const o = bits(w, 7, 4);
      if (o === 2) return rec(K.Clrex, w, 4);
      if (o >= 4 && o <= 6) return rec(K.Barrier, w, 4);
      return undef(w, 4);
    }
    if (op === 0x3c) { const d = rec(K.Bxj, w, 4); d.c = bits(w, 19, 16); return d; }
    if (op === 0x3d) { const d = rec(K.SubsPcLr, w, 4); d.imm = bits(w, 7, 0); return d; }
    if ((op & 0x7e) === 0x3e) {
      if (bits(w, 5, 5)) { const d = rec(K.MrsBanked, w, 4); d.x = bits(w, 20, 20); d.y = (bits(w, 4, 4) << 4) | bits(w, 19, 16); d.b = bits(w, 11, 8); return d; }
      const d = rec(K.Mrs, w, 4); d.x = bits(w, 20, 20); d.b = bits(w, 11, 8);
      return d;
    }
    if (op === 0x7e && op1 === 0) { const d = rec(K.Hvc, w, 4); d.imm = (bits(w, 19, 16) << 12) | bits(w, 11, 0); return d; }
    if (op === 0x7f && op1 === 0) { const d = rec(K.Smc, w, 4); d.imm = bits(w, 19, 16); return d; }
    if (op === 0x7f && op1 === 2) return rec(K.Udf, w, 4);
    return undef(w, 4);
  }
  const sBit = bits(w, 26, 26), j1 = bits(w, 13, 13), j2 = bits(w, 11, 11);
  const i1 = 1 - (j1 ^ sBit), i2 = 1 - (j2 ^ sBit);
  const imm = (sBit << 24) | (i1 << 23) | (i2 << 22) | (bits(w, 25, 16) << 12) | (bits(w, 10, 0) << 1);
  const offset = (imm << 7) >> 7;
  const d = rec((op1 & 5) === 1 ? K.BT : (op1 & 5) === 5 ? K.BlT : K.BlxT, w, 4);
  d.imm = offset;
  if (d.k === K.BlxT && (w & 1)) return undef(w, 4);
  return d;
}

function loadStoreMultiple(w: number): D {
  const op = bits(w, 24, 23), wb = bits(w, 21, 21), l = bits(w, 20, 20), rn = bits(w, 19, 16), list = bits(w, 15, 0);
  if (op === 0 || op === 3) {
    const d = rec(l ? K.Rfe : K.Srs, w, 4);
    d.x = op === 0 ? 2 : 1; d.y = wb; d.a = rn; d.imm = bits(w, 4, 0);
    return d;
  }
  const d = rec(l ? K.Ldm : K.Stm, w, 4);
  d.a = rn; d.imm = list; d.x = op === 1 ? 1 : 2; d.y = wb;
  return d;
}

function dualExclusive(w: number): D {
  const op1 = bits(w, 24, 23), op2 = bits(w, 21, 20), op3 = bits(w, 7, 4);
  const rn = bits(w, 19, 16), rt = bits(w, 15, 12), rt2 = bits(w, 11, 8), rd = bits(w, 3, 0);
  if (op1 === 0 && op2 === 0) { const d = rec(K.Strex, w, 4); d.a = rn; d.b = rt2; d.c = rt; d.x = 4; d.imm = bits(w, 7, 0) * 4; return d; }
  if (op1 === 0 && op2 === 1) { const d = rec(K.Ldrex, w, 4); d.a = rn; d.b = rt; d.x = 4; d.imm = bits(w, 7, 0) * 4; return d; }
  if (op1 === 1 && op2 === 0) {
    const size = op3 === 4 ? 1 : op3 === 5 ? 2 : op3 === 7 ? 8 : 0;
    if (!size) return undef(w, 4);
    const d = rec(K.Strex, w, 4); d.a = rn; d.b = rd; d.c = rt; d.d = rt2; d.x = size;
    return d;
  }
  if (op1 === 1 && op2 === 1) {
    if (op3 === 0 || op3 === 1) { const d = rec(K.Tb, w, 4); d.a = rn; d.c = rd; d.x = op3; return d; }
    const size = op3 === 4 ? 1 : op3 === 5 ? 2 : op3 === 7 ? 8 : 0;
    if (!size) return undef(w, 4);
    const d = rec(K.Ldrex, w, 4); d.a = rn; d.b = rt; d.d = rt2; d.x = size;
    return d;
  }
  const p = bits(w, 24, 24), u = bits(w, 23, 23), wb = bits(w, 21, 21), l = bits(w, 20, 20);
  const d = mem(l ? K.Ldrd : K.Strd, rn, rt, p, u, wb, w, 4);
  d.d = rt2; d.s = 2; d.imm = bits(w, 7, 0) * 4; // s = 2: T32 addressing (see ldrdStrd)
  return d;
}

function loadStoreSingle(w: number): D {
  const size = bits(w, 22, 21), l = bits(w, 20, 20), signed = bits(w, 24, 24), rn = bits(w, 19, 16), rt = bits(w, 15, 12);
  if (size === 3 || (!l && signed)) return undef(w, 4);
  if (l && rt === 15 && size !== 2) return rec(K.Pld, w, 4); // PLD/PLDW/PLI
  const word = size === 2, half = size === 1;
  // y for the halfword/signed kinds: 2 strh, 3 ldrh, 5 ldrsb, 7 ldrsh
  const hy = half ? (l ? (signed ? 7 : 3) : 2) : 5;
  const useH = half || (signed && size === 0);
  const make = (regForm: boolean, p: number, u: number, wb: number): D => {
    if (useH) {
      const d = mem(regForm ? K.LdrhEtcReg : K.LdrhEtc, rn, rt, p, u, wb, w, 4);
      d.y = hy; d.s = regForm ? 0 : 1;
      return d;
    }
    const d = mem(regForm ? (l ? K.LdrReg : K.StrReg) : (l ? K.Ldr : K.Str), rn, rt, p, u, wb, w, 4);
    d.s = word ? 0 : 1;
    return d;
  };
  if (rn === 15) { const d = make(false, 1, bits(w, 23, 23), 0); d.imm = bits(w, 11, 0); return d; }
  if (bits(w, 23, 23)) { const d = make(false, 1, 1, 0); d.imm = bits(w, 11, 0); return d; }
  const op2 = bits(w, 11, 6);
  if (op2 === 0) { const d = make(true, 1, 1, 0); d.c = bits(w, 3, 0); if (!useH) d.y = 0; d.imm = bits(w, 5, 4); return d; }
  const imm8 = bits(w, 7, 0), p = bits(w, 10, 10), u = bits(w, 9, 9), wb = bits(w, 8, 8);
  if ((op2 & 0x3c) === 0x38) return unprivileged(make(false, 0, 1, 1), imm8);
  if ((op2 & 0x3c) === 0x30 && !wb) { const d = make(false, 1, 0, 0); d.imm = imm8; return d; }
  if ((op2 & 0x24) === 0x24) { const d = make(false, p, u, wb); d.imm = imm8; return d; }
  return undef(w, 4);
}

/** LDRT/STRT/…: the A32 executor treats P=0, W=1 as unprivileged post-indexed; Thumb's are offset-only, so mark them. */
function unprivileged(d: D, imm8: number): D {
  d.imm = imm8;
  d.x = 0b011; // P=0 U=1 W=1 → unprivileged in the A32 executor
  d.d = 1; // Thumb form: offset addressing, no writeback
  return d;
}

const PAR_KIND = [1, 2, 3, -1, 5, 6, 7, -1]; // U:op bits 6,5:4 → A32 prefix code (s 1, q 2, sh 3, u 5, uq 6, uh 7)
const PAR_OP = [4, 0, 1, -1, 7, 3, 2, -1]; // op1<2:0>: add8, add16, asx, -, sub8, sub16, sax

function dataProcessingRegister(w: number): D {
  const op1 = bits(w, 23, 20), op2 = bits(w, 7, 4), rn = bits(w, 19, 16), rd = bits(w, 11, 8), rm = bits(w, 3, 0);
  if ((op1 & 8) === 0 && op2 === 0) {
    const d = rec(K.DpRegShift, w, 4);
    d.x = OP.mov; d.s = bits(w, 20, 20); d.b = rd; d.c = rn; d.d = rm; d.y = bits(w, 22, 21);
    return d;
  }
  if ((op1 & 8) === 0 && (op2 & 8) === 8) {
    const x = [3, 7, 0, 4, 2, 6][op1];
    if (x === undefined) return undef(w, 4);
    const d = rec(K.Extend, w, 4);
    d.a = rn; d.b = rd; d.c = rm; d.x = x; d.imm = bits(w, 5, 4) * 8;
    return d;
  }
  if ((op1 & 8) === 8 && (op2 & 8) === 0) {
    const kind = PAR_KIND[(bits(w, 6, 6) << 2) | bits(w, 5, 4)], op = PAR_OP[op1 & 7];
    if (kind < 0 || op < 0) return undef(w, 4);
    const d = rec(K.Parallel, w, 4);
    d.x = kind; d.y = op; d.a = rn; d.b = rd; d.c = rm;
    return d;
  }
  if ((op1 & 0xc) === 8 && (op2 & 0xc) === 8) {
    const sel = ((op1 & 3) << 2) | (op2 & 3);
    if (sel <= 3) { const d = rec(K.Qadd, w, 4); d.x = [0, 2, 1, 3][sel]; d.a = rn; d.b = rd; d.c = rm; return d; }
    const k = ({ 4: K.Rev, 5: K.Rev16, 6: K.Rbit, 7: K.Revsh, 8: K.Sel, 12: K.Clz } as Record<number, K>)[sel];
    if (k === undefined) return undef(w, 4);
    const d = rec(k, w, 4);
    d.a = rn; d.b = rd; d.c = k === K.Sel ? rm : rm;
    return d;
  }
  return undef(w, 4);
}

function multiply32(w: number): D {
  const op1 = bits(w, 22, 20), op2 = bits(w, 5, 4), rn = bits(w, 19, 16), ra = bits(w, 15, 12), rd = bits(w, 11, 8), rm = bits(w, 3, 0);
  if (bits(w, 7, 6) !== 0) return undef(w, 4); // A6.3.16: hw2 bits 7:6 are 00 in every encoding of this space
  switch (op1) {
    case 0:
      if (op2 === 0) { const d = rec(K.Mul, w, 4); d.a = rd; d.b = ra; d.c = rm; d.d = rn; d.x = ra === 15 ? 0 : 1; return d; }
      if (op2 === 1) { const d = rec(K.Mls, w, 4); d.a = rd; d.b = ra; d.c = rm; d.d = rn; return d; }
      break;
    case 1: { const d = rec(K.MulHalf, w, 4); d.a = rd; d.b = ra; d.c = rm; d.d = rn; d.x = ra === 15 ? 3 : 0; d.y = (bits(w, 4, 4) << 1) | bits(w, 5, 5); return d; }
    case 2: case 4: {
      if (op2 > 1) break;
      const d = rec(K.SignedMul, w, 4); d.a = rd; d.b = ra; d.c = rm; d.d = rn; d.x = 0; d.y = (op1 === 4 ? 2 : 0) | op2;
      return d;
    }
    case 3: {
      if (op2 > 1) break;
      const d = rec(K.MulHalf, w, 4); d.a = rd; d.b = ra; d.c = rm; d.d = rn; d.x = 1;
      d.y = (op2 << 1) | (ra === 15 ? 1 : 0);
      return d;
    }
    case 5: case 6: {
      if (op2 > 1) break;
      const d = rec(K.SignedMul, w, 4); d.a = rd; d.b = ra; d.c = rm; d.d = rn; d.x = 5; d.y = (op1 === 6 ? 6 : 0) | op2;
      return d;
    }
    case 7: if (op2 === 0) { const d = rec(K.Usad8, w, 4); d.a = rd; d.b = ra; d.c = rm; d.d = rn; return d; } break;
  }
  return undef(w, 4);
}

function longMultiply(w: number): D {
  const op1 = bits(w, 22, 20), op2 = bits(w, 7, 4), rn = bits(w, 19, 16), rdlo = bits(w, 15, 12), rdhi = bits(w, 11, 8), rm = bits(w, 3, 0);
  const long = (x: number) => { const d = rec(K.MulLong, w, 4); d.a = rdhi; d.b = rdlo; d.c = rm; d.d = rn; d.x = x; return d; };
  switch (op1) {
    case 0: if (op2 === 0) return long(6); break;
    case 1: if (op2 === 15) { const d = rec(K.Div, w, 4); d.a = rdhi; d.c = rm; d.d = rn; d.x = 1; return d; } break;
    case 2: if (op2 === 0) return long(4); break;
    case 3: if (op2 === 15) { const d = rec(K.Div, w, 4); d.a = rdhi; d.c = rm; d.d = rn; d.x = 0; return d; } break;
    case 4:
      if (op2 === 0) return long(7);
      if ((op2 & 0xc) === 8) { const d = rec(K.MulHalf, w, 4); d.a = rdhi; d.b = rdlo; d.c = rm; d.d = rn; d.x = 2; d.y = ((op2 & 1) << 1) | ((op2 >> 1) & 1); return d; }
      if ((op2 & 0xe) === 0xc) { const d = rec(K.SignedMul, w, 4); d.a = rdhi; d.b = rdlo; d.c = rm; d.d = rn; d.x = 4; d.y = op2 & 1; return d; }
      break;
    case 5: if ((op2 & 0xe) === 0xc) { const d = rec(K.SignedMul, w, 4); d.a = rdhi; d.b = rdlo; d.c = rm; d.d = rn; d.x = 4; d.y = 2 | (op2 & 1); return d; } break;
    case 6:
      if (op2 === 0) return long(5);
      if (op2 === 6) { const d = rec(K.Umaal, w, 4); d.a = rdhi; d.b = rdlo; d.c = rm; d.d = rn; return d; }
      break;
  }
  return undef(w, 4);
}

function coprocessor32(w: number): D {
  const coproc = bits(w, 11, 8), op1 = bits(w, 25, 20);
  if (bits(w, 28, 28)) return undef(w, 4); // the "2" forms
  if (coproc === 10 || coproc === 11) return rec(K.Vfp, w, 4);
  if ((op1 & 0x3e) === 0x04) { const d = rec(op1 & 1 ? K.Mrrc : K.Mcrr, w, 4); d.b = bits(w, 15, 12); d.a = bits(w, 19, 16); d.x = coproc; d.y = bits(w, 7, 4); d.c = bits(w, 3, 0); return d; }
  if ((op1 & 0x30) === 0x20 && bits(w, 4, 4)) {
    const d = rec(bits(w, 20, 20) ? K.Mrc : K.Mcr, w, 4);
    d.x = coproc; d.y = bits(w, 23, 21); d.a = bits(w, 19, 16); d.b = bits(w, 15, 12); d.c = bits(w, 3, 0); d.d = bits(w, 7, 5);
    return d;
  }
  return rec(K.Coproc, w, 4);
}

function thumb32(w: number): D {
  const op1 = bits(w, 28, 27), op2 = bits(w, 26, 20);
  if (op1 === 1) {
    if ((op2 & 0x64) === 0x00) return loadStoreMultiple(w);
    if ((op2 & 0x64) === 0x04) return dualExclusive(w);
    if ((op2 & 0x60) === 0x20) return bits(w, 15, 15) ? undef(w, 4) : dataProcessing32(w, false);
    return coprocessor32(w);
  }
  if (op1 === 2) {
    if (bits(w, 15, 15)) return branchesAndMisc(w);
    return (op2 & 0x20) === 0 ? dataProcessing32(w, true) : plainImmediate(w);
  }
  if ((op2 & 0x71) === 0x00 || (op2 & 0x67) === 0x01 || (op2 & 0x67) === 0x03 || (op2 & 0x67) === 0x05) return loadStoreSingle(w);
  if ((op2 & 0x70) === 0x20) return dataProcessingRegister(w);
  if ((op2 & 0x78) === 0x30) return multiply32(w);
  if ((op2 & 0x78) === 0x38) return longMultiply(w);
  if ((op2 & 0x40) === 0x40) return coprocessor32(w);
  return undef(w, 4);
}

/** Decodes the Thumb instruction starting with `hw1` (`hw2` is only read for 32-bit ones). */
export function decodeT32(hw1: number, hw2: number): D {
  return isT32Wide(hw1) ? thumb32(((hw1 << 16) | hw2) >>> 0) : thumb16(hw1);
}
