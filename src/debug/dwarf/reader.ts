// A cursor over little-endian DWARF data: fixed-size integers, LEB128, strings and the
// 32/64-bit "initial length" that selects the offset size of a unit.

export class DwarfError extends Error {}

export class Reader {
  pos: number;
  private readonly view: DataView;

  constructor(readonly bytes: Uint8Array, pos = 0, readonly end = bytes.length) {
    this.pos = pos;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  private need(n: number): void {
    if (this.pos + n > this.end) throw new DwarfError(`DWARF data truncated at offset 0x${this.pos.toString(16)}`);
  }

  u8(): number { this.need(1); return this.bytes[this.pos++]; }
  u16(): number { this.need(2); const v = this.view.getUint16(this.pos, true); this.pos += 2; return v; }
  u24(): number { const lo = this.u16(); return lo | (this.u8() << 16); }
  u32(): number { this.need(4); const v = this.view.getUint32(this.pos, true); this.pos += 4; return v; }
  u64(): number {
    this.need(8);
    const lo = this.view.getUint32(this.pos, true), hi = this.view.getUint32(this.pos + 4, true);
    this.pos += 8;
    return hi * 0x100000000 + lo;
  }
  i8(): number { const v = this.u8(); return v >= 0x80 ? v - 0x100 : v; }

  /** Unsigned of 1, 2, 4 or 8 bytes. */
  uN(size: number): number {
    switch (size) {
      case 1: return this.u8();
      case 2: return this.u16();
      case 4: return this.u32();
      case 8: return this.u64();
      default: throw new DwarfError(`unsupported integer size ${size}`);
    }
  }

  uleb(): number {
    let result = 0, mul = 1, b: number;
    do {
      b = this.u8();
      result += (b & 0x7f) * mul;
      mul *= 128;
    } while (b & 0x80);
    return result;
  }

  sleb(): number {
    let result = 0, mul = 1, b: number;
    do {
      b = this.u8();
      result += (b & 0x7f) * mul;
      mul *= 128;
    } while (b & 0x80);
    return b & 0x40 ? result - mul : result;
  }

  cstr(): string {
    const start = this.pos;
    while (this.pos < this.end && this.bytes[this.pos] !== 0) this.pos++;
    if (this.pos >= this.end) throw new DwarfError(`unterminated string at offset 0x${start.toString(16)}`);
    const s = new TextDecoder().decode(this.bytes.subarray(start, this.pos));
    this.pos++;
    return s;
  }

  skip(n: number): void { this.need(n); this.pos += n; }

  /** Reads an initial length; returns the unit's end offset and its offset size (4 or 8). */
  initialLength(): { unitEnd: number; offsetSize: 4 | 8 } {
    const len = this.u32();
    if (len === 0xffffffff) {
      const l64 = this.u64();
      return { unitEnd: this.pos + l64, offsetSize: 8 };
    }
    if (len >= 0xfffffff0) throw new DwarfError(`reserved unit length 0x${len.toString(16)}`);
    return { unitEnd: this.pos + len, offsetSize: 4 };
  }
}

/** NUL-terminated string at an offset in a string section (.debug_str, .debug_line_str). */
export function stringAt(section: Uint8Array | undefined, offset: number, what: string): string {
  if (!section || offset >= section.length) throw new DwarfError(`${what} offset 0x${offset.toString(16)} is outside the section`);
  return new Reader(section, offset).cstr();
}
