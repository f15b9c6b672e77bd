// Numbers of the Xen on ARM guest ABI (Xen 4.17 public headers: xen.h, version.h, features.h, memory.h,
// event_channel.h, grant_table.h, sched.h, vcpu.h, hvm/params.h, platform.h, errno.h). Structure
// offsets are the AAPCS layout of those headers; test/hypervisor/abi-layout.test.ts checks every offset
// used here against the real headers with the cross compiler.

/** The immediate of a Xen hypercall HVC (`HVC #0xEA1`). */
export const XEN_HYPERCALL_TAG = 0xea1;

/** Negative errno values as Xen returns them (xen/include/public/errno.h). */
export const E = {
  PERM: -1, NOENT: -2, SRCH: -3, INTR: -4, IO: -5, TOOBIG: -7, BADF: -9, AGAIN: -11, NOMEM: -12,
  ACCES: -13, FAULT: -14, BUSY: -16, EXIST: -17, INVAL: -22, NOSPC: -28, DOM: -33, NOSYS: -38, OPNOTSUPP: -95,
} as const;

/** Hypercall numbers available to an ARM guest, with Xen's names. */
export const HYPERCALL_NAMES: Record<number, string> = {
  6: 'sched_op_compat', 7: 'platform_op', 12: 'memory_op', 13: 'multicall', 16: 'event_channel_op_compat',
  17: 'xen_version', 18: 'console_io', 19: 'physdev_op_compat', 20: 'grant_table_op', 21: 'vm_assist',
  24: 'vcpu_op', 29: 'sched_op', 32: 'event_channel_op', 33: 'physdev_op', 34: 'hvm_op', 35: 'sysctl',
  36: 'domctl',
};
export const HC = {
  platform_op: 7, memory_op: 12, multicall: 13, xen_version: 17, console_io: 18, grant_table_op: 20,
  vm_assist: 21, vcpu_op: 24, sched_op: 29, event_channel_op: 32, physdev_op: 33, hvm_op: 34,
  sysctl: 35, domctl: 36,
} as const;

export const XENVER_NAMES = ['version', 'extraversion', 'compile_info', 'capabilities', 'changeset',
  'platform_parameters', 'get_features', 'pagesize', 'guest_handle', 'commandline', 'build_id'];
export const CONSOLEIO_NAMES = ['write', 'read'];
export const MEMOP_NAMES: Record<number, string> = {
  0: 'increase_reservation', 1: 'decrease_reservation', 2: 'maximum_ram_page', 3: 'current_reservation',
  4: 'maximum_reservation', 6: 'populate_physmap', 7: 'add_to_physmap', 14: 'maximum_gpfn',
  15: 'remove_from_physmap', 23: 'add_to_physmap_batch', 26: 'get_vnumainfo', 27: 'reserved_device_memory_map',
  28: 'acquire_resource',
};
export const EVTCHNOP_NAMES = ['bind_interdomain', 'bind_virq', 'bind_pirq', 'close', 'send', 'status',
  'alloc_unbound', 'bind_ipi', 'bind_vcpu', 'unmask', 'reset', 'init_control', 'expand_array', 'set_priority',
  'reset_cont'];
export const GNTTABOP_NAMES = ['map_grant_ref', 'unmap_grant_ref', 'setup_table', 'dump_table', 'transfer',
  'copy', 'query_size', 'unmap_and_replace', 'set_version', 'get_status_frames', 'get_version',
  'swap_grant_ref', 'cache_flush'];
export const SCHEDOP_NAMES = ['yield', 'block', 'shutdown', 'poll', 'remote_shutdown', 'shutdown_code', 'watchdog', 'pin_override'];
export const SHUTDOWN_NAMES = ['poweroff', 'reboot', 'suspend', 'crash', 'watchdog', 'soft_reset'];
export const VCPUOP_NAMES = ['initialise', 'up', 'down', 'is_up', 'get_runstate_info', 'register_runstate_memory_area',
  'set_periodic_timer', 'stop_periodic_timer', 'set_singleshot_timer', 'stop_singleshot_timer',
  'register_vcpu_info', 'send_nmi', 'get_physid', 'register_vcpu_time_memory_area'];
export const MAPSPACE_NAMES = ['shared_info', 'grant_table', 'gmfn', 'gmfn_range', 'gmfn_foreign', 'dev_mmio'];
export const VIRQ_NAMES: Record<number, string> = {
  0: 'VIRQ_TIMER', 1: 'VIRQ_DEBUG', 2: 'VIRQ_CONSOLE', 3: 'VIRQ_DOM_EXC', 4: 'VIRQ_TBUF', 6: 'VIRQ_DEBUGGER',
  7: 'VIRQ_XENOPROF', 8: 'VIRQ_CON_RING', 9: 'VIRQ_PCPU_STATE', 10: 'VIRQ_MEM_EVENT', 11: 'VIRQ_ARGO',
  12: 'VIRQ_ENOMEM', 13: 'VIRQ_XENPMU',
};
/** VIRQs bound per vCPU (the rest are global: bound on vCPU 0 only). */
export const VIRQ_PER_VCPU = new Set([0, 1, 7, 13]);
export const NR_VIRQS = 24;
export const VIRQ_CONSOLE = 2;

/** XENFEAT bits reported by XENVER_get_features submap 0 for our dom0. */
export const XENFEAT = {
  writable_page_tables: 0, auto_translated_physmap: 2, dom0: 11, memory_op_vnode_supported: 13,
  ARM_SMCCC_supported: 14, direct_mapped: 17,
} as const;
export const DOM0_FEATURES = Object.values(XENFEAT).reduce((m: number, b: number) => (m | (1 << b)) >>> 0, 0);

export const DOMID_SELF = 0x7ff0;
/** DOMID_INVALID, used by alloc_unbound's remote_dom for "any". */
export const DOMID_INVALID = 0x7ff4;

export const PAGE_SIZE = 4096;

/** struct vcpu_info (48 bytes on ARM) and struct shared_info offsets. */
/** ARM's vcpu_info has no evtchn_upcall_mask: byte 1 is padding (XEN_HAVE_PV_UPCALL_MASK is x86-only). */
export const VCPU_INFO = { size: 48, upcall_pending: 0, pending_sel: 8, time: 16 } as const;
export const SHARED_INFO = { evtchn_pending: 48, evtchn_mask: 560, wc_version: 1072, wc_sec: 1076, wc_nsec: 1080, wc_sec_hi: 1084 } as const;
/** 2-level ABI: 64-bit words (xen_ulong_t is 64-bit on ARM), 64 × 64 ports. */
export const EVTCHN_2L_NR_CHANNELS = 4096;

/** Event-channel port states (EVTCHNSTAT_*). */
export const EVTCHNSTAT = { closed: 0, unbound: 1, interdomain: 2, pirq: 3, virq: 4, ipi: 5 } as const;

export const GNTST = { okay: 0, general_error: -1, bad_domain: -2, bad_virt_addr: -5, permission_denied: -8 } as const;
/** Xen's default limit on grant-table frames (gnttab_max_frames). */
export const GNTTAB_MAX_FRAMES = 64;

/** HVM params readable by the guest (hvm/params.h). */
export const HVM_PARAM = { CALLBACK_IRQ: 0, STORE_PFN: 1, STORE_EVTCHN: 2, CONSOLE_PFN: 17, CONSOLE_EVTCHN: 18 } as const;
export const HVM_NR_PARAMS = 39;
export const VMASST_TYPE_runstate_update_flag = 5;
export const XENPF_settime64 = 62;
export const XENPF_INTERFACE_VERSION = 0x03000001;

/** The guest memory map Xen gives an ARM guest (arch-arm.h). */
export const GUEST = {
  gicdBase: 0x03001000, giccBase: 0x03002000, giccSize: 0x2000,
  grantTableBase: 0x38000000, grantTableSize: 0x01000000,
  ramBase: 0x40000000,
  /** Xen's GUEST_EVTCHN_PPI. */
  evtchnPpi: 31,
} as const;

/** Entry state of a 32-bit guest (Xen's construct_domain / arch_set_info_guest). */
export const BOOT_CPSR = 0x400001d3;
export const BOOT_SCTLR = 0x00c50078;
/** r1 for the device-tree protocol: "no machine number". */
export const DT_MACHINE_ID = 0xffffffff;
/** Machine number of Versatile Express, the default for the legacy ATAGS protocol. */
export const VEXPRESS_MACHINE_ID = 2272;

/** The sub-command name of a hypercall from its first argument (for stop conditions, before it runs). */
export function commandName(nr: number, a0: number): string | undefined {
  switch (nr) {
    case HC.xen_version: return XENVER_NAMES[a0];
    case HC.console_io: return CONSOLEIO_NAMES[a0];
    case HC.memory_op: return MEMOP_NAMES[a0 & 0x3f];
    case HC.event_channel_op: return EVTCHNOP_NAMES[a0];
    case HC.grant_table_op: return GNTTABOP_NAMES[a0];
    case HC.sched_op: return SCHEDOP_NAMES[a0];
    case HC.vcpu_op: return VCPUOP_NAMES[a0];
    case HC.hvm_op: return a0 === 0 ? 'set_param' : a0 === 1 ? 'get_param' : undefined;
    case HC.vm_assist: return a0 === 0 ? 'enable' : a0 === 1 ? 'disable' : undefined;
    default: return undefined;
  }
}
