// dtc's interrupt checks: `interrupts` resolved through the interrupt-parent walk, and providers
// (interrupt-controller or interrupt-map) declaring #interrupt-cells and #address-cells.
import { getProperty, type Node, type Property } from '../model';
import type { CheckContext, CheckDescriptor } from './framework';
import { nodeByPhandle, propvalCell, signedCell } from './extra-util';

function isInterruptProvider(n: Node): boolean {
  return !!getProperty(n, 'interrupt-controller') || !!getProperty(n, 'interrupt-map');
}

function interruptsProperty(ctx: CheckContext, node: Node): void {
  const irqProp = getProperty(node, 'interrupts');
  if (!irqProp) return;
  const len = irqProp.value.bytes.length;
  if (len % 4 !== 0) ctx.failProp(node, irqProp, `size (${len}) is invalid, expected multiple of 4`);

  let irqNode: Node | undefined;
  let parent: Node | null = node;
  let prop: Property | undefined;
  while (parent && !prop) {
    if (parent !== node && isInterruptProvider(parent)) {
      irqNode = parent;
      break;
    }
    prop = getProperty(parent, 'interrupt-parent');
    if (prop) {
      const phandle = signedCell(prop, 0);
      if (phandle === 0 || phandle === -1) {
        if (ctx.plugin) return; // an overlay with external references
        ctx.failProp(parent, prop, 'Invalid phandle');
        continue; // dtc's `continue` ends the walk: prop is set
      }
      irqNode = nodeByPhandle(ctx, phandle);
      if (!irqNode) {
        ctx.failProp(parent, prop, 'Bad phandle');
        return;
      }
      if (!isInterruptProvider(irqNode)) ctx.fail(irqNode, 'Missing interrupt-controller or interrupt-map property');
      break;
    }
    parent = parent.parent;
  }
  if (!irqNode) {
    ctx.fail(node, 'Missing interrupt-parent');
    return;
  }
  const cellsProp = getProperty(irqNode, '#interrupt-cells');
  if (!cellsProp) return; // interrupt_provider reports it
  const irqCells = propvalCell(cellsProp);
  const size = irqCells * 4;
  if (size === 0 ? len !== 0 : len % size !== 0) {
    // dtc positions this one at the provider's #interrupt-cells while naming this node.
    ctx.failProp(node, cellsProp, `size is (${len}), expected multiple of ${size | 0}`);
  }
}

export const interruptChecks: CheckDescriptor[] = [
  // dtc 1.6.1 passes &phandle_references as the check's data, not as a prerequisite.
  { name: 'interrupts_property', warn: true, error: false, prereqs: [], fn: interruptsProperty },
  {
    name: 'interrupt_provider', warn: true, error: false, prereqs: [],
    fn: (ctx, node) => {
      if (!isInterruptProvider(node)) return;
      if (!getProperty(node, '#interrupt-cells')) ctx.fail(node, 'Missing #interrupt-cells in interrupt provider');
      if (!getProperty(node, '#address-cells')) ctx.fail(node, 'Missing #address-cells in interrupt provider');
    },
  },
];
