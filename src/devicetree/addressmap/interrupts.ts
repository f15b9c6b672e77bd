// Interrupt routing as Linux resolves it (of_irq_parse_one / of_irq_parse_raw, following the
// Devicetree Specification chapter 2.4): `interrupts-extended` first, else `interrupts` with the
// interrupt parent found by walking `interrupt-parent` and ancestors to a node with
// #interrupt-cells; then through interrupt-map nexus nodes (unit address and specifier masked by
// interrupt-map-mask) until a node with `interrupt-controller`.
import { getProperty, nodePath, type Node, type Property, type SourcePos } from '../model';
import { cell, cellCount, cells, interruptCells } from './cells';

export interface InterruptRoute {
  node: Node;
  path: string;
  /** The index-th interrupt of the node. */
  index: number;
  /** The interrupt controller reached (undefined when routing failed). */
  controller: Node | undefined;
  controllerPath: string | undefined;
  /** The specifier as the controller sees it (after interrupt-map translation). */
  specifier: number[];
  /** interrupt-map nexus nodes crossed, in order. */
  via: string[];
  pos?: SourcePos;
}

export interface RouteProblem {
  message: string;
  node: Node;
  prop?: Property;
}

/** Linux's of_irq_find_parent: the node's (or an ancestor's) interrupt-parent, up to a node with #interrupt-cells. */
export function interruptParent(n: Node, phandles: Map<number, Node>): Node | undefined {
  let child: Node = n;
  const seen = new Set<Node>();
  for (;;) {
    const ip = getProperty(child, 'interrupt-parent');
    const p: Node | undefined = ip && ip.value.bytes.length === 4 ? phandles.get(cell(ip, 0)) : (child.parent ?? undefined);
    if (!p || seen.has(p)) return undefined; // none, or a loop of interrupt-parent links
    if (interruptCells(p) !== undefined) return p;
    seen.add(p);
    child = p;
  }
}

/** The `#address-cells` Linux uses for a nexus' unit addresses: its own, else its ancestors', else 2. */
function nexusAddressCells(n: Node): number {
  for (let p: Node | null = n; p; p = p.parent) {
    const a = getProperty(p, '#address-cells');
    if (a && a.value.bytes.length === 4) return cell(a, 0);
  }
  return 2;
}

/** Follows one specifier from `parent` to a controller; `addr` is the device's unit address cells. */
export function resolve(
  start: Node,
  specIn: number[],
  addrIn: number[],
  phandles: Map<number, Node>,
): { controller?: Node; specifier: number[]; via: string[]; problem?: RouteProblem } {
  let ipar: Node | undefined = start;
  let spec = specIn;
  let addr = addrIn;
  const via: string[] = [];
  // The first nexus' unit-address width is looked up through its ancestors (Linux's "old trick");
  // after an interrupt-map hop it is the new parent's own #address-cells, or 0.
  let addrsize = nexusAddressCells(start);
  for (let hops = 0; ipar && hops < 64; hops++) {
    const intsize = interruptCells(ipar);
    if (intsize === undefined) return { specifier: spec, via, problem: { message: `${nodePath(ipar)} has no #interrupt-cells`, node: ipar } };
    if (intsize !== spec.length) {
      return { specifier: spec, via, problem: { message: `${nodePath(ipar)} has #interrupt-cells = <${intsize}> but the specifier has ${spec.length} cells`, node: ipar } };
    }
    if (intsize > 64 || addrsize > 64) {
      return { specifier: spec, via, problem: { message: `implausible #interrupt-cells/#address-cells on ${nodePath(ipar)}`, node: ipar } };
    }
    const intc = !!getProperty(ipar, 'interrupt-controller');
    const map = getProperty(ipar, 'interrupt-map');
    // An interrupt-map on a controller takes precedence (Linux since 5.16); without one we are done.
    if (intc && !map) return { controller: ipar, specifier: spec, via };
    if (!map) {
      // Neither a controller nor a nexus: Linux carries on to this node's own interrupt parent.
      ipar = interruptParent(ipar, phandles);
      addrsize = ipar ? nexusAddressCells(ipar) : 0;
      continue;
    }
    const maskProp = getProperty(ipar, 'interrupt-map-mask');
    const keyLen = addrsize + intsize;
    const key = [...Array.from({ length: addrsize }, (_, i) => addr[i] ?? 0), ...spec];
    const mask = Array.from({ length: keyLen }, (_, i) => (maskProp && i < cellCount(maskProp) ? cell(maskProp, i) : 0xffffffff));
    const total = cellCount(map);
    let i = 0;
    let matched = false;
    while (i + keyLen < total) {
      const entryKey = cells(map, i, keyLen);
      const ph = cell(map, i + keyLen);
      const next = phandles.get(ph);
      if (!next) return { specifier: spec, via, problem: { message: `interrupt-map entry at cell ${i} refers to unknown phandle 0x${ph.toString(16)}`, node: ipar, prop: map } };
      const pIntsize = interruptCells(next);
      if (pIntsize === undefined) return { specifier: spec, via, problem: { message: `interrupt-map entry at cell ${i}: ${nodePath(next)} has no #interrupt-cells`, node: ipar, prop: map } };
      // The parent's unit address width: its own #address-cells, 0 when absent (Linux).
      const pa = getProperty(next, '#address-cells');
      const pAddrsize = pa && pa.value.bytes.length === 4 ? cell(pa, 0) : 0;
      const end = i + keyLen + 1 + pAddrsize + pIntsize;
      if (end > total) return { specifier: spec, via, problem: { message: `interrupt-map entry at cell ${i} is truncated`, node: ipar, prop: map } };
      const hit = entryKey.every((v, k) => ((key[k] & mask[k]) >>> 0) === ((v & mask[k]) >>> 0));
      if (hit) {
        via.push(nodePath(ipar));
        addr = cells(map, i + keyLen + 1, pAddrsize);
        spec = cells(map, i + keyLen + 1 + pAddrsize, pIntsize);
        ipar = next;
        addrsize = pAddrsize;
        matched = true;
        break;
      }
      i = end;
    }
    if (!matched && intc) return { controller: ipar, specifier: spec, via };
    if (!matched) {
      const masked = key.map((v, k) => '0x' + ((v & mask[k]) >>> 0).toString(16)).join(' ');
      return { specifier: spec, via, problem: { message: `no interrupt-map entry of ${nodePath(ipar)} matches <${masked}> (unit address and specifier after interrupt-map-mask)`, node: ipar, prop: map } };
    }
  }
  return { specifier: spec, via, problem: { message: 'interrupt routing does not reach an interrupt controller', node: start } };
}

/** Every interrupt of every node, resolved to its controller. */
export function routeInterrupts(root: Node, phandles: Map<number, Node>, problems: RouteProblem[]): InterruptRoute[] {
  const out: InterruptRoute[] = [];
  const visit = (n: Node) => {
    if (n.deleted) return;
    const reg = getProperty(n, 'reg');
    const addr = reg ? cells(reg, 0, cellCount(reg)) : [];
    const ext = getProperty(n, 'interrupts-extended');
    const ints = getProperty(n, 'interrupts');
    const push = (index: number, r: ReturnType<typeof resolve>, prop: Property) => {
      out.push({ node: n, path: nodePath(n), index, controller: r.controller, controllerPath: r.controller ? nodePath(r.controller) : undefined, specifier: r.specifier, via: r.via, pos: prop.pos });
      if (r.problem) problems.push({ ...r.problem, message: `${nodePath(n)}: interrupt ${index}: ${r.problem.message}`, node: n, prop });
    };
    if (ext) {
      const total = cellCount(ext);
      for (let i = 0, index = 0; i < total; index++) {
        const target = phandles.get(cell(ext, i));
        const size = target ? interruptCells(target) : undefined;
        if (!target || size === undefined || i + 1 + size > total) {
          problems.push({ message: `${nodePath(n)}: interrupts-extended entry ${index} (cell ${i}) ${!target ? `refers to unknown phandle 0x${cell(ext, i).toString(16)}` : size === undefined ? `points at ${nodePath(target)}, which has no #interrupt-cells` : 'is truncated'}`, node: n, prop: ext });
          break;
        }
        push(index, resolve(target, cells(ext, i + 1, size), addr, phandles), ext);
        i += 1 + size;
      }
    } else if (ints) {
      const parent = interruptParent(n, phandles);
      if (!parent) problems.push({ message: `${nodePath(n)}: no interrupt parent (no interrupt-parent here or above, and no ancestor with #interrupt-cells)`, node: n, prop: ints });
      else {
        const size = interruptCells(parent)!;
        const total = cellCount(ints);
        if (size === 0 || total % size !== 0) {
          problems.push({ message: `${nodePath(n)}: "interrupts" has ${total} cells, not a multiple of ${nodePath(parent)}'s #interrupt-cells (${size})`, node: n, prop: ints });
        }
        for (let i = 0, index = 0; size > 0 && i + size <= total; i += size, index++) {
          push(index, resolve(parent, cells(ints, i, size), addr, phandles), ints);
        }
      }
    }
    for (const c of n.children) visit(c);
  };
  visit(root);
  return out;
}
