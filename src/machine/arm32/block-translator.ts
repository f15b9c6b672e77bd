// Block translation for A32 and T32: a run of decoded instructions from one page becomes one JavaScript function
// (built with `new Function`), so V8 compiles guest code to machine code. The generated code mirrors the
// interpreter in cpu.ts statement for statement (same operand order, same memory accesses in the same
// order, same flag rules); anything not listed here ends the block and is left to the interpreter.
//
// Contract with the run loop (cpu.ts):
// - A block is entered only in ARM state, with no breakpoints, no single-step and a budget covering it.
// - It returns the number of instructions it retired and leaves r[15] at the next instruction.
// - Before each access that can fault it stores the instruction's address in c.cur; when an access throws
//   (MemoryAbort), the run loop counts the instructions up to and including c.cur and takes the abort.
// - After each memory access it checks c.att (an interrupt line rose, a stop was requested, a watchpoint hit,
//   code was written) and leaves at once, so the run loop sees the same instruction boundary as when
//   interpreting one instruction at a time.
import { K, type D, type BlockFn } from './decoded';

/** Longest block, in instructions. */
const MAX_BLOCK = 48;

const COND = [
  'c.z!==0', 'c.z===0', 'c.c!==0', 'c.c===0', 'c.n!==0', 'c.n===0', 'c.v!==0', 'c.v===0',
  '(c.c!==0&&c.z===0)', '(c.c===0||c.z!==0)', 'c.n===c.v', 'c.n!==c.v', '(c.z===0&&c.n===c.v)', '(c.z!==0||c.n!==c.v)',
];

const hex = (v: number) => '0x' + (v >>> 0).toString(16);

/** The pc value an instruction reads: its address + 8 in ARM state, + 4 in Thumb state. */
let pcOffset = 8;

/** Operand register read as the interpreter's reg(n). */
function reg(n: number, pc: number): string {
  return n === 15 ? `${(pc + pcOffset) | 0}` : `r[${n}]`;
}

/** Shift by an immediate (DecodeImmShift applied already by the decoder: amount 0 means LSL #0 / 32 / RRX). */
function shiftImm(v: string, type: number, amount: number, withCarry: boolean): { val: string; carry: string | null } {
  // `v` is an int32 expression; results are int32 (the interpreter's unsigned results, | 0).
  switch (type) {
    case 0:
      if (amount === 0) return { val: v, carry: null };
      return { val: `(${v}<<${amount})`, carry: withCarry ? `((${v}>>>${32 - amount})&1)` : null };
    case 1:
      if (amount === 0) return { val: '0', carry: withCarry ? `(${v}>>>31)` : null };
      return { val: `(${v}>>>${amount}|0)`, carry: withCarry ? `((${v}>>>${amount - 1})&1)` : null };
    case 2:
      if (amount === 0) return { val: `(${v}>>31)`, carry: withCarry ? `(${v}>>>31)` : null };
      return { val: `(${v}>>${amount})`, carry: withCarry ? `((${v}>>>${amount - 1})&1)` : null };
    default:
      if (amount === 0) return { val: `((c.c<<31)|(${v}>>>1))`, carry: withCarry ? `(${v}&1)` : null };
      return { val: `((${v}>>>${amount})|(${v}<<${32 - amount}))`, carry: withCarry ? `((${v}>>>${amount - 1})&1)` : null };
  }
}

/**
 * Data processing: `a` and `b` are int32 expressions already evaluated into locals A and B;
 * `sc` is the shifter carry expression (null: C unchanged). Mirrors Arm32Cpu.dataProc.
 */
function dataProc(op: number, s: number, rd: number, sc: string | null): string | null {
  const test = op >= 8 && op <= 11;
  if (rd === 15 && !test) return null; // writes to pc end the block (interpreter)
  let res: string, flags = '';
  switch (op) {
    case 0: case 8: res = 'A&B'; break;
    case 1: case 9: res = 'A^B'; break;
    case 12: res = 'A|B'; break;
    case 13: res = 'B'; break;
    case 14: res = 'A&~B'; break;
    case 15: res = '~B'; break;
    case 2: case 10: res = '(A-B)|0'; flags = 'c.c=(A>>>0)>=(B>>>0)?1:0;c.v=((A^B)&(A^R))>>>31;'; break;
    case 3: res = '(B-A)|0'; flags = 'c.c=(B>>>0)>=(A>>>0)?1:0;c.v=((B^A)&(B^R))>>>31;'; break;
    case 4: case 11: res = '(A+B)|0'; flags = 'c.c=(A>>>0)+(B>>>0)>0xffffffff?1:0;c.v=(~(A^B)&(A^R))>>>31;'; break;
    case 5: res = '((A>>>0)+(B>>>0)+c.c)|0'; flags = 'c.c=(A>>>0)+(B>>>0)+c.c>0xffffffff?1:0;c.v=(~(A^B)&(A^R))>>>31;'; break;
    case 6: res = '((A>>>0)-(B>>>0)-(1-c.c))|0'; flags = 'c.c=(A>>>0)>=(B>>>0)+(1-c.c)?1:0;c.v=((A^B)&(A^R))>>>31;'; break;
    case 7: res = '((B>>>0)-(A>>>0)-(1-c.c))|0'; flags = 'c.c=(B>>>0)>=(A>>>0)+(1-c.c)?1:0;c.v=((B^A)&(B^R))>>>31;'; break;
    default: return null;
  }
  const arith = flags !== '';
  let code = `R=${res};`;
  if (s) {
    // Carry and overflow are computed from the operands before C changes (ADC/SBC read the old C).
    if (arith) code += flags;
    else if (sc !== null) code += `c.c=${sc};`;
    code += 'c.n=R>>>31;c.z=R===0?1:0;';
  }
  if (!test) code += `r[${rd}]=R;`;
  return code;
}

/** Register fields each kind reads raw (r[n]); r15 there would read the wrong value, so such forms stay interpreted. */
function readsRawPc(d: D): boolean {
  switch (d.k) {
    case K.Mul: case K.Mls: return d.b === 15 || d.c === 15 || d.d === 15;
    case K.Clz: case K.Rev: case K.Rev16: case K.Bfx: return d.b === 15 || d.c === 15;
    case K.LdrhEtc: case K.LdrhEtcReg: return d.b === 15 || (d.k === K.LdrhEtcReg && d.c === 15);
    default: return false;
  }
}

/**
 * Kinds run by calling the interpreter's exec on the decoded record (they neither branch nor change mode,
 * and read the pc only through c.cur), with the register fields they write: r15 there ends the block.
 */
const CALLED: Partial<Record<K, (d: D) => number[]>> = {
  [K.MulLong]: (d) => [d.a, d.b], [K.Umaal]: (d) => [d.a, d.b], [K.MulHalf]: (d) => (d.x === 2 ? [d.a, d.b] : [d.a]),
  [K.SignedMul]: (d) => (d.x === 4 ? [d.a, d.b] : [d.a]), [K.Div]: (d) => [d.a], [K.Qadd]: (d) => [d.b],
  [K.Parallel]: (d) => [d.b], [K.Pkh]: (d) => [d.b], [K.Sat]: (d) => [d.b], [K.Sat16]: (d) => [d.b], [K.Sel]: (d) => [d.b],
  [K.Rbit]: (d) => [d.b], [K.Revsh]: (d) => [d.b], [K.Usad8]: (d) => [d.a], [K.Bfi]: (d) => [d.b],
  [K.Mrc]: () => [], [K.Vfp]: () => [], [K.Clrex]: () => [],
  [K.Ldrd]: (d) => [d.a, d.b, d.d], [K.Strd]: (d) => [d.a], [K.Ldrex]: (d) => [d.b, d.d], [K.Strex]: (d) => [d.b],
};

/** Body of one instruction (without its condition), or null when the block must end before it. */
function body(d: D, pc: number, next: string, k: number): string | null {
  const called = CALLED[d.k];
  if (called !== undefined) {
    // Register fields naming r15 as a source are read through reg() (c.cur) or mean "none" in the interpreter.
    if (called(d).includes(15)) return null;
    if ((d.k === K.Ldrd || d.k === K.Strd) && d.a === 15 && (d.x & 1)) return null;
    return `c.cur=${pc | 0};c.jn=K;c.execOne(ds[${k}]);if(c.att){r[15]=${next};return K;}`;
  }
  if (readsRawPc(d)) return null;
  const exitCheck = (k: string) => `if(c.att){r[15]=${next};return ${k};}`;
  // T32 16-bit data processing sets flags outside IT blocks (blocks are entered only with ITSTATE clear).
  const S = d.itFlags ? 1 : d.s;
  switch (d.k) {
    case K.DpImm: {
      const dp = dataProc(d.x, S, d.b, d.y < 0 ? null : String(d.y));
      return dp === null ? null : `A=${reg(d.a, pc)};B=${d.imm | 0};` + dp;
    }
    case K.DpReg: {
      const logical = !(d.x >= 2 && d.x <= 7) && !(d.x === 10 || d.x === 11);
      const sh = shiftImm('M', d.y, d.imm, S === 1 && logical);
      const dp = dataProc(d.x, S, d.b, sh.carry === null ? null : 'SC');
      if (dp === null) return null;
      return `M=${reg(d.c, pc)};` + (sh.carry !== null ? `SC=${sh.carry};` : '') + `A=${reg(d.a, pc)};B=${sh.val};` + dp;
    }
    case K.DpRegShift: {
      if (d.a === 15 || d.c === 15 || d.d === 15) return null;
      const dp = dataProc(d.x, S, d.b, 'c.shc');
      if (dp === null) return null;
      return `B=c.shiftC(r[${d.c}],${d.y},r[${d.d}]&255,true)|0;A=r[${d.a}];` + dp;
    }
    case K.Adr: return d.b === 15 ? null : `r[${d.b}]=${(((pc + 4) & ~3) + d.imm) | 0};`;
    case K.Movw: return `r[${d.b}]=${d.imm};`;
    case K.Movt: return `r[${d.b}]=(r[${d.b}]&0xffff)|${(d.imm << 16) | 0};`;
    case K.Mul: {
      if (d.a === 15) return null;
      let code = `R=(Math.imul(r[${d.d}],r[${d.c}])+${d.x === 1 ? `r[${d.b}]` : '0'})|0;r[${d.a}]=R;`;
      if (S) code += 'c.n=R>>>31;c.z=R===0?1:0;';
      return code;
    }
    case K.Mls: return d.a === 15 ? null : `r[${d.a}]=(r[${d.b}]-Math.imul(r[${d.d}],r[${d.c}]))|0;`;
    case K.Clz: return d.b === 15 ? null : `r[${d.b}]=Math.clz32(r[${d.c}]);`;
    case K.Rev: return d.b === 15 ? null : `M=r[${d.c}];r[${d.b}]=((M&0xff)<<24)|((M&0xff00)<<8)|((M>>>8)&0xff00)|(M>>>24);`;
    case K.Rev16: return d.b === 15 ? null : `M=r[${d.c}];r[${d.b}]=((M&0x00ff00ff)<<8)|((M>>>8)&0x00ff00ff);`;
    case K.Bfx: {
      const lsb = d.imm, width = d.y;
      if (lsb + width > 32 || d.b === 15) return null;
      return d.x
        ? `r[${d.b}]=${width === 32 ? `r[${d.c}]>>>${lsb}` : `(r[${d.c}]>>>${lsb})&${hex((2 ** width) - 1)}`};`
        : `r[${d.b}]=((r[${d.c}]>>>${lsb})<<${32 - width})>>${32 - width};`;
    }
    case K.Extend: {
      if (d.b === 15 || d.c === 15) return null;
      const m = d.imm === 0 ? `r[${d.c}]` : `((r[${d.c}]>>>${d.imm})|(r[${d.c}]<<${32 - d.imm}))`;
      const add = d.a === 15 ? '0' : `r[${d.a}]`;
      switch (d.x) {
        case 2: return `r[${d.b}]=(${add}+((${m}<<24)>>24))|0;`;
        case 3: return `r[${d.b}]=(${add}+((${m}<<16)>>16))|0;`;
        case 6: return `r[${d.b}]=(${add}+(${m}&0xff))|0;`;
        case 7: return `r[${d.b}]=(${add}+(${m}&0xffff))|0;`;
        default: return null;
      }
    }
    case K.Barrier: case K.Pld: return '';
    case K.Hint: return d.imm === 0 || d.imm === 1 ? '' : null; // NOP, YIELD; WFE/WFI/SEV need the run loop
    case K.Ldr: case K.Str: case K.LdrReg: case K.StrReg: {
      const p = d.x >> 2, u = (d.x >> 1) & 1, w = d.x & 1;
      const unpriv = !p && w;
      if (d.d === 1) return null; // Thumb's LDRT/STRT form (not produced by the A32 decoder)
      const user = unpriv ? 'true' : 'u';
      const load = d.k === K.Ldr || d.k === K.LdrReg;
      if (load && d.b === 15) return null; // loads to pc branch
      if (d.a === 15 && (!p || w)) return null;
      const base = d.a === 15 ? `${(pc + pcOffset) & ~3}` : `r[${d.a}]`;
      let off: string;
      if (d.k === K.Ldr || d.k === K.Str) off = String(d.imm);
      else {
        if (d.c === 15) return null;
        off = `(${shiftImm(`r[${d.c}]`, d.y, d.imm, false).val}>>>0)`;
      }
      const writeBack = !p || w;
      let code = `c.cur=${pc | 0};c.jn=K;B=${base}>>>0;OA=(${u ? `B+${off}` : `B-${off}`})>>>0;`;
      const addr = p ? 'OA' : 'B';
      if (load) {
        code += `V=${d.s ? `m.read8(${addr},${user})` : `m.read32(${addr},${user})`};`;
        if (writeBack) code += `r[${d.a}]=OA|0;`;
        code += `r[${d.b}]=V|0;`;
      } else {
        code += `V=${reg(d.b, pc)};`;
        code += d.s ? `m.write8(${addr},V,${user});` : `m.write32(${addr},V,${user});`;
        if (writeBack) code += `r[${d.a}]=OA|0;`;
      }
      return code + exitCheck('K');
    }
    case K.LdrhEtc: case K.LdrhEtcReg: {
      const p = d.x >> 2, u = (d.x >> 1) & 1, w = d.x & 1;
      const unpriv = !p && w;
      const user = unpriv ? 'true' : 'u';
      if (d.d === 1) return null;
      if (d.y !== 2 && d.b === 15) return null;
      if (d.a === 15 && (!p || w)) return null;
      if (d.y !== 2 && d.y !== 3 && d.y !== 5 && d.y !== 7) return null;
      const base = d.a === 15 ? `${(pc + pcOffset) & ~3}` : `r[${d.a}]`;
      const off = d.s ? String(d.imm) : `((r[${d.c}]<<${d.imm})>>>0)`;
      let code = `c.cur=${pc | 0};c.jn=K;B=${base}>>>0;OA=(${u ? `B+${off}` : `B-${off}`})>>>0;`;
      const addr = p ? 'OA' : 'B';
      switch (d.y) {
        case 2: code += `m.write16(${addr},r[${d.b}],${user});`; break;
        case 3: code += `V=m.read16(${addr},${user});`; break;
        case 5: code += `V=(m.read8(${addr},${user})<<24)>>24;`; break;
        default: code += `V=(m.read16(${addr},${user})<<16)>>16;`; break;
      }
      if (!p || w) code += `r[${d.a}]=OA|0;`;
      if (d.y & 1) code += `r[${d.b}]=V|0;`;
      return code + exitCheck('K');
    }
    case K.Ldm: case K.Stm: {
      const list = d.imm;
      if (d.s || d.a === 15 || list === 0) return null; // user-bank and exception-return forms: interpreter
      const load = d.k === K.Ldm;
      if (list & 0x8000 && (load || pcOffset === 4)) return null; // loads pc: a branch; T32 cannot store it
      let count = 0;
      for (let i = 0; i < 16; i++) if (list & (1 << i)) count++;
      const pu = d.x;
      const start = pu === 0 ? `B-${4 * count - 4}` : pu === 1 ? 'B' : pu === 2 ? `B-${4 * count}` : 'B+4';
      const wb = pu & 1 ? `(B+${4 * count})|0` : `(B-${4 * count})|0`;
      let code = `c.cur=${pc | 0};c.jn=K;B=r[${d.a}]>>>0;OA=(${start})>>>0;m.checkAlignment(OA,4,${load ? 'false' : 'true'});`;
      if (load) {
        const regs: number[] = [];
        for (let i = 0; i < 15; i++) if (list & (1 << i)) regs.push(i);
        regs.forEach((_, k) => { code += `L${k}=m.read32((OA+${4 * k})>>>0,u);`; });
        if (d.y && !(list & (1 << d.a))) code += `r[${d.a}]=${wb};`;
        regs.forEach((i, k) => { code += `r[${i}]=L${k}|0;`; });
      } else {
        let k = 0;
        for (let i = 0; i < 16; i++) {
          if (!(list & (1 << i))) continue;
          code += `m.write32((OA+${4 * k})>>>0,${i === 15 ? (pc + 8) | 0 : `r[${i}]`},u);`;
          k++;
        }
        if (d.y) code += `r[${d.a}]=${wb};`;
      }
      return code + exitCheck('K');
    }
    default: return null;
  }
}

/** Terminating branches: the code that sets r[15] (and lr), or null when the interpreter must do it. */
function branch(d: D, pc: number): string | null {
  switch (d.k) {
    case K.B: return `r[15]=${(pc + 8 + d.imm) | 0};`;
    case K.Bl: return `r[14]=${(pc + 4) | 0};r[15]=${(pc + 8 + d.imm) | 0};`;
    case K.Bx: return d.c === 15 ? null : `c.bxWritePc(r[${d.c}]);`;
    case K.Blx: return d.c === 15 ? null : `M=r[${d.c}];r[14]=${pcOffset === 4 ? ((pc + d.size) | 1) : (pc + 4) | 0};c.bxWritePc(M);`;
    // Thumb branches (cpu.ts exec): B<c>, BL, BLX to ARM, CBZ/CBNZ.
    case K.BT: return `r[15]=${(pc + 4 + d.imm) | 0};`;
    case K.BlT: return `r[14]=${(pc + 4) | 1};r[15]=${(pc + 4 + d.imm) | 0};`;
    case K.BlxT: return `r[14]=${(pc + 4) | 1};c.thumb=0;r[15]=${(((pc + 4) & ~3) + d.imm) | 0};`;
    case K.Cbz: return `r[15]=(r[${d.a}]!==0)===${d.x === 1}?${(pc + 4 + d.imm) | 0}:${(pc + d.size) | 0};`;
    default: return null;
  }
}

/**
 * Translates the block starting at `pc`. `at(addr)` gives the decoded instruction at a virtual address of
 * the same page (undefined past the page end or when it cannot be fetched). Thumb blocks are entered only
 * with ITSTATE clear and end before an IT instruction. Returns null when the first instruction cannot be
 * translated.
 */
export function translateBlock(pc: number, thumb: boolean, at: (addr: number) => D | undefined): { fn: BlockFn; length: number } | null {
  pcOffset = thumb ? 4 : 8;
  let code = '';
  let n = 0;
  const ds: D[] = [];
  let ended = false;
  const pageEnd = (pc & ~0xfff) + 4096;
  let ipc = pc;
  for (; n < MAX_BLOCK && ipc < pageEnd; n++) {
    const d = at(ipc >>> 0);
    if (!d) break;
    const next = `${(ipc + d.size) | 0}`;
    const cond = d.cond === 14 ? null : d.cond < 14 ? COND[d.cond] : undefined;
    if (cond === undefined) break; // unconditional space (cond 15): interpreter
    if (thumb && d.k === K.It) break;
    const br = branch(d, ipc);
    if (br !== null) {
      code += `// ${hex(ipc)}\n`;
      code += cond === null ? br : `if(${cond}){${br}}else r[15]=${next};`;
      code += `return ${n + 1};\n`;
      n++;
      ended = true;
      break;
    }
    const b = body(d, ipc, next, ds.length);
    if (b === null) break;
    if (b.includes('ds[')) ds.push(d);
    const withK = b.replace(/\bK\b/g, String(n + 1));
    code += `// ${hex(ipc)}\n` + (cond === null ? withK : `if(${cond}){${withK}}`) + '\n';
    ipc += d.size;
  }
  if (n === 0) return null;
  if (!ended) code += `r[15]=${ipc | 0};return ${n};\n`;
  const src = `"use strict";let A=0,B=0,M=0,R=0,SC=0,V=0,OA=0,${Array.from({ length: 15 }, (_, i) => `L${i}=0`).join(',')};\n${code}`;
  const fn = new Function('ds', `return function block(c, r, m, u) {${src}}`)(ds) as BlockFn;
  return { fn, length: n };
}
