// Raw register access for the slow path: S registers as 32-bit and D registers as 64-bit BigInt patterns.
import type { Vfpv4Unit } from './unit';

export function getBits(u: Vfpv4Unit, i: number, dbl: boolean): bigint {
  const R = u.regs;
  return dbl ? (BigInt(R[2 * i + 1]) << 32n) | BigInt(R[2 * i]) : BigInt(R[i]);
}
export function setBits(u: Vfpv4Unit, i: number, dbl: boolean, v: bigint): void {
  const R = u.regs;
  if (dbl) { R[2 * i] = Number(v & 0xffffffffn); R[2 * i + 1] = Number(v >> 32n); } else R[i] = Number(v);
}
