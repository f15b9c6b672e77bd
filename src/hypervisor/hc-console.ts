// console_io (18): CONSOLEIO_write sends the guest's bytes to the PV console; CONSOLEIO_read copies
// pending input (VIRQ_CONSOLE announced it). dom0's output is not filtered or prefixed.
import { CONSOLEIO_NAMES, E } from './abi';
import type { CallContext } from './hypercall-context';

/** Xen copies console writes in chunks of this size (guest_console_write's kbuf, less its NUL). */
const CHUNK = 127;
const INT_MAX = 0x7fffffff;

export function consoleIo(ctx: CallContext, [cmd, count, buf]: number[]): number {
  ctx.decoded.cmd = CONSOLEIO_NAMES[cmd] ?? `unknown(${cmd})`;
  ctx.decoded.count = count >>> 0;
  switch (cmd) {
    case 0: { // count is unsigned: a huge one is copied until the buffer stops mapping (-EFAULT)
      let text = '';
      // Chunk by chunk, as Xen: what was copied before a fault has been written.
      for (let done = 0; done < count; ) {
        const n = Math.min(CHUNK, count - done);
        const bytes = ctx.mem.read(buf + done, n);
        ctx.dom.writeConsole(bytes);
        text += Buffer.from(bytes).toString('latin1');
        done += n;
      }
      ctx.text = text;
      return 0;
    }
    case 1: {
      if (count >>> 0 > INT_MAX) return E.TOOBIG; // the result could not be told from an error
      const bytes = ctx.dom.peekConsoleInput(count);
      if (bytes.length) ctx.mem.write(buf, bytes); // a fault leaves the input queued
      ctx.dom.consumeConsoleInput(bytes.length);
      ctx.text = Buffer.from(bytes).toString('latin1');
      return bytes.length;
    }
    default: return E.NOSYS;
  }
}
