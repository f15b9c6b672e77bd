// dtc's OF graph checks: ports/port/endpoint naming, their reg and unit addresses, and that
// remote-endpoint links point back.
import { getProperty, nodePath, type Node } from '../model';
import type { CheckContext, CheckDescriptor } from './framework';
import {
  addrCellsRaw, baseNameLength, busMap, hex, liveChildren, nodeByPhandle, propvalCell, signedCell, sizeCellsRaw, strprefixeq, unitName,
} from './extra-util';

function graphReg(ctx: CheckContext, node: Node): void {
  const prop = getProperty(node, 'reg');
  if (!prop) return;
  if (prop.value.bytes.length !== 4) {
    ctx.fail(node, "graph node malformed 'reg' property");
    return;
  }
  const expected = hex(propvalCell(prop));
  if (unitName(node) !== expected) ctx.fail(node, `graph node unit address error, expected "${expected}"`);
  const parent = node.parent!;
  const a = addrCellsRaw(ctx, parent);
  const s = sizeCellsRaw(ctx, parent);
  if (a !== 1) {
    const p = getProperty(node, '#address-cells');
    const msg = `graph node '#address-cells' is ${a}, must be 1`;
    if (p) ctx.failProp(node, p, msg);
    else ctx.fail(node, msg);
  }
  if (s !== 0) {
    const p = getProperty(node, '#size-cells');
    const msg = `graph node '#size-cells' is ${s}, must be 0`;
    if (p) ctx.failProp(node, p, msg);
    else ctx.fail(node, msg);
  }
}

function remoteEndpoint(ctx: CheckContext, endpoint: Node): Node | undefined {
  const prop = getProperty(endpoint, 'remote-endpoint');
  if (!prop) return undefined;
  const phandle = signedCell(prop, 0);
  if (phandle === 0 || phandle === -1) return undefined; // an overlay with external references
  const node = nodeByPhandle(ctx, phandle);
  if (!node) ctx.failProp(endpoint, prop, 'graph phandle is not valid');
  return node;
}

export const graphChecks: CheckDescriptor[] = [
  {
    name: 'graph_nodes', warn: true, error: false, prereqs: [],
    fn: (ctx, node) => {
      const buses = busMap(ctx);
      for (const child of liveChildren(node)) {
        if (!(strprefixeq(child.name, baseNameLength(child), 'endpoint') || getProperty(child, 'remote-endpoint'))) continue;
        buses.set(node, 'graph-port');
        // The parent of 'port' nodes can be either 'ports' or a device.
        if (node.parent && !buses.has(node.parent) && (node.parent.name === 'ports' || getProperty(node, 'reg'))) {
          buses.set(node.parent, 'graph-ports');
        }
        break;
      }
    },
  },
  {
    name: 'graph_child_address', warn: true, error: false, prereqs: ['graph_nodes'],
    fn: (ctx, node) => {
      const bus = busMap(ctx).get(node);
      if (bus !== 'graph-ports' && bus !== 'graph-port') return;
      let cnt = 0;
      for (const child of liveChildren(node)) {
        const prop = getProperty(child, 'reg');
        if (prop && propvalCell(prop) !== 0) return; // any non-zero unit address is fine
        cnt++;
      }
      if (cnt === 1 && addrCellsRaw(ctx, node) !== -1) {
        ctx.fail(node, `graph node has single child node '${node.children[0]?.name ?? ''}', #address-cells/#size-cells are not necessary`);
      }
    },
  },
  {
    name: 'graph_port', warn: true, error: false, prereqs: ['graph_nodes'],
    fn: (ctx, node) => {
      if (busMap(ctx).get(node) !== 'graph-port') return;
      if (!strprefixeq(node.name, baseNameLength(node), 'port')) ctx.fail(node, "graph port node name should be 'port'");
      graphReg(ctx, node);
    },
  },
  {
    name: 'graph_endpoint', warn: true, error: false, prereqs: ['graph_nodes'],
    fn: (ctx, node) => {
      if (!node.parent || busMap(ctx).get(node.parent) !== 'graph-port') return;
      if (!strprefixeq(node.name, baseNameLength(node), 'endpoint')) ctx.fail(node, "graph endpoint node name should be 'endpoint'");
      graphReg(ctx, node);
      const remote = remoteEndpoint(ctx, node);
      if (!remote) return;
      if (remoteEndpoint(ctx, remote) !== node) ctx.fail(node, `graph connection to node '${nodePath(remote)}' is not bidirectional`);
    },
  },
];
