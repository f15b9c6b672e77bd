// FPSCR and FPEXC bit layout (ARMv7-A, VFPv4) and what a Cortex-A15 with VFPv4-D32 and without
// Advanced SIMD lets software write.

/** Cumulative exception flags. */
export const IOC = 1 << 0;
export const DZC = 1 << 1;
export const OFC = 1 << 2;
export const UFC = 1 << 3;
export const IXC = 1 << 4;
export const IDC = 1 << 7;

export const RMODE_SHIFT = 22;
export const FZ = 1 << 24;
export const DN = 1 << 25;
export const AHP = 1 << 26;
/** Short-vector fields: writable, but any value other than zero makes vector-capable instructions UNDEFINED. */
export const LEN_STRIDE = (7 << 16) | (3 << 20);

/** FPSCR bits that rule out the JS-double fast paths: a directed rounding mode or flush-to-zero. */
export const SLOW_MODES = (3 << 22) | FZ;

/** Rounding modes (FPSCR.RMode). */
export const enum RMode { Nearest = 0, PlusInf = 1, MinusInf = 2, Zero = 3 }

/**
 * Writable FPSCR bits: NZCV, AHP, DN, FZ, RMode, Stride, Len and the cumulative flags. QC (bit 27) is
 * RES0 without Advanced SIMD, FZ16 (bit 19) without FP16 arithmetic, and the trap enables read as zero
 * because the A15 does not implement trapped floating-point exceptions.
 */
export const FPSCR_WRITABLE = 0xf7f7009f;

export const FPEXC_EN = 1 << 30;
