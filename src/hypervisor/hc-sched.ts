// sched_op (29): yield, block, poll, shutdown (ending the run with its reason), shutdown_code, watchdog.
import { E, SCHEDOP_NAMES, SHUTDOWN_NAMES } from './abi';
import { hex, type CallContext } from './hypercall-context';
import { isSelf } from './hc-memory';

const MAX_POLL_PORTS = 128;

export function schedOp(ctx: CallContext, [cmd, arg]: number[]): number {
  const { dom, mem, decoded } = ctx;
  decoded.cmd = SCHEDOP_NAMES[cmd] ?? `unknown(${cmd})`;
  switch (cmd) {
    case 0: return 0; // yield: the scheduler is round-robin already
    case 1: // block: returning at once is a permitted spurious wake-up (ARM guests idle with WFI instead)
      return 0;
    case 2: { // shutdown {u32 reason}
      const reason = mem.u32(arg);
      decoded.reason = SHUTDOWN_NAMES[reason] ?? reason;
      if (reason > 5) return E.INVAL;
      dom.shutdown(reason);
      ctx.noReturn = true;
      return 0;
    }
    case 4: { // remote_shutdown {u16 domid, u32 reason}
      const d = mem.u16(arg), reason = mem.u32(arg + 4);
      Object.assign(decoded, { domid: hex(d), reason: SHUTDOWN_NAMES[reason] ?? reason });
      if (!isSelf(d)) return E.SRCH;
      if (reason > 5) return E.INVAL;
      dom.shutdown(reason);
      ctx.noReturn = true;
      return 0;
    }
    case 5: { // shutdown_code {u32 reason}: remembered for a later crash
      const reason = mem.u32(arg);
      decoded.reason = SHUTDOWN_NAMES[reason] ?? reason;
      dom.shutdownCode = reason;
      return 0;
    }
    case 3: { // poll {handle ports, u32 nr_ports, u64 timeout}
      const ports = mem.u64(arg), nr = mem.u32(arg + 8);
      decoded.nr_ports = nr;
      if (nr > MAX_POLL_PORTS) return E.INVAL;
      for (let i = 0; i < nr; i++) {
        const p = mem.u32(ports + i * 4);
        if (!dom.events.isValid(p)) return E.INVAL;
      }
      // Returns at once whether or not a port is pending (a timeout or spurious wake-up, both allowed).
      return 0;
    }
    case 6: { // watchdog {u32 id, u32 timeout}
      const id = mem.u32(arg), timeout = mem.u32(arg + 4);
      Object.assign(decoded, { id, timeout });
      return dom.watchdog(id, timeout);
    }
    default: return E.NOSYS;
  }
}
