// Call-frame information (.debug_frame, and .eh_frame with the pointer encodings GCC uses): decodes
// CIEs and FDEs and runs their instructions into rows of unwind rules, the table readelf's
// --debug-dump=frames-interp prints. The unwinder uses `rowAt` to step from one frame to its caller.
import { Reader, DwarfError } from './reader';

export type RegRule =
  | { kind: 'undefined' }
  | { kind: 'same' }
  | { kind: 'offset'; offset: number }
  | { kind: 'valOffset'; offset: number }
  | { kind: 'register'; reg: number }
  | { kind: 'expression'; expr: Uint8Array }
  | { kind: 'valExpression'; expr: Uint8Array };

export type CfaRule = { kind: 'regOffset'; reg: number; offset: number } | { kind: 'expression'; expr: Uint8Array };

export interface FrameRow {
  loc: number;
  cfa: CfaRule;
  regs: Map<number, RegRule>;
}

export interface Cie {
  offset: number;
  version: number;
  augmentation: string;
  codeAlign: number;
  dataAlign: number;
  raReg: number;
  pointerEncoding: number;
  initialInstructions: Uint8Array;
}

export interface Fde {
  offset: number;
  cie: Cie;
  pcBegin: number;
  pcEnd: number;
  instructions: Uint8Array;
  /** Rows in address order; empty when the FDE has only DW_CFA_nop (readelf prints no table). */
  rows: FrameRow[];
}

export interface FrameTable {
  cies: Cie[];
  fdes: Fde[];
}

const DW_EH_PE = { absptr: 0x00, uleb128: 0x01, udata2: 0x02, udata4: 0x03, udata8: 0x04, sleb128: 0x09, sdata2: 0x0a, sdata4: 0x0b, sdata8: 0x0c, pcrel: 0x10, indirect: 0x80, omit: 0xff } as const;

/** Reads a pointer in an .eh_frame encoding; `sectionAddress` is where the section is loaded (for pcrel). */
function readEncoded(r: Reader, enc: number, sectionAddress: number): number {
  if (enc === DW_EH_PE.omit) return 0;
  const at = sectionAddress + r.pos;
  let v: number;
  switch (enc & 0x0f) {
    case DW_EH_PE.absptr: case DW_EH_PE.udata4: v = r.u32(); break;
    case DW_EH_PE.uleb128: v = r.uleb(); break;
    case DW_EH_PE.udata2: v = r.u16(); break;
    case DW_EH_PE.udata8: v = r.u64(); break;
    case DW_EH_PE.sleb128: v = r.sleb(); break;
    case DW_EH_PE.sdata2: v = (r.u16() << 16) >> 16; break;
    case DW_EH_PE.sdata4: v = r.u32() | 0; break;
    case DW_EH_PE.sdata8: v = r.u64(); break;
    default: throw new DwarfError(`unsupported pointer encoding 0x${enc.toString(16)}`);
  }
  if ((enc & 0x70) === DW_EH_PE.pcrel) v += at;
  return v >>> 0;
}

function runInstructions(code: Uint8Array, cie: Cie, start: number, initial: FrameRow | null, rows: FrameRow[] | null): FrameRow {
  const r = new Reader(code);
  let loc = start;
  let cur: FrameRow = initial
    ? { loc, cfa: initial.cfa, regs: new Map(initial.regs) }
    : { loc, cfa: { kind: 'regOffset', reg: 0, offset: 0 }, regs: new Map() };
  const stack: FrameRow[] = [];
  const advance = (delta: number) => {
    rows?.push({ loc: cur.loc, cfa: cur.cfa, regs: new Map(cur.regs) });
    loc += delta * cie.codeAlign;
    cur = { loc, cfa: cur.cfa, regs: cur.regs };
  };
  const restore = (reg: number) => {
    const rule = initial?.regs.get(reg);
    if (rule) cur.regs.set(reg, rule); else cur.regs.delete(reg);
  };
  const expr = (): Uint8Array => { const len = r.uleb(); const e = code.slice(r.pos, r.pos + len); r.skip(len); return e; };
  while (!r.done) {
    const op = r.u8();
    const hi = op & 0xc0, low = op & 0x3f;
    if (hi === 0x40) { advance(low); continue; }
    if (hi === 0x80) { cur.regs.set(low, { kind: 'offset', offset: r.uleb() * cie.dataAlign }); continue; }
    if (hi === 0xc0) { restore(low); continue; }
    switch (op) {
      case 0x00: break;
      case 0x01: { const target = r.u32(); rows?.push({ loc: cur.loc, cfa: cur.cfa, regs: new Map(cur.regs) }); loc = target; cur = { loc, cfa: cur.cfa, regs: cur.regs }; break; }
      case 0x02: advance(r.u8()); break;
      case 0x03: advance(r.u16()); break;
      case 0x04: advance(r.u32()); break;
      case 0x05: { const reg = r.uleb(); cur.regs.set(reg, { kind: 'offset', offset: r.uleb() * cie.dataAlign }); break; }
      case 0x06: restore(r.uleb()); break;
      case 0x07: cur.regs.set(r.uleb(), { kind: 'undefined' }); break;
      case 0x08: cur.regs.set(r.uleb(), { kind: 'same' }); break;
      case 0x09: { const reg = r.uleb(); cur.regs.set(reg, { kind: 'register', reg: r.uleb() }); break; }
      case 0x0a: stack.push({ loc: cur.loc, cfa: cur.cfa, regs: new Map(cur.regs) }); break;
      case 0x0b: { const s = stack.pop(); if (!s) throw new DwarfError('DW_CFA_restore_state with an empty stack'); cur = { loc: cur.loc, cfa: s.cfa, regs: s.regs }; break; }
      case 0x0c: { const reg = r.uleb(); cur.cfa = { kind: 'regOffset', reg, offset: r.uleb() }; break; }
      case 0x0d: { const reg = r.uleb(); cur.cfa = cur.cfa.kind === 'regOffset' ? { ...cur.cfa, reg } : { kind: 'regOffset', reg, offset: 0 }; break; }
      case 0x0e: { const offset = r.uleb(); cur.cfa = cur.cfa.kind === 'regOffset' ? { ...cur.cfa, offset } : cur.cfa; break; }
      case 0x0f: cur.cfa = { kind: 'expression', expr: expr() }; break;
      case 0x10: { const reg = r.uleb(); cur.regs.set(reg, { kind: 'expression', expr: expr() }); break; }
      case 0x11: { const reg = r.uleb(); cur.regs.set(reg, { kind: 'offset', offset: r.sleb() * cie.dataAlign }); break; }
      case 0x12: { const reg = r.uleb(); cur.cfa = { kind: 'regOffset', reg, offset: r.sleb() * cie.dataAlign }; break; }
      case 0x13: { const offset = r.sleb() * cie.dataAlign; cur.cfa = cur.cfa.kind === 'regOffset' ? { ...cur.cfa, offset } : cur.cfa; break; }
      case 0x14: { const reg = r.uleb(); cur.regs.set(reg, { kind: 'valOffset', offset: r.uleb() * cie.dataAlign }); break; }
      case 0x15: { const reg = r.uleb(); cur.regs.set(reg, { kind: 'valOffset', offset: r.sleb() * cie.dataAlign }); break; }
      case 0x16: { const reg = r.uleb(); cur.regs.set(reg, { kind: 'valExpression', expr: expr() }); break; }
      case 0x2e: r.uleb(); break; // DW_CFA_GNU_args_size
      case 0x2f: { const reg = r.uleb(); cur.regs.set(reg, { kind: 'offset', offset: -r.uleb() * cie.dataAlign }); break; }
      default: throw new DwarfError(`unknown call-frame instruction 0x${op.toString(16)}`);
    }
  }
  return cur;
}

/**
 * Decodes a frame section. `eh` selects .eh_frame rules (CIE id 0, relative CIE pointers, augmentation
 * data); `sectionAddress` is its load address, needed for pc-relative pointers.
 */
export function decodeFrames(section: Uint8Array, opts: { eh?: boolean; sectionAddress?: number } = {}): FrameTable {
  const eh = opts.eh ?? false, base = opts.sectionAddress ?? 0;
  const cies = new Map<number, Cie>();
  const pending: { offset: number; ciePtr: number; body: Reader; end: number }[] = [];
  for (let off = 0; off < section.length; ) {
    const r = new Reader(section, off);
    const { unitEnd, offsetSize } = r.initialLength();
    if (unitEnd === r.pos && eh) break; // .eh_frame terminator
    if (unitEnd > section.length) throw new DwarfError(`frame entry at 0x${off.toString(16)} runs past the end of the section`);
    const idPos = r.pos;
    const id = r.uN(offsetSize);
    const isCie = eh ? id === 0 : id === (offsetSize === 8 ? 0xffffffffffffffff : 0xffffffff);
    if (isCie) {
      const version = r.u8();
      const augmentation = r.cstr();
      if (version >= 4) { r.u8(); r.u8(); }
      const codeAlign = r.uleb(), dataAlign = r.sleb();
      const raReg = version === 1 ? r.u8() : r.uleb();
      let pointerEncoding: number = DW_EH_PE.absptr;
      if (augmentation.startsWith('z')) {
        const augLen = r.uleb();
        const augEnd = r.pos + augLen;
        for (const ch of augmentation.slice(1)) {
          if (ch === 'R') pointerEncoding = r.u8();
          else if (ch === 'L') r.u8();
          else if (ch === 'P') { const enc = r.u8(); readEncoded(r, enc, base); }
          else if (ch === 'S' || ch === 'B') { /* signal frame / BTI: no data */ }
          else break;
        }
        r.pos = augEnd;
      } else if (augmentation !== '') {
        throw new DwarfError(`unsupported CIE augmentation "${augmentation}" at 0x${off.toString(16)}`);
      }
      cies.set(off, { offset: off, version, augmentation, codeAlign, dataAlign, raReg, pointerEncoding, initialInstructions: section.slice(r.pos, unitEnd) });
    } else {
      pending.push({ offset: off, ciePtr: eh ? idPos - id : id, body: r, end: unitEnd });
    }
    off = unitEnd;
  }
  const fdes: Fde[] = [];
  for (const p of pending) {
    const cie = cies.get(p.ciePtr);
    if (!cie) throw new DwarfError(`FDE at 0x${p.offset.toString(16)} points to no CIE (0x${p.ciePtr.toString(16)})`);
    const r = p.body;
    const pcBegin = eh ? readEncoded(r, cie.pointerEncoding, base) : r.u32();
    const range = eh ? readEncoded(r, cie.pointerEncoding & 0x0f, base) : r.u32();
    if (cie.augmentation.startsWith('z')) r.skip(r.uleb());
    const instructions = section.slice(r.pos, p.end);
    const initial = runInstructions(cie.initialInstructions, cie, pcBegin, null, null);
    const rows: FrameRow[] = [];
    const last = runInstructions(instructions, cie, pcBegin, initial, rows);
    if (instructions.some((b) => b !== 0)) rows.push(last);
    fdes.push({ offset: p.offset, cie, pcBegin, pcEnd: (pcBegin + range) >>> 0, instructions, rows });
  }
  return { cies: [...cies.values()], fdes };
}

/** The unwind row in effect at `pc`, or undefined when no FDE covers it. */
export function rowAt(table: FrameTable, pc: number): { fde: Fde; row: FrameRow } | undefined {
  for (const fde of table.fdes) {
    if (pc < fde.pcBegin || pc >= fde.pcEnd) continue;
    let row: FrameRow | undefined;
    if (fde.rows.length === 0) row = runInstructions(fde.cie.initialInstructions, fde.cie, fde.pcBegin, null, null);
    else for (const r of fde.rows) if (r.loc <= pc) row = r;
    return row ? { fde, row } : undefined;
  }
  return undefined;
}
