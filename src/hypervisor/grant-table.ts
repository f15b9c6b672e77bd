// dom0's own grant table (version 1 only, as Xen on ARM: GNTTAB_MAX_VERSION 1). Its frames are pages
// the guest maps into its physical space with add_to_physmap(XENMAPSPACE_grant_table) — Linux puts them
// in the region the `hypervisor` node's reg names. Outside RAM such a page is backed by a new 4 KiB of
// memory on the bus; inside RAM the frame takes over that page, as Xen's p2m replacement does.
import type { Bus } from '../machine/bus';
import { GNTTAB_MAX_FRAMES, PAGE_SIZE } from './abi';

export const INITIAL_GRANT_FRAMES = 1;

export class GrantTable {
  /** Frames currently in the table (grows on setup_table / add_to_physmap, never shrinks). */
  nrFrames = INITIAL_GRANT_FRAMES;
  readonly maxFrames = GNTTAB_MAX_FRAMES;
  version = 1;
  /** Guest frame number where each frame is mapped, or -1. */
  private readonly gfns: number[] = [];
  /** Contents of frames that are not mapped anywhere. */
  private readonly shadows = new Map<number, Uint8Array>();

  constructor(private readonly bus: Bus) {}

  gfnOf(frame: number): number { return this.gfns[frame] ?? -1; }

  grow(n: number): boolean {
    if (n > this.maxFrames) return false;
    if (n > this.nrFrames) this.nrFrames = n;
    return true;
  }

  /** Maps grant frame `frame` at guest frame `gfn`. */
  map(frame: number, gfn: number): void {
    const pa = gfn * PAGE_SIZE;
    const old = this.gfns[frame];
    let contents = this.shadows.get(frame) ?? new Uint8Array(PAGE_SIZE);
    if (old !== undefined && old >= 0) contents = this.bus.peek(old * PAGE_SIZE, PAGE_SIZE) ?? contents;
    if (!this.bus.ramAt(pa, PAGE_SIZE)) this.bus.addRam(pa, PAGE_SIZE);
    this.bus.load(pa, contents);
    this.shadows.delete(frame);
    this.gfns[frame] = gfn;
  }

  /** Entries of a version 1 table (8 bytes each). */
  get nrEntries(): number { return this.nrFrames * (PAGE_SIZE / 8); }

  /** Entry `ref` of the v1 table: {u16 flags, u16 domid, u32 frame}, wherever its frame is. */
  entry(ref: number): { flags: number; domid: number; frame: number } {
    const b = this.entryBytes(ref);
    const dv = new DataView(b.buffer, b.byteOffset, 8);
    return { flags: dv.getUint16(0, true), domid: dv.getUint16(2, true), frame: dv.getUint32(4, true) };
  }

  /** The 8 bytes of entry `ref` (a copy). */
  entryBytes(ref: number): Uint8Array {
    const [f, off] = this.locate(ref);
    const g = this.gfnOf(f);
    const b = g >= 0 ? this.bus.peek(g * PAGE_SIZE + off, 8) : this.shadows.get(f)?.subarray(off, off + 8);
    return b ? b.slice() : new Uint8Array(8);
  }

  setEntryBytes(ref: number, bytes: Uint8Array): void {
    const [f, off] = this.locate(ref);
    const g = this.gfnOf(f);
    if (g >= 0) { this.bus.load(g * PAGE_SIZE + off, bytes); return; }
    let shadow = this.shadows.get(f);
    if (!shadow) this.shadows.set(f, (shadow = new Uint8Array(PAGE_SIZE)));
    shadow.set(bytes, off);
  }

  private locate(ref: number): [frame: number, offset: number] {
    return [Math.floor(ref / (PAGE_SIZE / 8)), (ref % (PAGE_SIZE / 8)) * 8];
  }

  /** Maps out whatever frame sits at `gfn` (remove_from_physmap); returns whether one did. */
  unmapGfn(gfn: number): boolean {
    const f = this.gfns.indexOf(gfn);
    if (f < 0) return false;
    this.shadows.set(f, this.bus.peek(gfn * PAGE_SIZE, PAGE_SIZE) ?? new Uint8Array(PAGE_SIZE));
    this.gfns[f] = -1;
    return true;
  }
}
