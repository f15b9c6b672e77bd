// grant_table_op (20): query_size, set_version / get_version (version 1 only on ARM), setup_table,
// cache_flush. Mapping and copying grants needs a second domain, which this platform does not have.
import { E, GNTST, GNTTABOP_NAMES } from './abi';
import { hex, type CallContext } from './hypercall-context';
import { isSelf } from './hc-memory';

const INVALID_GFN = 0xffffffffffffffffn;
const GNTTAB_CACHE_CLEAN = 1, GNTTAB_CACHE_INVAL = 2, GNTTAB_CACHE_SOURCE_GREF = 1 << 31;

export function grantTableOp(ctx: CallContext, [cmd, arg, count]: number[]): number {
  const { dom, mem, decoded } = ctx;
  const gt = dom.grant;
  decoded.cmd = GNTTABOP_NAMES[cmd] ?? `unknown(${cmd})`;
  decoded.count = count;
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
    case 8: { // set_version {u32 version in/out}
      if (count !== 1) return E.INVAL;
      const v = mem.u32(arg);
      decoded.version = v;
      let rc = 0;
      if (v !== 1 && v !== 2) rc = E.INVAL;
      else if (v === 2) rc = E.NOSYS; // Xen on ARM: GNTTAB_MAX_VERSION is 1
      mem.setU32(arg, gt.version);
      return rc;
    }
    case 10: { // get_version {u16 dom, u16 pad, u32 version out}
      if (count !== 1) return E.INVAL;
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
      for (let i = 0; i < n; i++) {
        const g = gt.gfnOf(i);
        mem.setU64(list + i * 8, g < 0 ? INVALID_GFN : BigInt(g));
      }
      mem.setU16(arg + 8, GNTST.okay);
      return 0;
    }
    case 12: { // cache_flush[count] {u64 dev_bus_addr|ref, u16 offset, u16 length, u32 op}
      for (let i = 0; i < count; i++) {
        const e = arg + i * 16;
        const addr = mem.u64(e), offset = mem.u16(e + 8), length = mem.u16(e + 10), op = mem.u32(e + 12);
        if (i === 0) Object.assign(decoded, { op, offset, length });
        if (op & ~(GNTTAB_CACHE_CLEAN | GNTTAB_CACHE_INVAL | GNTTAB_CACHE_SOURCE_GREF)) return E.OPNOTSUPP;
        if (offset + length > 4096) return E.INVAL;
        if (length === 0) continue;
        if (op & GNTTAB_CACHE_SOURCE_GREF) return E.INVAL; // no foreign grants exist
        if (!dom.isRamFrame(Math.floor(addr / 4096))) return E.INVAL;
        // Caches are not modelled: memory is always coherent, so there is nothing to clean.
      }
      return 0;
    }
    case 0: case 1: case 3: case 4: case 5: case 7: case 9: case 11:
      // Operations on another domain's grants: there is no other domain to grant to or from.
      return E.NOSYS;
    default: return E.NOSYS;
  }
}
