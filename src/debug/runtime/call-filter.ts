// Conditions of the `hypercall` and `smccc` exception filters and of `hypercall:NAME` function
// breakpoints: a bare name or number ("console_io", "18"), or a C expression over the call's fields
// (name, nr, a0–a4, decoded fields such as cmd) in which Xen's constant names can be used.
import { evaluate, intValue, Types, type Value } from '../expr';
import type { HypercallRecord } from '../protocol';

/** Xen ABI constants a condition may name (xen/include/public, as /work/shared/xen-arm-abi.md lists them). */
export const XEN_CONSTANTS: Record<string, number> = {
  // hypercall numbers
  __HYPERVISOR_platform_op: 7, __HYPERVISOR_memory_op: 12, __HYPERVISOR_multicall: 13, __HYPERVISOR_xen_version: 17,
  __HYPERVISOR_console_io: 18, __HYPERVISOR_grant_table_op: 20, __HYPERVISOR_vm_assist: 21, __HYPERVISOR_vcpu_op: 24,
  __HYPERVISOR_sched_op: 29, __HYPERVISOR_event_channel_op: 32, __HYPERVISOR_physdev_op: 33, __HYPERVISOR_hvm_op: 34,
  __HYPERVISOR_sysctl: 35, __HYPERVISOR_domctl: 36,
  CONSOLEIO_write: 0, CONSOLEIO_read: 1,
  SCHEDOP_yield: 0, SCHEDOP_block: 1, SCHEDOP_shutdown: 2, SCHEDOP_poll: 3,
  SHUTDOWN_poweroff: 0, SHUTDOWN_reboot: 1, SHUTDOWN_suspend: 2, SHUTDOWN_crash: 3, SHUTDOWN_watchdog: 4,
  XENMEM_add_to_physmap: 7, XENMAPSPACE_shared_info: 0, XENMAPSPACE_grant_table: 1,
  GNTTABOP_query_size: 6, GNTTABOP_set_version: 8, GNTTABOP_cache_flush: 12,
  EVTCHNOP_bind_virq: 1, EVTCHNOP_send: 4, EVTCHNOP_alloc_unbound: 6, EVTCHNOP_init_control: 11,
  VCPUOP_register_runstate_memory_area: 5, VCPUOP_register_vcpu_info: 10,
  HVMOP_set_param: 0, HVMOP_get_param: 1, XENVER_version: 0, XENVER_get_features: 6, XENPF_settime64: 62,
  // PSCI / SMCCC function IDs
  PSCI_VERSION: 0x84000000, PSCI_CPU_SUSPEND: 0x84000001, PSCI_CPU_OFF: 0x84000002, PSCI_CPU_ON: 0x84000003,
  PSCI_AFFINITY_INFO: 0x84000004, PSCI_MIGRATE_INFO_TYPE: 0x84000006, PSCI_SYSTEM_OFF: 0x84000008,
  PSCI_SYSTEM_RESET: 0x84000009, PSCI_FEATURES: 0x8400000a, SMCCC_VERSION: 0x80000000, SMCCC_ARCH_FEATURES: 0x80000001,
};

export class ConditionError extends Error {}

/** Does a call match a condition? Throws ConditionError for a malformed one. */
export function callMatches(rec: HypercallRecord, condition: string | undefined): boolean {
  const c = condition?.trim();
  if (!c) return true;
  if (/^[A-Za-z_]\w*$/.test(c) && !(c in rec.decoded) && !/^a[0-4]$|^nr$/.test(c)) {
    // A bare name: the call's own name, or a constant naming its number (__HYPERVISOR_x, PSCI_x).
    if (rec.name === c || rec.name === c.replace(/^(__HYPERVISOR_|PSCI_)/, '')) return true;
    return c in XEN_CONSTANTS && /^(__HYPERVISOR_|PSCI_|SMCCC_)/.test(c) ? XEN_CONSTANTS[c] === rec.nr : false;
  }
  if (/^(0x[0-9a-f]+|\d+)$/i.test(c)) return rec.nr === Number(c);
  // name == "x", cmd == write: string comparisons the integer evaluator does not have.
  const src = c.replace(/\b(name|cmd)\s*(==|!=)\s*"?([A-Za-z_]\w*)"?/g, (m, field: string, op: string, s: string) => {
    const actual = field === 'name' ? rec.name : rec.decoded.cmd;
    if (typeof actual !== 'string' || s in XEN_CONSTANTS) return m;
    const same = actual === s || actual === s.replace(/^__HYPERVISOR_/, '') || s.endsWith('_' + actual);
    return same === (op === '==') ? '1' : '0';
  });
  try {
    return evaluate(src, { symbol: (n) => callSymbol(rec, n) }).v !== 0n;
  } catch (e) {
    throw new ConditionError(`condition "${c}": ${(e as Error).message}`);
  }
}

function callSymbol(rec: HypercallRecord, n: string): Value | undefined {
  const m = /^a([0-4])$/.exec(n);
  if (m) return intValue(rec.args[Number(m[1])] ?? 0, Types.uint);
  if (n === 'nr') return intValue(rec.nr, Types.uint);
  const d = rec.decoded[n];
  if (typeof d === 'number') return intValue(d, Types.uint);
  if (n === 'cmd') return intValue(rec.args[0] ?? 0, Types.uint); // the command is the first argument
  if (n in XEN_CONSTANTS) return intValue(XEN_CONSTANTS[n], Types.uint);
  return undefined;
}

/** "console_io(CONSOLEIO_write, 13, 0xc0a1b2c0)": the call as the stop description shows it. */
export function describeCall(rec: HypercallRecord): string {
  const shown = rec.decoded.signature;
  if (typeof shown === 'string') return shown;
  const args = rec.args.slice(0, typeof rec.decoded.argc === 'number' ? rec.decoded.argc : 3).map((a, i) => {
    if (i === 0 && typeof rec.decoded.cmd_name === 'string') return rec.decoded.cmd_name;
    return (a >>> 0) < 0x10000 ? String(a >>> 0) : '0x' + (a >>> 0).toString(16);
  });
  return `${rec.name}(${args.join(', ')})`;
}
