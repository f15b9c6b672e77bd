// dtc's addressing checks: #address-cells/#size-cells bookkeeping, reg/ranges/dma-ranges formats,
// unit addresses against reg, default and unnecessary cell counts, duplicate unit addresses.
import { dtcHasChildren, getProperty, nodePath, type Node } from '../model';
import type { CheckContext, CheckDescriptor } from './framework';
import {
  addrCellsRaw, busMap, cstr, liveChildren, nodeAddrCells, nodeSizeCells, propvalCell, sizeCellsRaw, unitName,
} from './extra-util';

const isMultipleOf = (multiple: number, divisor: number) => (divisor === 0 ? multiple === 0 : multiple % divisor === 0);

function rangesFormat(ctx: CheckContext, node: Node): void {
  const ranges = ctx.check.data as string;
  const prop = getProperty(node, ranges);
  if (!prop) return;
  if (!node.parent) {
    ctx.failProp(node, prop, `Root node has a "${ranges}" property`);
    return;
  }
  const pAddr = nodeAddrCells(ctx, node.parent);
  const pSize = nodeSizeCells(ctx, node.parent);
  const cAddr = nodeAddrCells(ctx, node);
  const cSize = nodeSizeCells(ctx, node);
  const entrylen = (pAddr + cAddr + cSize) * 4;
  const len = prop.value.bytes.length;
  if (len === 0) {
    if (pAddr !== cAddr) {
      ctx.failProp(node, prop, `empty "${ranges}" property but its #address-cells (${cAddr}) differs from ${nodePath(node.parent)} (${pAddr})`);
    }
    if (pSize !== cSize) {
      ctx.failProp(node, prop, `empty "${ranges}" property but its #size-cells (${cSize}) differs from ${nodePath(node.parent)} (${pSize})`);
    }
  } else if (!isMultipleOf(len, entrylen)) {
    ctx.failProp(node, prop, `"${ranges}" property has invalid length (${len} bytes) (parent #address-cells == ${pAddr}, child #address-cells == ${cAddr}, #size-cells == ${cSize})`);
  }
}

function nodeIsDisabled(node: Node): boolean {
  const p = getProperty(node, 'status');
  return p ? cstr(p) === 'disabled' : false;
}

function uniqueUnitAddress(ctx: CheckContext, node: Node, disableCheck: boolean): void {
  if (addrCellsRaw(ctx, node) < 0 || sizeCellsRaw(ctx, node) < 0) return;
  if (!dtcHasChildren(node)) return;
  // dtc compares every child with each earlier sibling; grouping by unit address gives the same
  // messages in the same order without the quadratic walk (20,000-node buses exist).
  const earlier = new Map<string, Node[]>();
  for (const a of liveChildren(node)) {
    const addrA = unitName(a);
    if (!addrA) continue;
    if (disableCheck && nodeIsDisabled(a)) continue;
    const same = earlier.get(addrA);
    if (same) for (const b of same) ctx.fail(b, `duplicate unit-address (also used in node ${nodePath(a)})`);
    if (same) same.push(a);
    else earlier.set(addrA, [a]);
  }
}

export const addressingChecks: CheckDescriptor[] = [
  {
    name: 'addr_size_cells', warn: true, error: false, prereqs: ['address_cells_is_cell', 'size_cells_is_cell'],
    fn: (ctx, node) => {
      const a = getProperty(node, '#address-cells');
      const s = getProperty(node, '#size-cells');
      ctx.addrCells.set(node, a ? propvalCell(a) | 0 : -1);
      ctx.sizeCells.set(node, s ? propvalCell(s) | 0 : -1);
    },
  },
  {
    name: 'reg_format', warn: true, error: false, prereqs: ['addr_size_cells'],
    fn: (ctx, node) => {
      const prop = getProperty(node, 'reg');
      if (!prop) return;
      if (!node.parent) {
        ctx.fail(node, 'Root node has a "reg" property');
        return;
      }
      const len = prop.value.bytes.length;
      if (len === 0) ctx.failProp(node, prop, 'property is empty');
      const a = nodeAddrCells(ctx, node.parent);
      const s = nodeSizeCells(ctx, node.parent);
      if (!isMultipleOf(len, (a + s) * 4)) {
        ctx.failProp(node, prop, `property has invalid length (${len} bytes) (#address-cells == ${a}, #size-cells == ${s})`);
      }
    },
  },
  { name: 'ranges_format', warn: true, error: false, prereqs: ['addr_size_cells'], fn: rangesFormat, data: 'ranges' },
  { name: 'dma_ranges_format', warn: true, error: false, prereqs: ['addr_size_cells'], fn: rangesFormat, data: 'dma-ranges' },
  {
    name: 'unit_address_vs_reg', warn: true, error: false, prereqs: [],
    fn: (ctx, node) => {
      if (node.children.some((c) => !c.deleted && c.name === '__overlay__')) return;
      const unit = unitName(node);
      let prop = getProperty(node, 'reg');
      if (!prop) {
        prop = getProperty(node, 'ranges');
        if (prop && prop.value.bytes.length === 0) prop = undefined;
      }
      if (prop) {
        if (!unit) ctx.fail(node, 'node has a reg or ranges property, but no unit name');
      } else if (unit) ctx.fail(node, 'node has a unit name, but no reg or ranges property');
    },
  },
  {
    name: 'unit_address_format', warn: true, error: false, prereqs: ['node_name_format', 'pci_bridge', 'simple_bus_bridge'],
    fn: (ctx, node) => {
      if (node.parent && busMap(ctx).has(node.parent)) return;
      let unit = unitName(node);
      if (!unit) return;
      if (unit.startsWith('0x')) {
        ctx.fail(node, 'unit name should not have leading "0x"');
        unit = unit.slice(2);
      }
      if (unit[0] === '0' && /^[0-9a-fA-F]$/.test(unit[1] ?? '')) ctx.fail(node, 'unit name should not have leading 0s');
    },
  },
  {
    name: 'avoid_default_addr_size', warn: true, error: false, prereqs: ['addr_size_cells'],
    fn: (ctx, node) => {
      if (!node.parent) return;
      if (!getProperty(node, 'reg') && !getProperty(node, 'ranges')) return;
      if (addrCellsRaw(ctx, node.parent) === -1) ctx.fail(node, 'Relying on default #address-cells value');
      if (sizeCellsRaw(ctx, node.parent) === -1) ctx.fail(node, 'Relying on default #size-cells value');
    },
  },
  {
    name: 'avoid_unnecessary_addr_size', warn: true, error: false, prereqs: ['avoid_default_addr_size'],
    fn: (ctx, node) => {
      if (!node.parent || addrCellsRaw(ctx, node) < 0 || sizeCellsRaw(ctx, node) < 0) return;
      if (getProperty(node, 'ranges') || !dtcHasChildren(node)) return;
      if (!liveChildren(node).some((c) => getProperty(c, 'reg'))) {
        ctx.fail(node, 'unnecessary #address-cells/#size-cells without "ranges" or child "reg" property');
      }
    },
  },
  { name: 'unique_unit_address', warn: true, error: false, prereqs: ['avoid_default_addr_size'], fn: (ctx, node) => uniqueUnitAddress(ctx, node, false) },
  { name: 'unique_unit_address_if_enabled', warn: false, error: false, prereqs: ['avoid_default_addr_size'], fn: (ctx, node) => uniqueUnitAddress(ctx, node, true) },
];
