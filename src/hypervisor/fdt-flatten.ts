// Flattening a live tree into a DTB (version 17, last compatible 16), following dtc's flattree.c layout:
// header, memory reservation map, structure block, strings block (names in first-use order, a name that
// is a suffix of an earlier one shares its bytes, as dtc does). Used for the tree the hypervisor hands
// the guest; the device-tree library's writer replaces it once both agree byte for byte.
import type { DeviceTree, Node } from '../devicetree/model';

const FDT_MAGIC = 0xd00dfeed;
const BEGIN_NODE = 1, END_NODE = 2, PROP = 3, END = 9;

export function flattenTree(tree: DeviceTree): Uint8Array {
  const struct: number[] = [];
  const strings: number[] = [];
  const enc = new TextEncoder();
  const stringOffset = (name: string): number => {
    const b = enc.encode(name + '\0');
    // Search for the name (with its NUL) anywhere in the table, as dtc's stringtable_insert does.
    outer: for (let i = 0; i + b.length <= strings.length; i++) {
      for (let j = 0; j < b.length; j++) if (strings[i + j] !== b[j]) continue outer;
      return i;
    }
    const at = strings.length;
    strings.push(...b);
    return at;
  };
  const u32 = (v: number) => struct.push((v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
  const pad = () => { while (struct.length % 4) struct.push(0); };
  const emit = (n: Node) => {
    u32(BEGIN_NODE);
    struct.push(...enc.encode(n.name), 0);
    pad();
    for (const p of n.properties) {
      if (p.deleted) continue;
      u32(PROP);
      u32(p.value.bytes.length);
      u32(stringOffset(p.name));
      struct.push(...p.value.bytes);
      pad();
    }
    for (const c of n.children) if (!c.deleted) emit(c);
    u32(END_NODE);
  };
  emit(tree.root);
  u32(END);

  const rsv = 16 * (tree.reserveMap.length + 1);
  const offRsv = 40, offStruct = offRsv + rsv, offStrings = offStruct + struct.length;
  const total = offStrings + strings.length;
  const out = new Uint8Array(total);
  const dv = new DataView(out.buffer);
  [FDT_MAGIC, total, offStruct, offStrings, offRsv, 17, 16, tree.bootCpuidPhys >>> 0, strings.length, struct.length]
    .forEach((v, i) => dv.setUint32(i * 4, v));
  tree.reserveMap.forEach((r, i) => {
    dv.setBigUint64(offRsv + i * 16, r.address);
    dv.setBigUint64(offRsv + i * 16 + 8, r.size);
  });
  out.set(struct, offStruct);
  out.set(strings, offStrings);
  return out;
}
