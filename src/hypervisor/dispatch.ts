// The hypercall table: number → handler, as Xen's arm_hypercall_table; anything else -ENOSYS.
// multicall runs a list of calls through the same table, writing each result back.
import { E, HC } from './abi';
import type { CallContext, HypercallHandler } from './hypercall-context';
import { GuestFault } from './guest-memory';
import { xenVersion } from './hc-xen-version';
import { consoleIo } from './hc-console';
import { memoryOp } from './hc-memory';
import { eventChannelOp } from './hc-events';
import { grantTableOp } from './hc-grant';
import { schedOp } from './hc-sched';
import { vcpuOp } from './hc-vcpu';
import { hvmOp, platformOp, vmAssist } from './hc-misc';

const MULTICALL_ENTRY = 64; // {xen_ulong_t op, xen_long_t result, xen_ulong_t args[6]}

export const HANDLERS: Record<number, HypercallHandler> = {
  [HC.xen_version]: xenVersion,
  [HC.console_io]: consoleIo,
  [HC.memory_op]: memoryOp,
  [HC.event_channel_op]: eventChannelOp,
  [HC.grant_table_op]: grantTableOp,
  [HC.sched_op]: schedOp,
  [HC.vcpu_op]: vcpuOp,
  [HC.hvm_op]: hvmOp,
  [HC.vm_assist]: vmAssist,
  [HC.platform_op]: platformOp,
  [HC.physdev_op]: () => E.NOSYS, // no PCI, no physical IRQs to route
  [HC.multicall]: multicall,
};

export function callHandler(ctx: CallContext, nr: number, args: number[]): number {
  const h = HANDLERS[nr];
  return h ? h(ctx, args) : E.NOSYS;
}

/**
 * Arguments each hypercall takes (Xen 4.17 hypercall-defs.c for ARM): a 32-bit guest's multicall entry
 * must have the high halves of these clear, or Xen crashes the domain (check_multicall_32bit_clean).
 */
const NR_ARGS: Record<number, number> = {
  [HC.platform_op]: 1, [HC.memory_op]: 2, [HC.multicall]: 2, [HC.xen_version]: 2, [HC.console_io]: 3,
  [HC.grant_table_op]: 3, [HC.vm_assist]: 2, [HC.vcpu_op]: 3, [HC.sched_op]: 2, [HC.event_channel_op]: 2,
  [HC.physdev_op]: 2, [HC.hvm_op]: 2,
};
const CRASH = 3;

function multicall(ctx: CallContext, [list, nr]: number[]): number {
  ctx.decoded.nr_calls = nr;
  const names: string[] = [];
  for (let i = 0; i < nr; i++) {
    const e = list + i * MULTICALL_ENTRY;
    const op = ctx.mem.u64(e);
    const args = [0, 1, 2, 3, 4, 5].map((k) => ctx.mem.u64(e + 16 + k * 8));
    let result: number;
    if (op === HC.multicall) result = E.INVAL; // Xen refuses re-entry (_MCSF_in_multicall)
    else if (args.slice(0, NR_ARGS[op] ?? 0).some((a) => a > 0xffffffff)) {
      // Not 32-bit clean: Xen crashes the domain; the entry's result is left as it was.
      ctx.decoded.crash = `entry ${i}`;
      ctx.dom.shutdown(CRASH, ctx.vcpu);
      ctx.noReturn = true;
      break;
    } else {
      const sub: CallContext = { dom: ctx.dom, vcpu: ctx.vcpu, mem: ctx.mem, decoded: {} };
      try {
        result = callHandler(sub, op, args.map((a) => a >>> 0));
      } catch (err) {
        // A sub-call's bad pointer is that entry's -EFAULT; the list itself faulting ends the batch.
        if (!(err instanceof GuestFault)) throw err;
        result = E.FAULT;
      }
      if (sub.text) ctx.text = (ctx.text ?? '') + sub.text;
      names.push(`${op}:${sub.decoded.cmd ?? ''}`);
    }
    ctx.mem.setU64(e + 8, BigInt(result));
    if (ctx.dom.stopped) break; // a shutdown inside the batch ends it
  }
  ctx.decoded.calls = names.join(',');
  return 0;
}
