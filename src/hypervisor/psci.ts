// PSCI 1.1 and SMCCC 1.2 over HVC #0 / SMC #0 (Xen's vpsci.c and vsmc.c): function ID in r0, arguments in
// r1–r3, result in r0. 32-bit function IDs only (a 64-bit ID from a 32-bit guest is NOT_SUPPORTED), plus
// the PSCI 0.1 IDs the device tree advertises (cpu_off = 1, cpu_on = 2).

export const PSCI = {
  VERSION: 0x84000000, CPU_SUSPEND: 0x84000001, CPU_OFF: 0x84000002, CPU_ON: 0x84000003,
  AFFINITY_INFO: 0x84000004, MIGRATE: 0x84000005, MIGRATE_INFO_TYPE: 0x84000006, MIGRATE_INFO_UP_CPU: 0x84000007,
  SYSTEM_OFF: 0x84000008, SYSTEM_RESET: 0x84000009, FEATURES: 0x8400000a,
  SMCCC_VERSION: 0x80000000, SMCCC_ARCH_FEATURES: 0x80000001, SMCCC_ARCH_SOC_ID: 0x80000002,
  SMCCC_ARCH_WORKAROUND_1: 0x80008000, SMCCC_ARCH_WORKAROUND_2: 0x80007fff, SMCCC_ARCH_WORKAROUND_3: 0x80003fff,
  V0_1_CPU_OFF: 1, V0_1_CPU_ON: 2,
} as const;

export const PSCI_RET = { SUCCESS: 0, NOT_SUPPORTED: -1, INVALID_PARAMETERS: -2, DENIED: -3, ALREADY_ON: -4, ON_PENDING: -5, INTERNAL_FAILURE: -6 } as const;
export const PSCI_VERSION_1_1 = 0x10001;
export const SMCCC_VERSION_1_2 = 0x10002;

export const PSCI_NAMES: Record<number, string> = {
  [PSCI.VERSION]: 'PSCI_VERSION', [PSCI.CPU_SUSPEND]: 'CPU_SUSPEND', [PSCI.CPU_OFF]: 'CPU_OFF', [PSCI.CPU_ON]: 'CPU_ON',
  [PSCI.AFFINITY_INFO]: 'AFFINITY_INFO', [PSCI.MIGRATE]: 'MIGRATE', [PSCI.MIGRATE_INFO_TYPE]: 'MIGRATE_INFO_TYPE',
  [PSCI.MIGRATE_INFO_UP_CPU]: 'MIGRATE_INFO_UP_CPU', [PSCI.SYSTEM_OFF]: 'SYSTEM_OFF', [PSCI.SYSTEM_RESET]: 'SYSTEM_RESET',
  [PSCI.FEATURES]: 'PSCI_FEATURES', [PSCI.SMCCC_VERSION]: 'SMCCC_VERSION', [PSCI.SMCCC_ARCH_FEATURES]: 'SMCCC_ARCH_FEATURES',
  [PSCI.SMCCC_ARCH_SOC_ID]: 'SMCCC_ARCH_SOC_ID', 0xc4000001: 'CPU_SUSPEND64', 0xc4000003: 'CPU_ON64', 0xc4000004: 'AFFINITY_INFO64',
  [PSCI.V0_1_CPU_OFF]: 'PSCI_0_1_CPU_OFF', [PSCI.V0_1_CPU_ON]: 'PSCI_0_1_CPU_ON',
};

/** What the PSCI layer needs from the domain. */
export interface PsciHost {
  readonly nrVcpus: number;
  mpidr(vcpu: number): number;
  isOnline(vcpu: number): boolean;
  /** Starts a vCPU at `entry` (bit 0: Thumb) with r0 = context. */
  powerOn(vcpu: number, entry: number, context: number): void;
  powerOff(vcpu: number): void;
  /** CPU_SUSPEND: the vCPU sleeps until an interrupt is pending for it (whatever its CPSR.I). */
  suspend(vcpu: number): void;
  systemOff(): void;
  systemReset(): void;
}

const SUPPORTED = new Set<number>([PSCI.VERSION, PSCI.CPU_SUSPEND, PSCI.CPU_OFF, PSCI.CPU_ON, PSCI.AFFINITY_INFO,
  PSCI.MIGRATE_INFO_TYPE, PSCI.SYSTEM_OFF, PSCI.SYSTEM_RESET, PSCI.FEATURES, PSCI.SMCCC_VERSION]);

/** Handles one SMCCC call from `vcpu`; returns the value for r0. */
export function smcccCall(host: PsciHost, vcpu: number, fid: number, a1: number, a2: number, a3: number): number {
  fid >>>= 0;
  switch (fid) {
    case PSCI.VERSION: return PSCI_VERSION_1_1;
    case PSCI.SMCCC_VERSION: return SMCCC_VERSION_1_2;
    case PSCI.SMCCC_ARCH_FEATURES:
      // No firmware workarounds are needed on an emulated core; SOC_ID is not implemented.
      return (a1 >>> 0) === PSCI.SMCCC_VERSION ? PSCI_RET.SUCCESS : PSCI_RET.NOT_SUPPORTED;
    case PSCI.FEATURES: return SUPPORTED.has(a1 >>> 0) ? PSCI_RET.SUCCESS : PSCI_RET.NOT_SUPPORTED;
    // Xen's vpsci: vcpu_block_unless_event_pending, then success (the power state is not looked at).
    case PSCI.CPU_SUSPEND: host.suspend(vcpu); return PSCI_RET.SUCCESS;
    case PSCI.MIGRATE_INFO_TYPE: return 2; // Trusted OS not present: no migration needed
    case PSCI.CPU_OFF: case PSCI.V0_1_CPU_OFF:
      host.powerOff(vcpu);
      return PSCI_RET.SUCCESS;
    case PSCI.CPU_ON: return cpuOn(host, findByMpidr(host, a1), a2, a3);
    case PSCI.V0_1_CPU_ON: return cpuOn(host, a1 >>> 0 < host.nrVcpus ? a1 >>> 0 : -1, a2, 0);
    case PSCI.AFFINITY_INFO: {
      const level = a2 >>> 0;
      if (level > 2) return PSCI_RET.INVALID_PARAMETERS;
      const mask = level === 0 ? 0xffffff : level === 1 ? 0xffff00 : 0xff0000;
      let any = false, on = false;
      for (let i = 0; i < host.nrVcpus; i++) {
        if (((host.mpidr(i) ^ a1) & mask) !== 0) continue;
        any = true;
        if (host.isOnline(i)) on = true;
      }
      return !any ? PSCI_RET.INVALID_PARAMETERS : on ? 0 : 1;
    }
    case PSCI.SYSTEM_OFF: host.systemOff(); return PSCI_RET.SUCCESS;
    case PSCI.SYSTEM_RESET: host.systemReset(); return PSCI_RET.SUCCESS;
    default: return PSCI_RET.NOT_SUPPORTED;
  }
}

function findByMpidr(host: PsciHost, target: number): number {
  for (let i = 0; i < host.nrVcpus; i++) if ((host.mpidr(i) & 0xffffff) === ((target >>> 0) & 0xffffff)) return i;
  return -1;
}

function cpuOn(host: PsciHost, vcpu: number, entry: number, context: number): number {
  if (vcpu < 0) return PSCI_RET.INVALID_PARAMETERS;
  if (host.isOnline(vcpu)) return PSCI_RET.ALREADY_ON;
  host.powerOn(vcpu, entry >>> 0, context >>> 0);
  return PSCI_RET.SUCCESS;
}
