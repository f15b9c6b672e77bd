// The decoded-instruction record both decoders (A32 in cpu.ts, T32 in thumb.ts) produce and the
// executor in cpu.ts runs. Field meanings per kind are listed beside the A32 decoder.

/** Decoded instruction kinds (A32). */
export const enum K {
  Undef, DpImm, DpReg, DpRegShift, Mul, MulLong, Umaal, Mls, MulHalf, Clz, Qadd, Bx, Blx, Bxj, Mrs, MsrReg, MsrImm,
  MrsBanked, MsrBanked, Hint, Svc, Bkpt, Hvc, Smc, Eret, Ldr, Str, LdrReg, StrReg, LdrhEtc, LdrhEtcReg, Ldrd, Strd,
  Ldm, Stm, B, Bl, BlxImm, Swp, Ldrex, Strex, Clrex, Barrier, Cps, Setend, Srs, Rfe, Pld, Coproc, Mcr, Mrc, Mcrr, Mrrc,
  Movw, Movt, Parallel, Pkh, Sat, Sat16, Extend, Sel, Rev, Rev16, Revsh, Rbit, SignedMul, Div, Usad8, Bfx, Bfi, Udf, Vfp,
  // Thumb-only forms
  It, Cbz, Tb, BT, BlT, BlxT, SubsPcLr, Adr,
}

export interface D {
  k: K;
  cond: number;
  /** Register fields and immediates, meaning per kind. */
  a: number; b: number; c: number; d: number;
  imm: number;
  /** Shift type, flags and small options, meaning per kind. */
  x: number; y: number; s: number;
  raw: number;
  /** Instruction size in bytes (4 for A32; 2 or 4 for T32). */
  size: number;
  /** T32 16-bit data processing: sets flags only outside an IT block. */
  itFlags?: boolean;
  /** Block translation starting at this instruction (block-translator.ts), the virtual pc it was made for, and a heat count. */
  blk: BlockFn | null;
  blkPc: number;
  blkLen: number;
  hot: number;
}

/**
 * A translated block: runs straight-line instructions from `blkPc` and returns how many it retired
 * (all of them, or fewer when it left early because the CPU needs attention). Arguments: the CPU, its
 * register file, its memory, and whether accesses are unprivileged.
 */
export type BlockFn = (c: unknown, r: Int32Array, m: unknown, u: boolean) => number;


export function mk(k: K, w: number): D {
  return { k, cond: w >>> 28, a: 0, b: 0, c: 0, d: 0, imm: 0, x: 0, y: 0, s: 0, raw: w >>> 0, size: 4, blk: null, blkPc: -1, blkLen: 0, hot: 0 };
}

