// memory_op (12): add_to_physmap for the shared-info page and grant-table frames, remove_from_physmap,
// and the reservation queries. dom0 here owns exactly its RAM bank: nothing to balloon from.
import { DOMID_SELF, E, MAPSPACE_NAMES, MEMOP_NAMES, PAGE_SIZE } from './abi';
import { hex, type CallContext } from './hypercall-context';

const MEMOP_CMD_MASK = 0x3f;
const XENMAPIDX_grant_table_status = 0x80000000;
const XENMAPSPACE_gmfn_foreign = 4;

/** domid values that name dom0 itself. */
export function isSelf(domid: number): boolean { return domid === DOMID_SELF || domid === 0; }

export function memoryOp(ctx: CallContext, [cmdArg, arg]: number[]): number {
  const { dom, mem, decoded } = ctx;
  const cmd = cmdArg & MEMOP_CMD_MASK;
  /** The continuation's start extent (MEMOP_EXTENT_SHIFT): only the reservation calls may carry one. */
  const start = cmdArg >>> 6;
  decoded.cmd = MEMOP_NAMES[cmd] ?? `unknown(${cmd})`;
  switch (cmd) {
    case 7: { // add_to_physmap {u16 domid, u16 size, u32 space, u64 idx, u64 gpfn}
      if (start > 0xffff) return E.DOM; // more than a u16 size could have asked for
      const domid = mem.u16(arg), size = mem.u16(arg + 2), space = mem.u32(arg + 4), idx = mem.u64(arg + 8), gpfn = mem.u64(arg + 16);
      Object.assign(decoded, { domid: hex(domid), space: MAPSPACE_NAMES[space] ?? space, idx, gpfn: hex(gpfn) });
      // In Xen 4.17's order (common/memory.c, then arch/arm/mm.c xenmem_add_to_physmap_one).
      if (space === XENMAPSPACE_gmfn_foreign) return E.NOSYS; // only through add_to_physmap_batch
      if (!isSelf(domid)) return E.SRCH;
      if (mem.u32(arg + 16) === 0xffffffff && mem.u32(arg + 20) === 0xffffffff) return E.INVAL; // INVALID_GFN
      switch (space) {
        case 0:
          if (idx !== 0) return E.INVAL;
          if (gpfn * PAGE_SIZE >= 0x100000000) return E.INVAL; // beyond a 32-bit guest's physical space (no LPAE RAM above 4 GiB here)
          dom.mapSharedInfo(gpfn);
          return 0;
        case 1: {
          if (idx & XENMAPIDX_grant_table_status) return E.INVAL; // v1 tables have no status frames
          if (idx >= dom.grant.maxFrames || !dom.grant.grow(idx + 1)) return E.INVAL;
          if (gpfn * PAGE_SIZE >= 0x100000000) return E.INVAL;
          dom.grant.map(idx, gpfn);
          return 0;
        }
        case 3: // gmfn_range: each page is an XENMAPSPACE_gmfn move, which ARM does not implement
          decoded.size = size;
          return size === 0 ? 0 : E.NOSYS;
        case 5: // dev_mmio: dom0 holds no device memory here, and without iomem permission Xen maps nothing and says 0
          return 0;
        default: return E.NOSYS; // gmfn and unknown spaces
      }
    }
    case 15: { // remove_from_physmap {u16 domid, u64 gpfn}
      const domid = mem.u16(arg), gpfn = mem.u64(arg + 8);
      Object.assign(decoded, { domid: hex(domid), gpfn: hex(gpfn) });
      if (!isSelf(domid)) return E.SRCH;
      dom.unmapGfn(gpfn);
      return 0;
    }
    case 2: // maximum_ram_page: Xen's max_page, one past the host's last RAM frame (dom0's here)
      if (start !== 0) return E.INVAL;
      return dom.ramEndPfn;
    case 3: case 4: { // current/maximum_reservation(domid_t *)
      if (start !== 0) return E.INVAL;
      const domid = mem.u16(arg);
      decoded.domid = hex(domid);
      if (!isSelf(domid)) return E.SRCH;
      return dom.ramPages;
    }
    case 14: { // maximum_gpfn(domid_t *): the highest frame mapped in dom0's space (p2m max_mapped_gfn)
      if (start !== 0) return E.INVAL;
      const domid = mem.u16(arg);
      decoded.domid = hex(domid);
      if (!isSelf(domid)) return E.SRCH;
      let max = dom.ramEndPfn - 1;
      for (let i = 0; i < dom.grant.nrFrames; i++) max = Math.max(max, dom.grant.gfnOf(i));
      if (dom.sharedInfo.pa !== null) max = Math.max(max, dom.sharedInfo.pa / PAGE_SIZE);
      return max;
    }
    case 0: case 1: case 6: { // {handle extent_start, u64 nr_extents, u32 extent_order, u32 mem_flags, u16 domid}
      const nr = mem.u64(arg + 8), order = mem.u32(arg + 16), domid = mem.u16(arg + 24);
      Object.assign(decoded, { nr_extents: nr, extent_order: order, domid: hex(domid) });
      if (!isSelf(domid)) return E.SRCH;
      if (order > 18) return E.INVAL;
      // decrease: the frames are handed back (the memory stays, nothing else can use it);
      // increase/populate: there is no free memory beyond dom0's bank, so nothing is done.
      return cmd === 1 ? Math.max(nr, start) : start;
    }
    default: return E.NOSYS;
  }
}
