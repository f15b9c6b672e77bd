// The rows of the Boot State view: dom0's entry registers and where the builder put the kernel, the tree
// and the initrd. Rows whose value is a guest address carry it so the view can open the memory view there.
import type { BootRecord } from '../../debug/protocol';
import { formatSize } from '../devicetree/dt-outline';

export interface BootRow {
  label: string;
  value: string;
  tooltip?: string;
  /** A guest physical address the memory view can open. */
  address?: number;
  children?: BootRow[];
}

const hex = (v: number) => `0x${(v >>> 0).toString(16).padStart(8, '0')}`;

const REGISTER_NOTES: Record<string, Record<string, string>> = {
  'xen-dom0': {
    r0: 'must be 0 (Linux ARM boot protocol)',
    r1: 'machine type number; 0xffffffff = none, the device tree describes the machine',
    r2: 'physical address of the device tree blob',
    cpsr: 'SVC mode, IRQ and FIQ masked (0x1d3)',
    pc: 'kernel entry point',
  },
  baremetal: { pc: 'program entry point', cpsr: 'SVC mode, interrupts masked' },
};

/** The kernel image kind from its file name and entry (the builder records the path). */
export function kernelKind(path: string): string {
  const base = path.split(/[\\/]/).pop() ?? path;
  if (/^vmlinux/.test(base) || /\.elf$/i.test(base)) return 'ELF';
  if (/^zImage|^vmlinuz/i.test(base)) return 'zImage';
  if (/^uImage/i.test(base)) return 'uImage';
  if (/^Image/.test(base)) return 'Image';
  return 'raw binary or other';
}

export function bootRows(b: BootRecord): BootRow[] {
  const notes = REGISTER_NOTES[b.protocol] ?? {};
  const order = ['r0', 'r1', 'r2', 'cpsr', 'pc'];
  const names = [...order.filter((r) => r in b.registers), ...Object.keys(b.registers).filter((r) => !order.includes(r))];
  const regs: BootRow[] = names.map((r) => {
    const v = b.registers[r];
    const isAddr = r === 'pc' || (r === 'r2' && b.protocol === 'xen-dom0');
    return { label: r, value: hex(v), tooltip: notes[r], address: isAddr ? v : undefined };
  });
  const rows: BootRow[] = [
    { label: 'Boot protocol', value: b.protocol === 'xen-dom0' ? 'Xen dom0 (device tree in r2)' : 'bare metal' },
    { label: 'Entry registers', value: '', children: regs },
    {
      label: 'Kernel',
      value: `${kernelKind(b.kernel.path)} at ${hex(b.kernel.start)}`,
      tooltip: b.kernel.path,
      address: b.kernel.start,
      children: [
        { label: 'image', value: b.kernel.path },
        { label: 'kind', value: kernelKind(b.kernel.path) },
        { label: 'load address', value: hex(b.kernel.start), address: b.kernel.start },
        { label: 'end', value: hex(b.kernel.end) },
        { label: 'size', value: formatSize(BigInt((b.kernel.end - b.kernel.start) >>> 0)) },
        { label: 'entry', value: hex(b.entry), address: b.entry },
      ],
    },
  ];
  if (b.dtb) rows.push({ label: 'Device tree', value: `${hex(b.dtb.start)}, ${formatSize(BigInt(b.dtb.size))}`, address: b.dtb.start });
  if (b.initrd) rows.push({ label: 'Initrd', value: `${hex(b.initrd.start)}..${hex(b.initrd.end - 1)}, ${formatSize(BigInt((b.initrd.end - b.initrd.start) >>> 0))}`, address: b.initrd.start });
  if (b.ram.length) rows.push({ label: 'RAM', value: b.ram.map((r) => `${hex(r.base)} ${formatSize(BigInt(r.size))}`).join(', '), address: b.ram[0].base });
  if (b.bootargs !== undefined) rows.push({ label: 'bootargs', value: b.bootargs });
  if (b.log.length) rows.push({ label: 'Builder log', value: `${b.log.length} lines`, children: b.log.map((l, i) => ({ label: String(i + 1), value: l })) });
  return rows;
}
