// dtc's /chosen checks.
import { getProperty } from '../model';
import type { CheckDescriptor } from './framework';
import { checkIsString } from './extra-types';
import { nodeByPath } from './extra-util';

export const chosenChecks: CheckDescriptor[] = [
  {
    name: 'obsolete_chosen_interrupt_controller', warn: true, error: false, prereqs: [],
    fn: (ctx, node) => {
      if (node !== ctx.tree.root) return;
      const chosen = nodeByPath(ctx.tree.root, '/chosen');
      if (!chosen) return;
      const prop = getProperty(chosen, 'interrupt-controller');
      // dtc reports it against the root node with the /chosen property's position.
      if (prop) ctx.failProp(node, prop, '/chosen has obsolete "interrupt-controller" property');
    },
  },
  {
    name: 'chosen_node_is_root', warn: true, error: false, prereqs: [],
    fn: (ctx, node) => {
      if (node.name === 'chosen' && node.parent !== ctx.tree.root) ctx.fail(node, 'chosen node must be at root node');
    },
  },
  {
    name: 'chosen_node_bootargs', warn: true, error: false, prereqs: [],
    fn: (ctx, node) => {
      if (node.name !== 'chosen') return;
      if (getProperty(node, 'bootargs')) checkIsString(ctx, node, 'bootargs');
    },
  },
  {
    name: 'chosen_node_stdout_path', warn: true, error: false, prereqs: [],
    fn: (ctx, node) => {
      if (node.name !== 'chosen') return;
      let prop = getProperty(node, 'stdout-path');
      if (!prop) {
        prop = getProperty(node, 'linux,stdout-path');
        if (!prop) return;
        ctx.failProp(node, prop, "Use 'stdout-path' instead");
      }
      checkIsString(ctx, node, prop.name);
    },
  },
];
