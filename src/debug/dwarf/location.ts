// DWARF location expressions (DWARF 2 to 5, 32-bit targets): the stack machine of section 2.5 and
// the location descriptions of section 2.6 (memory, register, implicit value, stack value, pieces),
// as optimising compilers emit them for variables in registers, computed values and values split
// over several places. DW_OP_entry_value asks the caller (the frame's call site) for the value a
// register had on entry; what cannot be computed is "optimized out", as gdb shows it.
import { Reader } from './reader';

/** Where one part of a value is. */
export type Place =
  | { kind: 'memory'; address: number }
  | { kind: 'register'; reg: number }
  | { kind: 'value'; value: number }
  | { kind: 'bytes'; bytes: Uint8Array }
  | { kind: 'optimized' };

/** A location: one place for the whole object, or pieces of `size` bytes each. */
export interface Location {
  pieces: { place: Place; size?: number }[];
}

export class OptimizedOut extends Error {
  constructor(why = 'optimized out') { super(why); }
}

export class UnsupportedExpression extends Error {}

export interface LocationContext {
  /** A register of the frame (undefined when the unwinder could not recover it). */
  reg(n: number): number | undefined;
  /** DW_AT_frame_base of the function, evaluated (DW_OP_fbreg). */
  frameBase?(): number | undefined;
  /** The frame's canonical frame address (DW_OP_call_frame_cfa). */
  cfa?(): number | undefined;
  read(address: number, size: number): Uint8Array | undefined;
  /** The value the sub-expression (usually DW_OP_regN) had on entry to the function; throws OptimizedOut when unknown. */
  entryValue?(expr: Uint8Array): number;
  /** An entry of .debug_addr (DW_OP_addrx, DW_OP_constx). */
  addrx?(index: number): number;
}

const u32 = (n: number) => n >>> 0;

function readWord(ctx: LocationContext, address: number, size: number): number {
  const b = ctx.read(u32(address), size);
  if (!b) throw new OptimizedOut(`cannot read memory at 0x${u32(address).toString(16)}`);
  let v = 0;
  for (let k = size - 1; k >= 0; k--) v = v * 256 + b[k];
  return u32(v);
}

function regValue(ctx: LocationContext, n: number): number {
  const v = ctx.reg(n);
  if (v === undefined) throw new OptimizedOut(`r${n} not saved in this frame`);
  return v;
}

/** Evaluates a location expression (DW_AT_location, DW_AT_frame_base, a location-list entry). */
export function evaluateLocation(expr: Uint8Array, ctx: LocationContext, depth = 0): Location {
  if (expr.length === 0) return { pieces: [{ place: { kind: 'optimized' } }] };
  const r = new Reader(expr, 0);
  const stack: number[] = [];
  const pieces: Location['pieces'] = [];
  let place: Place | undefined;
  const pop = () => {
    if (stack.length === 0) throw new UnsupportedExpression('DWARF expression stack underflow');
    return stack.pop()!;
  };
  const push = (v: number) => stack.push(u32(v));
  const s32 = (v: number) => v | 0;
  while (r.pos < expr.length) {
    const op = r.u8();
    if (op >= 0x30 && op <= 0x4f) { push(op - 0x30); continue; } // DW_OP_lit*
    if (op >= 0x50 && op <= 0x6f) { place = { kind: 'register', reg: op - 0x50 }; continue; } // DW_OP_reg*
    if (op >= 0x70 && op <= 0x8f) { push(regValue(ctx, op - 0x70) + r.sleb()); continue; } // DW_OP_breg*
    switch (op) {
      case 0x03: push(r.u32()); break; // addr
      case 0x06: push(readWord(ctx, pop(), 4)); break; // deref
      case 0x08: push(r.u8()); break; // const1u
      case 0x09: push((r.u8() << 24) >> 24); break; // const1s
      case 0x0a: push(r.u16()); break; // const2u
      case 0x0b: push((r.u16() << 16) >> 16); break; // const2s
      case 0x0c: case 0x0d: push(r.u32()); break; // const4u/s
      case 0x0e: case 0x0f: { const lo = r.u32(); r.u32(); push(lo); break; } // const8u/s: the low word (32-bit generic type)
      case 0x10: push(r.uleb()); break; // constu
      case 0x11: push(r.sleb()); break; // consts
      case 0x12: { const v = pop(); push(v); push(v); break; } // dup
      case 0x13: pop(); break; // drop
      case 0x14: { if (stack.length < 2) throw new UnsupportedExpression('DW_OP_over on a short stack'); push(stack[stack.length - 2]); break; }
      case 0x15: { const i = r.u8(); if (i >= stack.length) throw new UnsupportedExpression('DW_OP_pick past the stack'); push(stack[stack.length - 1 - i]); break; }
      case 0x16: { const a = pop(), b = pop(); push(a); push(b); break; } // swap
      case 0x17: { const a = pop(), b = pop(), c = pop(); push(a); push(c); push(b); break; } // rot
      case 0x19: push(Math.abs(s32(pop()))); break; // abs
      case 0x1a: { const b = pop(), a = pop(); push(a & b); break; }
      case 0x1b: { const b = s32(pop()), a = s32(pop()); if (b === 0) throw new OptimizedOut('division by zero'); push(Math.trunc(a / b)); break; } // div (signed)
      case 0x1c: { const b = pop(), a = pop(); push(a - b); break; } // minus
      case 0x1d: { const b = pop(), a = pop(); if (b === 0) throw new OptimizedOut('division by zero'); push(a % b); break; } // mod (unsigned)
      case 0x1e: { const b = pop(), a = pop(); push(Math.imul(a, b)); break; } // mul
      case 0x1f: push(-s32(pop())); break; // neg
      case 0x20: push(~pop()); break; // not
      case 0x21: { const b = pop(), a = pop(); push(a | b); break; }
      case 0x22: { const b = pop(), a = pop(); push(a + b); break; } // plus
      case 0x23: push(pop() + r.uleb()); break; // plus_uconst
      case 0x24: { const b = pop(), a = pop(); push(b >= 32 ? 0 : a << b); break; } // shl
      case 0x25: { const b = pop(), a = pop(); push(b >= 32 ? 0 : a >>> b); break; } // shr
      case 0x26: { const b = pop(), a = pop(); push(s32(a) >> Math.min(b, 31)); break; } // shra
      case 0x27: { const b = pop(), a = pop(); push(a ^ b); break; } // xor
      case 0x28: { const off = (r.u16() << 16) >> 16; if (pop() !== 0) r.pos += off; break; } // bra
      case 0x29: case 0x2a: case 0x2b: case 0x2c: case 0x2d: case 0x2e: { // eq ge gt le lt ne (signed)
        const b = s32(pop()), a = s32(pop());
        const t = op === 0x29 ? a === b : op === 0x2a ? a >= b : op === 0x2b ? a > b : op === 0x2c ? a <= b : op === 0x2d ? a < b : a !== b;
        push(t ? 1 : 0);
        break;
      }
      case 0x2f: { const off = (r.u16() << 16) >> 16; r.pos += off; break; } // skip
      case 0x90: place = { kind: 'register', reg: r.uleb() }; break; // regx
      case 0x91: { // fbreg
        const fb = ctx.frameBase?.();
        if (fb === undefined) throw new OptimizedOut('frame base unknown');
        push(fb + r.sleb());
        break;
      }
      case 0x92: { const n = r.uleb(); push(regValue(ctx, n) + r.sleb()); break; } // bregx
      case 0x93: { // piece
        const size = r.uleb();
        pieces.push({ place: place ?? (stack.length ? { kind: 'memory', address: pop() } : { kind: 'optimized' }), size });
        place = undefined;
        stack.length = 0;
        break;
      }
      case 0x94: { const n = r.u8(); push(readWord(ctx, pop(), n)); break; } // deref_size
      case 0x96: break; // nop
      case 0x9c: { const c = ctx.cfa?.(); if (c === undefined) throw new OptimizedOut('CFA unknown'); push(c); break; } // call_frame_cfa
      case 0x9e: { const n = r.uleb(); place = { kind: 'bytes', bytes: expr.slice(r.pos, r.pos + n) }; r.pos += n; break; } // implicit_value
      case 0x9f: place = { kind: 'value', value: pop() }; break; // stack_value
      case 0xa0: case 0xf2: throw new OptimizedOut('implicit pointer'); // implicit_pointer, GNU_implicit_pointer
      case 0xa1: case 0xa2: case 0xfb: case 0xfc: { // addrx, constx, GNU_addr_index, GNU_const_index
        const i = r.uleb();
        if (!ctx.addrx) throw new UnsupportedExpression('DW_OP_addrx without .debug_addr');
        push(ctx.addrx(i));
        break;
      }
      case 0xa3: case 0xf3: { // entry_value, GNU_entry_value
        const n = r.uleb();
        const sub = expr.slice(r.pos, r.pos + n);
        r.pos += n;
        if (!ctx.entryValue || depth > 4) throw new OptimizedOut('entry value unknown');
        push(ctx.entryValue(sub));
        break;
      }
      default:
        throw new UnsupportedExpression(`DWARF operation 0x${op.toString(16)} not supported`);
    }
  }
  if (pieces.length) return { pieces };
  if (place) return { pieces: [{ place }] };
  if (stack.length === 0) return { pieces: [{ place: { kind: 'optimized' } }] };
  return { pieces: [{ place: { kind: 'memory', address: stack[stack.length - 1] } }] };
}

/** The value of an object of `size` bytes at a location, little-endian; throws OptimizedOut. */
export function locationBytes(loc: Location, size: number, ctx: LocationContext): Uint8Array {
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of loc.pieces) {
    const n = Math.min(p.size ?? size - at, size - at);
    if (n <= 0) break;
    const pl = p.place;
    let bytes: Uint8Array | undefined;
    switch (pl.kind) {
      case 'memory': bytes = ctx.read(pl.address, n); if (!bytes) throw new OptimizedOut(`cannot read memory at 0x${pl.address.toString(16)}`); break;
      case 'register': {
        // An object wider than a register continues in the next ones (gdb's rule for r0:r1 pairs).
        bytes = new Uint8Array(n);
        for (let k = 0; k < n; k += 4) {
          const v = regValue(ctx, pl.reg + k / 4);
          for (let j = 0; j < 4 && k + j < n; j++) bytes[k + j] = (v >>> (8 * j)) & 0xff;
        }
        break;
      }
      case 'value': bytes = new Uint8Array(n); for (let j = 0; j < n && j < 4; j++) bytes[j] = (pl.value >>> (8 * j)) & 0xff; break;
      case 'bytes': bytes = new Uint8Array(n); bytes.set(pl.bytes.subarray(0, n)); break;
      case 'optimized': throw new OptimizedOut();
    }
    out.set(bytes.subarray(0, n), at);
    at += n;
  }
  if (at < size) throw new OptimizedOut();
  return out;
}
