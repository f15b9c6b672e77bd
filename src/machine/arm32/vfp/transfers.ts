// VFP register transfers (VMOV between core and VFP registers, the 32-bit scalar forms) and loads and
// stores (VLDR/VSTR, VLDM/VSTM, VPUSH/VPOP, the 64-bit VMOV pairs). Encodings that QEMU's cortex-a15
// rejects (non-zero should-be-zero fields, Advanced SIMD sizes, PC-relative writeback, register lists
// running past D31/S31 or empty) are UNDEFINED here too.
import { UndefinedInstruction } from '../contracts';
import type { Vfpv4Unit } from './unit';

const undef = (): never => { throw UndefinedInstruction.instance; };

/** Coprocessor register transfers with bit 4 set (MCR/MRC space of cp10/cp11), except VMRS/VMSR. */
export function transfer(u: Vfpv4Unit, w: number): void {
  const R = u.regs, host = u.host;
  const load = (w >>> 20) & 1, rt = (w >>> 12) & 15;
  if ((w & 0x100) === 0) {
    // VMOV Sn <-> Rt
    if (((w >>> 21) & 7) !== 0 || (w & 0x7f) !== 0x10) undef();
    const s = (((w >>> 16) & 15) << 1) | ((w >>> 7) & 1);
    if (load) host.setReg(rt, R[s]); else R[s] = host.getReg(rt);
    return;
  }
  // VMOV.32 Dd[x] <-> Rt; 8- and 16-bit lanes and VDUP are Advanced SIMD.
  if ((w & 0x00800000) !== 0 || (w & 0x00400000) !== 0 || (w & 0x7f) !== 0x10) undef();
  const d = (((w >>> 7) & 1) << 4) | ((w >>> 16) & 15);
  const idx = 2 * d + ((w >>> 21) & 1);
  if (load) host.setReg(rt, R[idx]); else R[idx] = host.getReg(rt);
}

/** LDC/STC space of cp10/cp11 and the MCRR/MRRC 64-bit transfers. */
export function loadStore(u: Vfpv4Unit, w: number): void {
  const R = u.regs, host = u.host;
  const dbl = (w & 0x100) !== 0;
  const p = (w >>> 24) & 1, up = (w >>> 23) & 1, wb = (w >>> 21) & 1, load = (w >>> 20) & 1, rn = (w >>> 16) & 15;
  const imm8 = w & 0xff;
  if (!p && !up && !wb) {
    // VMOV two core registers <-> two singles / one double.
    if (((w >>> 22) & 1) === 0 || (w & 0xd0) !== 0x10) undef();
    const rt = (w >>> 12) & 15, rt2 = rn;
    const vm = w & 15, m = (w >>> 5) & 1;
    const lo = dbl ? 2 * ((m << 4) | vm) : (vm << 1) | m;
    // S31 with its neighbour is UNPREDICTABLE; QEMU pairs it with the low word of D16, as this array does.
    if (load) { host.setReg(rt, R[lo]); host.setReg(rt2, R[lo + 1]); } else { R[lo] = host.getReg(rt); R[lo + 1] = host.getReg(rt2); }
    return;
  }
  const vd = (w >>> 12) & 15, D = (w >>> 22) & 1;
  const first = dbl ? 2 * ((D << 4) | vd) : (vd << 1) | D;
  const mem = host.mem, user = !host.privileged;
  if (p && !wb) {
    // VLDR / VSTR: word alignment is always checked.
    const base = rn === 15 ? (host.getReg(15) & ~3) >>> 0 : host.getReg(rn);
    const addr = (up ? base + imm8 * 4 : base - imm8 * 4) >>> 0;
    mem.checkAlignment(addr, 4, !load);
    if (load) {
      const lo = mem.read32(addr, user);
      if (dbl) R[first + 1] = mem.read32((addr + 4) >>> 0, user);
      R[first] = lo;
    } else {
      mem.write32(addr, R[first], user);
      if (dbl) mem.write32((addr + 4) >>> 0, R[first + 1], user);
    }
    return;
  }
  // VLDM / VSTM (increment after, or decrement before with writeback).
  if (p === up) undef();
  if (rn === 15 && wb) undef();
  // FLDMX/FSTMX (double with an odd count) move one word fewer than imm8 but write back all of it.
  const words = dbl ? imm8 & ~1 : imm8;
  const regs = dbl ? imm8 >>> 1 : imm8;
  if (regs === 0 || (dbl ? regs > 16 || (first >>> 1) + regs > 32 : first + regs > 32)) undef();
  const base = rn === 15 ? (host.getReg(15) & ~3) >>> 0 : host.getReg(rn);
  let addr = (p ? base - imm8 * 4 : base) >>> 0;
  mem.checkAlignment(addr, 4, !load);
  for (let i = 0; i < words; i++) {
    if (load) R[first + i] = mem.read32(addr, user); else mem.write32(addr, R[first + i], user);
    addr = (addr + 4) >>> 0;
  }
  if (wb) host.setReg(rn, (up ? base + imm8 * 4 : base - imm8 * 4) >>> 0);
}
