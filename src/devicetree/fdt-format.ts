// The flattened-tree format's constants, shared by the DTB reader and writer, the asm writer and code that
// recognises a blob: the magic number, the structure-block tokens, and the versions dtc can write (its
// `version_table`: each version's last compatible version, header size and layout features).
export const FDT_MAGIC = 0xd00dfeed;
export const FDT_BEGIN_NODE = 1;
export const FDT_END_NODE = 2;
export const FDT_PROP = 3;
export const FDT_NOP = 4;
export const FDT_END = 9;

/** Whether `bytes` start with the flattened-tree magic number. */
export function isDtb(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0 === FDT_MAGIC;
}

export const FTF_FULLPATH = 0x1;
export const FTF_VARALIGN = 0x2;
export const FTF_NAMEPROPS = 0x4;
export const FTF_BOOTCPUID = 0x8;
export const FTF_STRTABSIZE = 0x10;
export const FTF_STRUCTSIZE = 0x20;

export const FDT_VERSIONS: Record<number, { last: number; hdr: number; flags: number }> = {
  1: { last: 1, hdr: 28, flags: FTF_FULLPATH | FTF_VARALIGN | FTF_NAMEPROPS },
  2: { last: 1, hdr: 32, flags: FTF_FULLPATH | FTF_VARALIGN | FTF_NAMEPROPS | FTF_BOOTCPUID },
  3: { last: 1, hdr: 36, flags: FTF_FULLPATH | FTF_VARALIGN | FTF_NAMEPROPS | FTF_BOOTCPUID | FTF_STRTABSIZE },
  16: { last: 16, hdr: 36, flags: FTF_BOOTCPUID | FTF_STRTABSIZE },
  17: { last: 16, hdr: 40, flags: FTF_BOOTCPUID | FTF_STRTABSIZE | FTF_STRUCTSIZE },
};
