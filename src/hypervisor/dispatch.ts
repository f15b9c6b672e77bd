// The hypercall table: number → handler, as Xen's arm_hypercall_table; anything else -ENOSYS.
// multicall runs a list of calls through the same table, writing each result back.
import { E, HC } from './abi';
import type { CallContext, HypercallHandler } from './hypercall-context';
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

function multicall(ctx: CallContext, [list, nr]: number[]): number {
  ctx.decoded.nr_calls = nr;
  const names: string[] = [];
  for (let i = 0; i < nr; i++) {
    const e = list + i * MULTICALL_ENTRY;
    const op = ctx.mem.u64(e);
    const args = [0, 1, 2, 3, 4, 5].map((k) => ctx.mem.u64(e + 16 + k * 8));
    let result: number;
    if (op === HC.multicall) result = E.INVAL; // no nesting
    else if (args.some((a) => a > 0xffffffff)) result = E.INVAL; // a 32-bit guest's arguments are 32-bit
    else {
      const sub: CallContext = { dom: ctx.dom, vcpu: ctx.vcpu, mem: ctx.mem, decoded: {} };
      result = callHandler(sub, op, args.map((a) => a >>> 0));
      if (sub.text) ctx.text = (ctx.text ?? '') + sub.text;
      names.push(`${op}:${sub.decoded.cmd ?? ''}`);
    }
    ctx.mem.setU64(e + 8, BigInt(result));
    if (ctx.dom.stopped) break; // a shutdown inside the batch ends it
  }
  ctx.decoded.calls = names.join(',');
  return 0;
}
