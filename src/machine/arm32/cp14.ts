// CP14 as a Cortex-A15 guest sees it on QEMU's virt board (target/arm/debug_helper.c, helper.c
// t2ee_cp_reginfo and jazelle_regs): the v7.1 debug registers with storage, ThumbEE's TEECR/TEEHBR and the
// trivial Jazelle registers. Linux needs them: hw_breakpoint.c probes DBGDIDR, clears the OS lock, zeroes
// every breakpoint/watchpoint pair, enables monitor mode through DBGDSCRext and reads it back through
// DBGDSCRint, and probes the widest watchpoint by writing BAS = 0xff and reading it back; ID_PFR0 reports
// ThumbEE, so Linux's thumbee notifier writes TEEHBR on every context switch.
// The registers hold what is written; debug events themselves (breakpoint/watchpoint exceptions raised by
// the guest's own debug registers) are not generated. Anything else throws UndefinedInstruction.
import { UndefinedInstruction } from './contracts';

/** DBGDIDR of QEMU's cortex-a15: WRPs 3 (4 watchpoints), BRPs 5 (6 breakpoints), CTX_CMPs 1, v7.1 debug. */
export const DBGDIDR = 0x3515f021;
const BRPS = 6, WRPS = 4;
const OSLAR_KEY = 0xc5acce55;

export class Cp14 {
  readonly bvr = new Uint32Array(BRPS);
  readonly bcr = new Uint32Array(BRPS);
  readonly wvr = new Uint32Array(WRPS);
  readonly wcr = new Uint32Array(WRPS);
  /** DBGDSCR: DBGDSCRext and DBGDSCRint are views of one register (QEMU: MDSCR_EL1). */
  dscr = 0;
  vcr = 0;
  /** DBGOSLSR: OSLM = 0b10, OSLK set out of reset (QEMU's oslsr_el1 reset value 10). */
  oslsr = 0xa;
  osdlr = 0;
  prcr = 0;
  teecr = 0;
  teehbr = 0;

  read(opc1: number, crn: number, crm: number, opc2: number, privileged: boolean): number {
    if (opc1 === 0) {
      if (crn === 0 && crm === 0 && opc2 === 0) return DBGDIDR;
      if (crn === 1 && crm === 0 && opc2 === 0) return 0; // DBGDRAR: no memory-mapped debug
      if (crn === 2 && crm === 0 && opc2 === 0) return 0; // DBGDSAR
      if (crn === 0 && crm === 1 && opc2 === 0) return this.dscr >>> 0; // DBGDSCRint
      if (!privileged) throw UndefinedInstruction.instance;
      if (crn === 0) {
        if (crm === 2 && opc2 === 2) return this.dscr >>> 0; // DBGDSCRext
        if (crm === 7 && opc2 === 0) return this.vcr >>> 0;
        if (opc2 === 4 && crm < BRPS) return this.bvr[crm];
        if (opc2 === 5 && crm < BRPS) return this.bcr[crm];
        if (opc2 === 6 && crm < WRPS) return this.wvr[crm];
        if (opc2 === 7 && crm < WRPS) return this.wcr[crm];
      }
      if (crn === 1 && opc2 === 4) {
        if (crm === 1) return this.oslsr;
        if (crm === 3) return this.osdlr;
        if (crm === 4) return this.prcr;
      }
      throw UndefinedInstruction.instance;
    }
    if (opc1 === 6 && crm === 0 && opc2 === 0) {
      if (crn === 0 && privileged) return this.teecr;
      if (crn === 1 && (privileged || (this.teecr & 1) === 0)) return this.teehbr >>> 0;
    }
    if (opc1 === 7 && crm === 0 && opc2 === 0 && privileged && crn <= 2) return 0; // JIDR, JOSCR, JMCR
    throw UndefinedInstruction.instance;
  }

  write(opc1: number, crn: number, crm: number, opc2: number, value: number, privileged: boolean): void {
    value >>>= 0;
    if (opc1 === 0 && privileged) {
      if (crn === 0) {
        if (crm === 2 && opc2 === 2) { this.dscr = value; return; }
        if (crm === 7 && opc2 === 0) { this.vcr = value; return; }
        if (opc2 === 4 && crm < BRPS) { this.bvr[crm] = value; return; }
        if (opc2 === 5 && crm < BRPS) { this.bcr[crm] = value; return; }
        if (opc2 === 6 && crm < WRPS) { this.wvr[crm] = value; return; }
        if (opc2 === 7 && crm < WRPS) { this.wcr[crm] = value; return; }
      }
      if (crn === 1 && opc2 === 4) {
        if (crm === 0) { this.oslsr = (this.oslsr & ~2) | (value === OSLAR_KEY ? 2 : 0); return; } // DBGOSLAR
        if (crm === 3) { this.osdlr = value & 1; return; }
        if (crm === 4) { this.prcr = value; return; }
      }
      throw UndefinedInstruction.instance;
    }
    if (opc1 === 6 && crm === 0 && opc2 === 0) {
      if (crn === 0 && privileged) { this.teecr = value & 1; return; }
      if (crn === 1 && (privileged || (this.teecr & 1) === 0)) { this.teehbr = value; return; }
    }
    if (opc1 === 7 && crm === 0 && opc2 === 0 && privileged && (crn === 1 || crn === 2)) return; // JOSCR, JMCR: RAZ/WI
    throw UndefinedInstruction.instance;
  }
}
