// hvm_op (34) get/set param, vm_assist (21), platform_op (7) settime64, physdev_op (33).
import { E, HVM_NR_PARAMS, VMASST_TYPE_runstate_update_flag, XENPF_INTERFACE_VERSION, XENPF_settime64 } from './abi';
import { hex, type CallContext } from './hypercall-context';
import { isSelf } from './hc-memory';

const HVM_PARAM_NAMES: Record<number, string> = { 0: 'CALLBACK_IRQ', 1: 'STORE_PFN', 2: 'STORE_EVTCHN', 17: 'CONSOLE_PFN', 18: 'CONSOLE_EVTCHN' };

export function hvmOp(ctx: CallContext, [op, arg]: number[]): number {
  const { dom, mem, decoded } = ctx;
  decoded.cmd = op === 0 ? 'set_param' : op === 1 ? 'get_param' : `unknown(${op})`;
  if (op !== 0 && op !== 1) return E.NOSYS;
  // struct xen_hvm_param {u16 domid, u16 pad, u32 index, u64 value}
  const domid = mem.u16(arg), index = mem.u32(arg + 4);
  Object.assign(decoded, { domid: hex(domid), index: HVM_PARAM_NAMES[index] ?? index });
  if (!isSelf(domid)) return E.SRCH;
  if (index >= HVM_NR_PARAMS) return E.INVAL;
  if (op === 0) {
    dom.hvmParams[index] = mem.u64(arg + 8);
    decoded.value = hex(dom.hvmParams[index]);
    return 0;
  }
  mem.setU64(arg + 8, dom.hvmParams[index]);
  decoded.value = hex(dom.hvmParams[index]);
  return 0;
}

export function vmAssist(ctx: CallContext, [cmd, type]: number[]): number {
  ctx.decoded.cmd = cmd === 0 ? 'enable' : cmd === 1 ? 'disable' : `unknown(${cmd})`;
  ctx.decoded.type = type === VMASST_TYPE_runstate_update_flag ? 'runstate_update_flag' : type;
  if (cmd > 1) return E.NOSYS;
  if (type !== VMASST_TYPE_runstate_update_flag) return E.INVAL; // the only type ARM allows
  ctx.dom.runstateUpdateFlag = cmd === 0;
  return 0;
}

export function platformOp(ctx: CallContext, [arg]: number[]): number {
  const { dom, mem, decoded } = ctx;
  // struct xen_platform_op {u32 cmd, u32 interface_version, union u (8-aligned)}
  const cmd = mem.u32(arg), ver = mem.u32(arg + 4);
  decoded.cmd = cmd === XENPF_settime64 ? 'settime64' : `unknown(${cmd})`;
  if (ver !== XENPF_INTERFACE_VERSION) return E.ACCES;
  if (cmd !== XENPF_settime64) return E.NOSYS;
  // settime64 {u64 secs, u32 nsecs, u32 mbz, u64 system_time}
  const secs = mem.u64(arg + 8), nsecs = mem.u32(arg + 16), mbz = mem.u32(arg + 20), sys = mem.u64(arg + 24);
  Object.assign(decoded, { secs, nsecs, system_time: sys });
  if (mbz !== 0) return E.INVAL;
  dom.setWallclock(secs, nsecs, sys);
  return 0;
}
