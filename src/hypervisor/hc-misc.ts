// hvm_op (34) get/set param and guest_request_vm_event, vm_assist (21), platform_op (7) settime64, physdev_op (33).
import { E, VMASST_TYPE_runstate_update_flag, XENPF_INTERFACE_VERSION, XENPF_settime64 } from './abi';
import { hex, type CallContext } from './hypercall-context';
import { isSelf } from './hc-memory';

const HVM_PARAM_NAMES: Record<number, string> = { 0: 'CALLBACK_IRQ', 1: 'STORE_PFN', 2: 'STORE_EVTCHN', 17: 'CONSOLE_PFN', 18: 'CONSOLE_EVTCHN', 28: 'MONITOR_RING_PFN' };
/** Parameters a guest may read of itself (Xen 4.17 arch/arm/hvm.c hvm_allow_get_param). */
const GUEST_READABLE = new Set([0, 1, 2, 17, 18]);
/** Parameters only the toolstack may set (hvm_allow_set_param: -EPERM for the domain itself); every other index is -EINVAL. */
const TOOLSTACK_SETTABLE = new Set([0, 1, 2, 17, 18, 28]);
const HVMOP_set_param = 0, HVMOP_get_param = 1, HVMOP_guest_request_vm_event = 24;

export function hvmOp(ctx: CallContext, [op, arg]: number[]): number {
  const { dom, mem, decoded } = ctx;
  decoded.cmd = op === HVMOP_set_param ? 'set_param' : op === HVMOP_get_param ? 'get_param' : op === HVMOP_guest_request_vm_event ? 'guest_request_vm_event' : `unknown(${op})`;
  // No vm_event monitor is ever attached, so a request is dropped; a non-NULL argument is -EINVAL.
  if (op === HVMOP_guest_request_vm_event) return arg === 0 ? 0 : E.INVAL;
  if (op !== HVMOP_set_param && op !== HVMOP_get_param) return E.NOSYS;
  // struct xen_hvm_param {u16 domid, u16 pad, u32 index, u64 value}, read whole as copy_from_guest does
  const domid = mem.u16(arg), index = mem.u32(arg + 4), value = mem.u64(arg + 8);
  Object.assign(decoded, { domid: hex(domid), index: HVM_PARAM_NAMES[index] ?? index });
  if (!isSelf(domid)) return E.SRCH; // the only domain there is
  if (op === HVMOP_set_param) {
    decoded.value = hex(value);
    // dom0 is the caller and the target: the toolstack-only parameters are refused to it.
    return TOOLSTACK_SETTABLE.has(index) ? E.PERM : E.INVAL;
  }
  if (!GUEST_READABLE.has(index)) return index === 28 ? E.PERM : E.INVAL;
  mem.setU64(arg + 8, dom.hvmParams[index]);
  decoded.value = hex(dom.hvmParams[index]);
  return 0;
}

export function vmAssist(ctx: CallContext, [cmd, type]: number[]): number {
  ctx.decoded.cmd = cmd === 0 ? 'enable' : cmd === 1 ? 'disable' : `unknown(${cmd})`;
  ctx.decoded.type = type === VMASST_TYPE_runstate_update_flag ? 'runstate_update_flag' : type;
  if (type !== VMASST_TYPE_runstate_update_flag) return E.INVAL; // the only type ARM allows, checked before cmd
  if (cmd > 1) return E.NOSYS;
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
