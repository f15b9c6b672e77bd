// Bus address → CPU physical address through each parent's `ranges` (Devicetree Specification
// 2.3.8; Linux's __of_translate_address): an empty `ranges` is an identity map, a missing one means
// the bus is not visible to the CPU. PCI buses match ranges by address space (I/O vs memory) and
// compare the 64-bit address in the low two cells, as Linux's of_bus_pci_map does.
import { getProperty, nodePath, type Node, type Property } from '../model';
import { addressCells, cell, numberOf, readNumber, sizeCells } from './cells';

export interface TranslateProblem {
  message: string;
  node: Node;
  prop?: Property;
}

export interface TranslateResult {
  cpu?: bigint;
  problem?: TranslateProblem;
  /** The region runs past the end of the `ranges` entry that maps its start. */
  overrun?: TranslateProblem;
}

/** More cells than any binding uses: treated as a broken tree rather than iterated over. */
export const MAX_CELLS = 8;

export function isPciBus(n: Node): boolean {
  const p = getProperty(n, 'device_type');
  if (!p) return false;
  const b = p.value.bytes;
  return b.length >= 4 && b[0] === 0x70 && b[1] === 0x63 && b[2] === 0x69 && (b[3] === 0 || (b[3] === 0x65 && b[4] === 0)); // "pci" / "pcie"
}

/** PCI address space of a phys.hi cell: 0 config, 1 I/O, 2 memory (32- and 64-bit both count as memory). */
function pciSpace(hi: number): number {
  const code = (hi >>> 24) & 3;
  return code >= 2 ? 2 : code;
}

function toCells(v: bigint, count: number): number[] {
  const out: number[] = [];
  for (let i = count - 1; i >= 0; i--) out.push(Number((v >> BigInt(32 * i)) & 0xffffffffn));
  return out;
}

/**
 * Translates `addr` (cells in the address space of `bus`'s children) up to the root, through
 * `ranges` (CPU view) or `dma-ranges` (the view of bus masters, spec 2.3.9).
 * `size` lets the caller learn about regions that do not fit in the matching `ranges` entry.
 */
export function translate(addr: number[], bus: Node, size = 0n, rangesName: 'ranges' | 'dma-ranges' = 'ranges'): TranslateResult {
  let cur = addr;
  let b = bus;
  let overrun: TranslateProblem | undefined;
  while (b.parent) {
    const parent = b.parent;
    const pna = addressCells(parent);
    if (pna > MAX_CELLS || addressCells(b) > MAX_CELLS || sizeCells(b) > MAX_CELLS) {
      return { problem: { message: `implausible #address-cells/#size-cells on ${nodePath(b)} or ${nodePath(parent)} (more than ${MAX_CELLS})`, node: b } };
    }
    const ranges = getProperty(b, rangesName);
    if (!ranges && rangesName === 'ranges') {
      return { problem: { message: `${nodePath(b)} has no "ranges" property, so addresses on its bus are not visible to the CPU`, node: b } };
    }
    // A missing dma-ranges is an identity map (Linux's of_translate_dma_address), like an empty one.
    if (!ranges || ranges.value.bytes.length === 0) {
      cur = toCells(numberOf(cur), pna); // identity (1:1) mapping
      b = parent;
      continue;
    }
    const na = addressCells(b);
    const ns = sizeCells(b);
    const entry = na + pna + ns;
    const count = Math.floor(ranges.value.bytes.length / (entry * 4));
    const pci = isPciBus(b) && na === 3;
    let mapped: number[] | undefined;
    for (let i = 0; i < count; i++) {
      const base = i * entry;
      let cp: bigint;
      let da: bigint;
      if (pci) {
        if (pciSpace(cell(ranges, base)) !== pciSpace(cur[0] ?? 0)) continue;
        cp = readNumber(ranges, base + 1, na - 1);
        da = numberOf(cur.slice(1));
      } else {
        cp = readNumber(ranges, base, na);
        da = numberOf(cur);
      }
      const s = readNumber(ranges, base + na + pna, ns);
      if (da < cp || da >= cp + s) continue;
      if (!overrun && size > 0n && da + size > cp + s) {
        overrun = { message: `extends past the end of ${nodePath(b)}'s ${rangesName} entry ${i} (which maps 0x${cp.toString(16)}..0x${(cp + s - 1n).toString(16)})`, node: b, prop: ranges };
      }
      mapped = toCells(readNumber(ranges, base + na, pna) + (da - cp), pna);
      break;
    }
    if (!mapped) {
      const shown = pci ? `0x${numberOf(cur.slice(1)).toString(16)} (PCI ${['configuration', 'I/O', 'memory'][pciSpace(cur[0] ?? 0)]} space)` : `0x${numberOf(cur).toString(16)}`;
      return { problem: { message: `address ${shown} is not covered by any entry of ${nodePath(b)}'s "${rangesName}"`, node: b, prop: ranges } };
    }
    cur = mapped;
    b = parent;
  }
  return overrun ? { cpu: numberOf(cur), overrun } : { cpu: numberOf(cur) };
}
