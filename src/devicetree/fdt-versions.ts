// The flat-tree format versions dtc can write (its `version_table`): each version's last compatible
// version, header size and the layout features it has. Shared by the DTB and the asm writers.
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
