// xen_version (17): version numbers, strings, features, page size, guest handle, command line, build id.
import { createHash } from 'node:crypto';
import { DOM0_FEATURES, E, XENVER_NAMES } from './abi';
import { XEN_VERSION } from './guest-tree';
import type { CallContext } from './hypercall-context';

const enc = new TextEncoder();
/** A fixed-size char array, NUL-padded (the string is cut to leave room for the NUL). */
function chars(s: string, size: number): Uint8Array {
  const out = new Uint8Array(size);
  out.set(enc.encode(s).subarray(0, size - 1));
  return out;
}

export const XEN_EXTRAVERSION = '.0';
export const XEN_CAPABILITIES = 'xen-3.0-armv7l ';
export const XEN_CHANGESET = 'xenarm';
const ENOBUFS = -105;
/** HYPERVISOR_VIRT_START on ARM in Xen 4.17 (asm/config.h: XEN_VIRT_START), both arm32 and arm64 builds. */
export const XEN_VIRT_START = 0x00200000;
/** A stable 20-byte build id (what a GNU build-id note holds), derived from the version. */
export const XEN_BUILD_ID = createHash('sha1').update(`xenarm xen ${XEN_VERSION.major}.${XEN_VERSION.minor}${XEN_EXTRAVERSION}`).digest();

export function xenVersion(ctx: CallContext, [cmd, arg]: number[]): number {
  const { mem, decoded } = ctx;
  decoded.cmd = XENVER_NAMES[cmd] ?? `unknown(${cmd})`;
  switch (cmd) {
    case 0: return (XEN_VERSION.major << 16) | XEN_VERSION.minor;
    case 1: mem.write(arg, chars(XEN_EXTRAVERSION, 16)); return 0;
    case 2: {
      const b = new Uint8Array(144);
      b.set(chars('xenarm (TypeScript)', 64), 0);
      b.set(chars('xenarm', 16), 64);
      b.set(chars('localdomain', 32), 80);
      b.set(chars('reproducible', 32), 112);
      mem.write(arg, b);
      return 0;
    }
    case 3: mem.write(arg, chars(XEN_CAPABILITIES, 1024)); return 0;
    case 4: mem.write(arg, chars(XEN_CHANGESET, 64)); return 0;
    case 5: mem.setU64(arg, XEN_VIRT_START); return 0; // {xen_ulong_t virt_start}: Xen 4.17 on ARM reports XEN_VIRT_START
    case 6: {
      const idx = mem.u32(arg);
      decoded.submap_idx = idx;
      if (idx !== 0) return E.INVAL;
      mem.setU32(arg + 4, DOM0_FEATURES);
      return 0;
    }
    case 7: return arg === 0 ? 4096 : E.INVAL; // Xen wants a NULL handle here
    case 8: mem.write(arg, new Uint8Array(16)); return 0; // dom0's handle is all zeros
    case 9: mem.write(arg, chars(ctx.dom.xenCommandLine, 1024)); return 0;
    case 10: { // {u32 len, u8 buf[len]}; a NULL handle asks for the size only
      if (arg === 0) return XEN_BUILD_ID.length;
      const len = mem.u32(arg);
      decoded.len = len;
      if (len === 0) return E.INVAL;
      if (len < XEN_BUILD_ID.length) return ENOBUFS;
      mem.write(arg + 4, XEN_BUILD_ID);
      return XEN_BUILD_ID.length;
    }
    default: return E.NOSYS;
  }
}
