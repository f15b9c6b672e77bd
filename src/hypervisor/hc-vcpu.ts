// vcpu_op (24): on ARM only register_vcpu_info and register_runstate_memory_area; the rest -EINVAL.
import { E, VCPUOP_NAMES, VCPU_INFO } from './abi';
import { hex, type CallContext } from './hypercall-context';

export function vcpuOp(ctx: CallContext, [cmd, vcpuid, arg]: number[]): number {
  const { dom, mem, decoded } = ctx;
  decoded.cmd = VCPUOP_NAMES[cmd] ?? `unknown(${cmd})`;
  decoded.vcpu = vcpuid;
  if (cmd !== 5 && cmd !== 10) return E.INVAL;
  if (vcpuid >= dom.nrVcpus) return E.NOENT;
  if (cmd === 10) { // register_vcpu_info {u64 mfn, u32 offset, u32 rsvd}
    const mfn = mem.u64(arg), offset = mem.u32(arg + 8);
    Object.assign(decoded, { mfn: hex(mfn), offset: hex(offset) });
    if (offset > 4096 - VCPU_INFO.size) return E.INVAL;
    return dom.registerVcpuInfo(vcpuid, mfn * 4096 + offset);
  }
  // register_runstate_memory_area {u64 addr (a guest virtual address)}
  const va = mem.u64(arg);
  decoded.addr = hex(va);
  return dom.registerRunstate(vcpuid, va);
}
