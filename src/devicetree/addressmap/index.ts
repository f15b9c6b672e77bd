// The address map of a device tree: every `reg` region translated to a CPU physical address through
// the parents' `ranges`, `dma-ranges` windows, overlapping regions, and every interrupt resolved to
// its controller. The hypervisor, the debugger and the DTS preview read trees through this.
import { getProperty, nodePath, type DeviceTree, type Diagnostic, type Node, type Property, type SourcePos } from '../model';
import { addressCells, cellCount, cells, hasOwnCells, numberOf, phandleIndex, readNumber, sizeCells } from './cells';
import { routeInterrupts, type InterruptRoute, type RouteProblem } from './interrupts';
import { MAX_CELLS, isPciBus, translate, type TranslateProblem } from './translate';

export type { InterruptRoute } from './interrupts';
export { translate } from './translate';

export interface Region {
  node: Node;
  path: string;
  /** Which reg entry of the node. */
  index: number;
  /** As written in reg (the parent's #address-cells / #size-cells). */
  busAddress: bigint;
  size: bigint;
  /** Undefined when not translatable (an ancestor lacks `ranges`, or no range covers it). */
  cpuAddress: bigint | undefined;
  /** Regions overlapping this one (`path` or `path#index`), ancestors and descendants excluded. */
  overlapsWith: string[];
  /** The node is not disabled (`status` absent, "okay" or "ok"). */
  enabled: boolean;
  pos?: SourcePos;
}

export interface DmaWindow {
  /** The bus node carrying `dma-ranges`; `cpuAddress` is the parent address taken up through the ancestors' dma-ranges. */
  node: Node;
  path: string;
  index: number;
  childAddress: bigint;
  parentAddress: bigint;
  cpuAddress: bigint | undefined;
  size: bigint;
  pos?: SourcePos;
}

export interface AddressMap {
  /** Sorted by CPU address (then path); untranslatable regions last, in tree order. */
  regions: Region[];
  dma: DmaWindow[];
  interrupts: InterruptRoute[];
  diagnostics: Diagnostic[];
}

/** Name used for region references: `path`, or `path#index` for the second and later entries. */
export function regionName(r: Pick<Region, 'path' | 'index'>): string {
  return r.index === 0 ? r.path : `${r.path}#${r.index}`;
}

function isEnabled(n: Node): boolean {
  const p = getProperty(n, 'status');
  if (!p) return true;
  const s = String.fromCharCode(...p.value.bytes).replace(/\0.*$/s, '');
  return s === 'okay' || s === 'ok';
}

function isAncestor(a: Node, b: Node): boolean {
  for (let p = b.parent; p; p = p.parent) if (p === a) return true;
  return false;
}

export function buildAddressMap(tree: DeviceTree): AddressMap {
  const diagnostics: Diagnostic[] = [];
  const report = (severity: 'error' | 'warning', message: string, node: Node, prop?: Property) => {
    const pos = prop?.pos ?? node.pos;
    diagnostics.push(pos ? { severity, check: 'address_map', message, pos } : { severity, check: 'address_map', message });
  };
  const regions: Region[] = [];
  const dma: DmaWindow[] = [];
  const reportedBus = new Set<Node>();

  const problem = (p: TranslateProblem, severity: 'error' | 'warning', who: Node, prop: Property) => {
    // One message per bus that hides its children; per node for everything else.
    if (p.message.includes('has no "ranges"')) {
      if (reportedBus.has(p.node)) return;
      reportedBus.add(p.node);
      report(severity, p.message, p.node, p.prop);
      return;
    }
    report(severity, `${nodePath(who)}: ${p.message}`, who, prop);
  };

  const visit = (n: Node) => {
    if (n.deleted) return;
    const parent = n.parent;
    const reg = getProperty(n, 'reg');
    if (reg && parent && (addressCells(parent) > MAX_CELLS || sizeCells(parent) > MAX_CELLS)) {
      report('error', `${nodePath(n)}: implausible #address-cells/#size-cells in ${nodePath(parent)} (more than ${MAX_CELLS})`, n, reg);
    } else if (reg && parent) {
      const na = addressCells(parent);
      const ns = sizeCells(parent);
      const entry = na + ns;
      const total = cellCount(reg);
      if (!hasOwnCells(parent)) {
        report('warning', `${nodePath(n)}: "reg" relies on the default #address-cells (2) / #size-cells (1) of ${nodePath(parent)}`, n, reg);
      }
      if (entry === 0 || reg.value.bytes.length % (entry * 4) !== 0) {
        report('error', `${nodePath(n)}: "reg" is ${reg.value.bytes.length} bytes, not a multiple of ${entry * 4} (#address-cells = ${na}, #size-cells = ${ns} in ${nodePath(parent)})`, n, reg);
      }
      const pciConfig = isPciBus(parent) && na === 3;
      for (let i = 0; entry > 0 && (i + 1) * entry <= total; i++) {
        const addr = cells(reg, i * entry, na);
        const size = readNumber(reg, i * entry + na, ns);
        let cpu: bigint | undefined;
        if (ns === 0) {
          cpu = undefined; // #size-cells 0: CPU ids, I2C addresses, chip selects are not memory-mapped
        } else if (pciConfig && ((addr[0] >>> 24) & 3) === 0) {
          cpu = undefined; // PCI configuration space: reached through the host bridge, not mapped
        } else {
          const t = translate(addr, parent, size);
          cpu = t.cpu;
          if (t.problem) problem(t.problem, 'warning', n, reg);
          if (t.overrun) report('warning', `${nodePath(n)}: reg entry ${i} (size 0x${size.toString(16)}) ${t.overrun.message}`, n, reg);
        }
        regions.push({ node: n, path: nodePath(n), index: i, busAddress: pciConfig ? numberOf(addr.slice(1)) : numberOf(addr), size, cpuAddress: cpu, overlapsWith: [], enabled: isEnabled(n), pos: reg.pos });
      }
    }
    const dr = getProperty(n, 'dma-ranges');
    if (dr && parent && dr.value.bytes.length > 0 && Math.max(addressCells(n), addressCells(parent), sizeCells(n)) <= MAX_CELLS) {
      const cna = addressCells(n);
      const pna = addressCells(parent);
      const cns = sizeCells(n);
      const entry = cna + pna + cns;
      const total = cellCount(dr);
      if (dr.value.bytes.length % (entry * 4) !== 0) {
        report('error', `${nodePath(n)}: "dma-ranges" is ${dr.value.bytes.length} bytes, not a multiple of ${entry * 4} (child #address-cells = ${cna}, parent #address-cells = ${pna}, #size-cells = ${cns})`, n, dr);
      }
      for (let i = 0; (i + 1) * entry <= total; i++) {
        const base = i * entry;
        const paddr = cells(dr, base + cna, pna);
        // The parent address is a DMA address on the parent's bus: it goes up through dma-ranges.
        const t = translate(paddr, parent, 0n, 'dma-ranges');
        if (t.problem) problem(t.problem, 'warning', n, dr);
        dma.push({ node: n, path: nodePath(n), index: i, childAddress: readNumber(dr, base, cna), parentAddress: numberOf(paddr), cpuAddress: t.cpu, size: readNumber(dr, base + cna + pna, cns), pos: dr.pos });
      }
    }
    for (const c of n.children) visit(c);
  };
  visit(tree.root);

  // Sort: translated by address then path; untranslated keep tree order at the end.
  const translated = regions.filter((r) => r.cpuAddress !== undefined);
  const untranslated = regions.filter((r) => r.cpuAddress === undefined);
  translated.sort((a, b) => (a.cpuAddress! < b.cpuAddress! ? -1 : a.cpuAddress! > b.cpuAddress! ? 1 : a.path < b.path ? -1 : a.path > b.path ? 1 : a.index - b.index));

  // Sweep for overlaps among non-empty regions.
  const active: Region[] = [];
  for (const r of translated) {
    if (r.size === 0n) continue;
    const start = r.cpuAddress!;
    for (let k = active.length - 1; k >= 0; k--) if (active[k].cpuAddress! + active[k].size <= start) active.splice(k, 1);
    for (const a of active) {
      if (a.node === r.node || isAncestor(a.node, r.node) || isAncestor(r.node, a.node)) continue;
      a.overlapsWith.push(regionName(r));
      r.overlapsWith.push(regionName(a));
      if (a.enabled && r.enabled) {
        const span = (x: Region) => `0x${x.cpuAddress!.toString(16)}..0x${(x.cpuAddress! + x.size - 1n).toString(16)}`;
        report('warning', `${regionName(r)} (${span(r)}) overlaps ${regionName(a)} (${span(a)})`, r.node, getProperty(r.node, 'reg'));
      }
    }
    active.push(r);
  }

  const problems: RouteProblem[] = [];
  const interrupts = routeInterrupts(tree.root, phandleIndex(tree), problems);
  for (const p of problems) report('warning', p.message, p.node, p.prop);

  return { regions: [...translated, ...untranslated], dma, interrupts, diagnostics };
}
