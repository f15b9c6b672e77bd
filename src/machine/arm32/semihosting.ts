// ARM semihosting (the "Angel" interface QEMU implements): SVC 0x123456 in ARM state, SVC 0xAB in
// Thumb, operation in r0, parameter block address in r1, result in r0. Console handles only: this is
// how bare-metal test programs print and exit, on QEMU and here alike.
import type { SemihostingHost } from './contracts';
import type { Arm32Cpu } from './cpu';

const SYS = {
  OPEN: 0x01, CLOSE: 0x02, WRITEC: 0x03, WRITE0: 0x04, WRITE: 0x05, READ: 0x06, READC: 0x07, ISERROR: 0x08,
  ISTTY: 0x09, SEEK: 0x0a, FLEN: 0x0c, TMPNAM: 0x0d, REMOVE: 0x0e, RENAME: 0x0f, CLOCK: 0x10, TIME: 0x11,
  SYSTEM: 0x12, ERRNO: 0x13, GET_CMDLINE: 0x15, HEAPINFO: 0x16, EXIT: 0x18, EXIT_EXTENDED: 0x20, ELAPSED: 0x30, TICKFREQ: 0x31,
} as const;
const ADP_Stopped_ApplicationExit = 0x20026;
/** Ticks of the virtual counter per second (CNTFRQ). */
const COUNTER_HZ = 62_500_000;

/** ENOENT, the errno a failed SYS_OPEN leaves (only ":tt" exists here; QEMU reports the host's errno). */
const ENOENT = 2;
/** The errno of each host's last failed call, for SYS_ERRNO. */
const lastErrno = new WeakMap<SemihostingHost, number>();

/** Handles one call; returns the value for r0, or 'exit' when the guest ended the run. */
export function semihostingCall(cpu: Arm32Cpu, host: SemihostingHost): number | 'exit' {
  const op = cpu.getReg(0), arg = cpu.getReg(1);
  const mem = cpu.mem, user = cpu.mode === 0x10;
  const word = (i: number) => mem.read32((arg + 4 * i) >>> 0, user);
  const bytes = (addr: number, len: number) => {
    const out = new Uint8Array(len);
    for (let i = 0; i < len; i++) out[i] = mem.read8((addr + i) >>> 0, user);
    return out;
  };
  const cstr = (addr: number) => {
    const out: number[] = [];
    for (let a = addr >>> 0; out.length < 1 << 20; a = (a + 1) >>> 0) {
      const b = mem.read8(a, user);
      if (b === 0) break;
      out.push(b);
    }
    return new Uint8Array(out);
  };
  const now = () => cpu.timeBase + cpu.icount;
  switch (op) {
    // These have no result; QEMU leaves 0xdeadbeef in r0 so that no guest relies on one.
    case SYS.WRITEC: host.write(bytes(arg, 1), 1); return 0xdeadbeef;
    case SYS.WRITE0: host.write(cstr(arg), 1); return 0xdeadbeef;
    case SYS.WRITE: {
      const fd = word(0), buf = word(1), len = word(2);
      if (fd !== 1 && fd !== 2) return len; // nothing written
      host.write(bytes(buf, len), fd as 1 | 2);
      return 0;
    }
    case SYS.READ: {
      const fd = word(0), buf = word(1), len = word(2);
      if (fd !== 0) return len;
      let n = 0;
      while (n < len) {
        const b = host.readByte();
        if (b < 0) break;
        mem.write8((buf + n) >>> 0, b, user);
        n++;
        if (b === 10) break;
      }
      return len - n;
    }
    case SYS.READC: { const b = host.readByte(); return b < 0 ? -1 : b; }
    case SYS.OPEN: {
      // ":tt" is the console: mode 0-3 read (stdin), 4-7 write (stdout), 8-11 append (stderr).
      const name = new TextDecoder().decode(bytes(word(0), word(2)));
      if (name !== ':tt') { lastErrno.set(host, ENOENT); return -1; }
      const mode = word(1);
      return mode < 4 ? 0 : mode < 8 ? 1 : 2;
    }
    case SYS.CLOSE: return 0;
    case SYS.ISTTY: return word(0) <= 2 ? 1 : 0;
    case SYS.ISERROR: return (word(0) | 0) < 0 ? 1 : 0;
    case SYS.SEEK: case SYS.FLEN: return -1;
    case SYS.ERRNO: return lastErrno.get(host) ?? 0;
    case SYS.CLOCK: return Math.floor(now() / (COUNTER_HZ / 100));
    case SYS.TIME: return Math.floor(host.time());
    case SYS.ELAPSED: {
      const t = BigInt(now());
      mem.write32(arg, Number(t & 0xffffffffn), user);
      mem.write32((arg + 4) >>> 0, Number(t >> 32n), user);
      return 0;
    }
    case SYS.TICKFREQ: return COUNTER_HZ;
    case SYS.GET_CMDLINE: {
      const buf = word(0), size = word(1);
      const text = new TextEncoder().encode(host.commandLine);
      if (text.length + 1 > size) return -1;
      for (let i = 0; i < text.length; i++) mem.write8((buf + i) >>> 0, text[i], user);
      mem.write8((buf + text.length) >>> 0, 0, user);
      mem.write32((arg + 4) >>> 0, text.length, user);
      return 0;
    }
    case SYS.HEAPINFO: {
      // Heap and stack limits from the RAM the guest runs in (QEMU derives them from the image end).
      const block = word(0);
      const ram = cpu.bus.rams[0];
      const top = ram ? ram.base + ram.size : 0;
      const heapBase = ram ? ram.base + Math.floor(ram.size / 2) : 0;
      mem.write32(block, heapBase, user);
      mem.write32((block + 4) >>> 0, top - 0x10000, user);
      mem.write32((block + 8) >>> 0, top, user);
      mem.write32((block + 12) >>> 0, top - 0x10000, user);
      return 0;
    }
    case SYS.EXIT: {
      // On 32-bit ARM the parameter is the reason code itself.
      host.exit(arg === ADP_Stopped_ApplicationExit ? 0 : 1);
      return 'exit';
    }
    case SYS.EXIT_EXTENDED: {
      const reason = word(0), code = word(1);
      host.exit(reason === ADP_Stopped_ApplicationExit ? code : 1);
      return 'exit';
    }
    default: return -1;
  }
}
