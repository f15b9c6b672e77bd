// The device tree the hypervisor generates for dom0: only what the virtual platform emulates, laid out
// as Xen's toolstack writes a guest tree (libxl_arm.c) with the dom0-specific chosen node Xen's
// domain_build.c writes: root (model, compatible, 2/2 cells, interrupt-parent), chosen (bootargs,
// initrd), cpus (PSCI enable method), psci (1.0/0.2/0.1 over HVC), memory, the GICv2 at Xen's guest
// addresses, the architected timer's PPIs, and the `hypervisor` node (grant-table region, event PPI).
import { newNode, type DeviceTree, type Node } from '../devicetree/model';
import { GUEST } from './abi';
import { cells, child, empty, prop, strings, u64cells } from './tree-props';

export const XEN_VERSION = { major: 4, minor: 17 } as const;
/** Phandle libxl gives the GIC (GUEST_PHANDLE_GIC). */
export const GIC_PHANDLE = 65000;
/** Interrupt specifier flags: all (4) CPUs in the mask, level-low, as libxl writes them. */
const PPI_FLAGS = 0xf08;
/** PSCI 0.1 function IDs Xen implements (cpu_off, cpu_on). */
const PSCI_0_1_CPU_OFF = 1, PSCI_0_1_CPU_ON = 2;

export interface GuestTreeOptions {
  memoryBytes: number;
  cpus: number;
  mpidrs: number[];
  bootargs?: string;
  initrd?: { start: number; end: number };
}

export function buildGuestTree(o: GuestTreeOptions): DeviceTree {
  const root = newNode('');
  const ver = `${XEN_VERSION.major}.${XEN_VERSION.minor}`;
  prop(root, 'model', strings(`XENVM-${ver}`));
  prop(root, 'compatible', strings(`xen,xenvm-${ver}`, 'xen,xenvm'));
  prop(root, 'interrupt-parent', cells(GIC_PHANDLE));
  prop(root, '#address-cells', cells(2));
  prop(root, '#size-cells', cells(2));

  const chosen = child(root, 'chosen');
  writeChosen(chosen, o.bootargs, o.initrd);

  const cpus = child(root, 'cpus');
  prop(cpus, '#address-cells', cells(1));
  prop(cpus, '#size-cells', cells(0));
  for (let i = 0; i < o.cpus; i++) {
    const reg = o.mpidrs[i] & 0xffffff;
    const cpu = child(cpus, `cpu@${reg.toString(16)}`);
    prop(cpu, 'device_type', strings('cpu'));
    prop(cpu, 'compatible', strings('arm,cortex-a15'));
    prop(cpu, 'enable-method', strings('psci'));
    prop(cpu, 'reg', cells(reg));
  }

  const psci = child(root, 'psci');
  prop(psci, 'compatible', strings('arm,psci-1.0', 'arm,psci-0.2', 'arm,psci'));
  prop(psci, 'method', strings('hvc'));
  prop(psci, 'cpu_off', cells(PSCI_0_1_CPU_OFF));
  prop(psci, 'cpu_on', cells(PSCI_0_1_CPU_ON));

  const mem = child(root, `memory@${GUEST.ramBase.toString(16)}`);
  prop(mem, 'device_type', strings('memory'));
  prop(mem, 'reg', u64cells(GUEST.ramBase, o.memoryBytes));

  const gic = child(root, `interrupt-controller@${GUEST.gicdBase.toString(16)}`);
  prop(gic, 'compatible', strings('arm,cortex-a15-gic', 'arm,cortex-a9-gic'));
  prop(gic, '#interrupt-cells', cells(3));
  prop(gic, '#address-cells', cells(0));
  prop(gic, 'interrupt-controller', empty());
  prop(gic, 'reg', u64cells(GUEST.gicdBase, 0x1000, GUEST.giccBase, GUEST.giccSize));
  prop(gic, 'phandle', cells(GIC_PHANDLE));
  gic.phandle = GIC_PHANDLE;

  const timer = child(root, 'timer');
  prop(timer, 'compatible', strings('arm,armv7-timer'));
  // Secure physical (PPI 29), non-secure physical (30), virtual (27), as Xen gives every guest.
  prop(timer, 'interrupts', cells(1, 13, PPI_FLAGS, 1, 14, PPI_FLAGS, 1, 11, PPI_FLAGS));

  // Linux finds Xen by this node: named exactly "hypervisor" at depth 1 (no unit address, so dtc's
  // unit_address_vs_reg check warns about it on every Xen guest tree).
  const hyp = child(root, 'hypervisor');
  prop(hyp, 'compatible', strings(`xen,xen-${ver}`, 'xen,xen'));
  prop(hyp, 'reg', u64cells(GUEST.grantTableBase, GUEST.grantTableSize));
  prop(hyp, 'interrupts', cells(1, GUEST.evtchnPpi - 16, PPI_FLAGS));

  return { v1: true, plugin: false, reserveMap: [], root, bootCpuidPhys: 0, source: '<xenarm dom0>' };
}

/** Writes bootargs and the initrd range into /chosen (also used on a user-supplied tree). */
export function writeChosen(chosen: Node, bootargs: string | undefined, initrd: { start: number; end: number } | undefined): void {
  if (bootargs !== undefined) prop(chosen, 'bootargs', strings(bootargs));
  if (initrd) {
    prop(chosen, 'linux,initrd-start', u64cells(initrd.start));
    prop(chosen, 'linux,initrd-end', u64cells(initrd.end));
  }
}
