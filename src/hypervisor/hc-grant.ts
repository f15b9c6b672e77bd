// grant_table_op (20): query_size, set_version / get_version (version 1 only on ARM), setup_table,
// get_status_frames, cache_flush, copy within dom0 (frames and its own grants), with Xen 4.17's
// error paths (common/grant_table.c), and swap_grant_ref. Mapping and transferring grants is for a
// second domain, which this platform does not have: -ENOSYS unless given no entries.
import { DOMID_SELF, E, GNTST, GNTTABOP_NAMES } from './abi';
import { hex, type CallContext } from './hypercall-context';
import { GuestFault } from './guest-memory';
import { isSelf } from './hc-memory';

const INVALID_GFN = 0xffffffffffffffffn;
const GNTTAB_CACHE_CLEAN = 1, GNTTAB_CACHE_INVAL = 2;
const PAGE = 4096;

/** The low 12 bits name the operation; the rest is a continuation argument only cache_flush may carry. */
const GNTTABOP_CMD_MASK = 0xfff;
const GNTTABOP_cache_flush = 12;

export function grantTableOp(ctx: CallContext, [cmdArg, arg, count]: number[]): number {
  const { dom, mem, decoded } = ctx;
  const gt = dom.grant;
  const cmd = cmdArg & GNTTABOP_CMD_MASK;
  decoded.cmd = GNTTABOP_NAMES[cmd] ?? `unknown(${cmd})`;
  decoded.count = count;
  if ((count | 0) < 0) return E.INVAL; // an unsigned count with the sign bit set
  if (cmd !== GNTTABOP_cache_flush && cmdArg !== cmd) return E.INVAL;
  switch (cmd) {
    case 6: { // query_size {u16 dom, u32 nr_frames out, u32 max_nr_frames out, i16 status out}
      if (count !== 1) return E.INVAL;
      const d = mem.u16(arg);
      decoded.dom = hex(d);
      if (!isSelf(d)) { mem.setU16(arg + 12, GNTST.bad_domain); return 0; }
      mem.setU32(arg + 4, gt.nrFrames);
      mem.setU32(arg + 8, gt.maxFrames);
      mem.setU16(arg + 12, GNTST.okay);
      return 0;
    }
    case 8: { // set_version {u32 version in/out}; count is not looked at
      const v = mem.u32(arg);
      decoded.version = v;
      let rc = 0;
      if (v !== 1 && v !== 2) rc = E.INVAL;
      else if (v === 2) rc = E.NOSYS; // Xen on ARM: GNTTAB_MAX_VERSION is 1
      mem.setU32(arg, gt.version);
      return rc;
    }
    case 10: { // get_version {u16 dom, u16 pad, u32 version out}; count is not looked at
      const d = mem.u16(arg);
      decoded.dom = hex(d);
      if (!isSelf(d)) return E.SRCH;
      mem.setU32(arg + 4, gt.version);
      return 0;
    }
    case 2: { // setup_table {u16 dom, u32 nr_frames, i16 status out, handle frame_list}
      if (count !== 1) return E.INVAL;
      const d = mem.u16(arg), n = mem.u32(arg + 4), list = mem.u64(arg + 16);
      Object.assign(decoded, { dom: hex(d), nr_frames: n });
      if (!isSelf(d)) { mem.setU16(arg + 8, GNTST.bad_domain); return 0; }
      if (n > gt.maxFrames || !gt.grow(n)) { mem.setU16(arg + 8, GNTST.general_error); return 0; }
      // A frame list that does not map is reported in status, not as -EFAULT (Xen's __copy_to_guest_offset check).
      let status: number = GNTST.okay;
      for (let i = 0; i < n; i++) {
        const g = gt.gfnOf(i);
        try { mem.setU64(list + i * 8, g < 0 ? INVALID_GFN : BigInt(g)); } catch (e) { if (!(e instanceof GuestFault)) throw e; status = GNTST.bad_virt_addr; }
      }
      mem.setU16(arg + 8, status);
      return 0;
    }
    case 9: { // get_status_frames {u32 nr_frames, u16 dom, i16 status out, handle frame_list}
      if (count !== 1) return E.INVAL;
      const n = mem.u32(arg), d = mem.u16(arg + 4);
      Object.assign(decoded, { dom: hex(d), nr_frames: n });
      if (!isSelf(d)) { mem.setU16(arg + 6, GNTST.bad_domain); return 0; }
      // A version 1 table has no status frames: asking for any is a general error.
      mem.setU16(arg + 6, n > 0 ? GNTST.general_error : GNTST.okay);
      return 0;
    }
    case 12: { // cache_flush[count] {u64 dev_bus_addr|ref, u16 offset, u16 length, u32 op}
      for (let i = 0; i < count; i++) {
        const e = arg + i * 16;
        const addr = mem.u64(e), offset = mem.u16(e + 8), length = mem.u16(e + 10), op = mem.u32(e + 12);
        if (i === 0) Object.assign(decoded, { op, offset, length });
        // As Xen's _cache_flush: any bit but CLEAN and INVAL (SOURCE_GREF too) is -EINVAL, then the range.
        if (offset >= PAGE || length > PAGE || offset + length > PAGE || (op & ~(GNTTAB_CACHE_CLEAN | GNTTAB_CACHE_INVAL))) return E.INVAL;
        if (length === 0 || op === 0) continue;
        if (!dom.isRamFrame(Math.floor(addr / PAGE))) return E.INVAL;
        // Caches are not modelled: memory is always coherent, so there is nothing to clean.
      }
      return 0;
    }
    case 5: return grantCopy(ctx, arg, count);
    case 11: { // swap_grant_ref[count] {u32 ref_a, u32 ref_b, i16 status out}
      for (let i = 0; i < count; i++) {
        const e = arg + i * 12;
        const a = mem.u32(e), b = mem.u32(e + 4);
        if (i === 0) Object.assign(decoded, { ref_a: a, ref_b: b });
        let status: number = GNTST.okay;
        // Nothing is ever pinned here (no grant is mapped), so only the bounds can fail.
        if (a >= gt.nrEntries || b >= gt.nrEntries) status = GNTST_bad_gntref;
        else if (a !== b) {
          const ea = gt.entryBytes(a);
          gt.setEntryBytes(a, gt.entryBytes(b));
          gt.setEntryBytes(b, ea);
        }
        mem.setU16(e + 8, status);
      }
      return 0;
    }
    case 0: case 1: case 4: case 7:
      // map/unmap/transfer/unmap_and_replace: with no entries Xen does nothing and says 0.
      // With entries they would act on grants between domains, and this platform has only dom0: not
      // implemented (a known gap), so refused as a whole rather than half-done.
      return count === 0 ? 0 : E.NOSYS;
    default: return E.NOSYS;
  }
}

const GNTCOPY_source_gref = 1, GNTCOPY_dest_gref = 2;
const GTF_permit_access = 1, GTF_type_mask = 3, GTF_readonly = 4;
const GNTST_bad_gntref = -3, GNTST_bad_page = -9, GNTST_bad_copy_arg = -10;
const COPY_SIZE = 40; // struct gnttab_copy: {ptr source, ptr dest (each {u64 ref|gmfn, u16 domid, u16 offset}), u16 len, u16 flags, i16 status}

/**
 * GNTTABOP_copy[count] within dom0, as Xen 4.17's gnttab_copy_one: each side is a frame of DOMID_SELF
 * (only DOMID_SELF may name a frame) or a grant reference in dom0's own v1 table that grants access to
 * dom0 itself (writable for the destination). Each entry gets its own status; the call answers 0.
 */
function grantCopy(ctx: CallContext, arg: number, count: number): number {
  const { mem } = ctx;
  for (let i = 0; i < count; i++) {
    const e = arg + i * COPY_SIZE;
    const side = (o: number) => ({ ref: mem.u64(e + o), domid: mem.u16(e + o + 8), offset: mem.u16(e + o + 10) });
    const src = side(0), dest = side(16), len = mem.u16(e + 32), flags = mem.u16(e + 34);
    if (i === 0) Object.assign(ctx.decoded, { flags, len });
    mem.setU16(e + 36, copyOne(ctx, src, dest, len, flags));
  }
  return 0;
}

interface CopySide { ref: number; domid: number; offset: number }

function copyOne(ctx: CallContext, src: CopySide, dest: CopySide, len: number, flags: number): number {
  const srcGref = (flags & GNTCOPY_source_gref) !== 0, destGref = (flags & GNTCOPY_dest_gref) !== 0;
  for (const [p, gref] of [[src, srcGref], [dest, destGref]] as const) {
    if (p.domid !== DOMID_SELF && !gref) return GNTST.permission_denied;
    if (!isSelf(p.domid)) return GNTST.bad_domain;
  }
  const from = claim(ctx, src, srcGref, true);
  if (from < 0) return from;
  const to = claim(ctx, dest, destGref, false);
  if (to < 0) return to;
  if (src.offset + len > PAGE || dest.offset + len > PAGE) return GNTST_bad_copy_arg;
  const bus = ctx.dom.board.bus;
  const bytes = bus.peek(from * PAGE + src.offset, len);
  if (!bytes) return GNTST_bad_page;
  bus.load(to * PAGE + dest.offset, bytes.slice());
  return GNTST.okay;
}

/** The frame one side of a copy names, or a (negative) GNTST status. */
function claim(ctx: CallContext, p: CopySide, gref: boolean, readOnly: boolean): number {
  const { dom } = ctx;
  let frame = p.ref;
  if (gref) {
    const gt = dom.grant;
    if (p.ref >= gt.nrEntries) return GNTST_bad_gntref;
    const en = gt.entry(p.ref);
    // _set_status_v1: a grant of access to dom0 itself (domain id 0), not read-only for a destination.
    if ((en.flags & GTF_type_mask) !== GTF_permit_access || en.domid !== 0) return GNTST.general_error;
    if (!readOnly && (en.flags & GTF_readonly)) return GNTST.general_error;
    frame = en.frame;
  }
  if (!dom.isRamFrame(frame)) return GNTST_bad_page; // get_paged_frame
  return frame;
}
