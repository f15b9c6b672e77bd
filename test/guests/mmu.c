/* The MMU with short-descriptor tables (sections, coarse tables with small pages, domains, AP/APX
   permissions, XN) and with LPAE long-descriptor tables (1 GB / 2 MB blocks, 4 KB pages, AF, AP[2],
   MAIR attributes): translations through aliases, translation/permission/domain/access-flag faults
   with their DFSR/DFAR/IFSR/IFAR, PAR after ATS1CPR/ATS1CPW/ATS1CUR in both formats, TLB maintenance. */
#include "rt.h"
#include "mmu.h"

static u32 l1[4096] __attribute__((aligned(16384)));
static u32 l2[256] __attribute__((aligned(1024)));
static u64 ll1[4] __attribute__((aligned(32)));
static u64 ll2[512] __attribute__((aligned(4096)));
static u64 ll3[512] __attribute__((aligned(4096)));
static u8 page_pool[4 * 4096] __attribute__((aligned(4096)));
static volatile u32 resume_to;
static volatile int faults;

void exc_dispatch(int kind, u32 *frame) {
  u32 spsr = get_spsr();
  faults++;
  if (kind == 4) {
    show("dabt.dfsr", read_cp15(0, c5, c0, 0));
    show("dabt.dfar", read_cp15(0, c6, c0, 0));
    skip_insn(frame, spsr);
  } else if (kind == 3) {
    show("pabt.ifsr", read_cp15(0, c5, c0, 1));
    show("pabt.ifar", read_cp15(0, c6, c0, 2));
    frame[13] = resume_to & ~1u;
  } else {
    show("unexpected", kind); show("lr", frame[13]); semi_exit(1);
  }
}

static u32 rd(u32 va) { return *(volatile u32 *)va; }
static void wr(u32 va, u32 v) { *(volatile u32 *)va = v; }
static u32 ats(int which, u32 va) {
  if (which == 0) __asm__ volatile("mcr p15, 0, %0, c7, c8, 0" :: "r"(va));      /* ATS1CPR */
  else if (which == 1) __asm__ volatile("mcr p15, 0, %0, c7, c8, 1" :: "r"(va)); /* ATS1CPW */
  else __asm__ volatile("mcr p15, 0, %0, c7, c8, 2" :: "r"(va));                 /* ATS1CUR */
  __asm__ volatile("isb");
  return read_cp15(0, c7, c4, 0);
}
static u64 par64(void) { u32 lo, hi; __asm__ volatile("mrrc p15, 0, %0, %1, c7" : "=r"(lo), "=r"(hi)); return ((u64)hi << 32) | lo; }

static int add3(int x) { return x + 3; }

static void call_at(u32 va, const char *name) {
  show(name, call_va(va, &resume_to));
  show("faults_so_far", faults);
}

static void short_descriptor(void) {
  const u32 ram_attr = (1u << 12);            /* TEX=001, C=B=0: normal non-cacheable */
  for (u32 i = 0; i < 4096; i++) {
    u32 pa = i << 20;
    if (pa >= 0x40000000u && pa < 0x48000000u) l1[i] = pa | (3u << 10) | ram_attr | 2;   /* RW all, normal */
    else l1[i] = pa | (3u << 10) | (1u << 2) | (1u << 4) | 2;                           /* device (B), XN */
  }
  u32 ram = (u32)page_pool & 0xfff00000u;
  l1[0x700] = 0;                                                   /* translation fault */
  l1[0x710] = ram | (1u << 15) | (1u << 10) | ram_attr | 2;       /* APX=1 AP=01: PL1 read-only */
  l1[0x711] = ram | (2u << 10) | ram_attr | 2;                     /* AP=10: PL0 read-only */
  l1[0x720] = (u32)l2 | (0u << 5) | 1;                             /* coarse table */
  l1[0x730] = ram | (3u << 10) | ram_attr | (1u << 4) | 2;         /* XN alias of the code's section */
  l1[0x740] = ram | (3u << 10) | ram_attr | (2u << 5) | 2;         /* domain 2 (no access) */
  l1[0x750] = ram | (3u << 10) | ram_attr | (3u << 5) | 2;         /* domain 3 (manager) with AP=11 */
  l1[0x751] = ram | (1u << 15) | (1u << 10) | ram_attr | (3u << 5) | 2; /* manager ignores APX */
  u32 pp = (u32)page_pool;
  for (u32 i = 0; i < 256; i++) l2[i] = 0;
  l2[0] = pp | (3u << 4) | 2;                                      /* small page RW */
  l2[1] = (pp + 0x1000) | (1u << 9) | (1u << 4) | 2;               /* APX=1 AP=01: read-only */
  l2[2] = (pp + 0x2000) | (3u << 4) | 1 | (1u << 0);               /* 0b..01: a large page entry */
  l2[3] = 0;                                                       /* translation fault (page) */
  l2[4] = (pp + 0x3000) | (3u << 4) | 3;                           /* small page with XN (bit 0) */
  for (int i = 0; i < 4 * 4096; i += 4) *(u32 *)(page_pool + i) = 0xa5000000u | i;

  write_cp15(0, c2, c0, 2, 0);            /* TTBCR: N=0, short descriptors */
  write_cp15(0, c2, c0, 0, (u32)l1);      /* TTBR0 */
  write_cp15(0, c3, c0, 0, 0xc5u);        /* DACR: d0 client, d1 client, d2 none, d3 manager */
  tlbiall();
  write_cp15(0, c1, c0, 0, read_cp15(0, c1, c0, 0) | 1);
  __asm__ volatile("isb");
  show("sd.sctlr", read_cp15(0, c1, c0, 0));
  u32 off = pp & 0xfffffu;
  show("sd.alias", rd(0x71000000u + off + 8));
  wr(0x75000000u + off + 12, 0x12345678);
  show("sd.alias_write_seen", *(volatile u32 *)(pp + 12));
  rd(0x70000010u);                          /* section translation fault */
  wr(0x71000000u + off, 1);                 /* permission fault (write to PL1 read-only) */
  rd(0x74000000u + off);                    /* domain fault */
  show("sd.manager_write", (wr(0x75100000u + off + 16, 7), rd(0x75100000u + off + 16)));
  show("sd.page0", rd(0x72000000u + 4));
  show("sd.page1", rd(0x72001000u + 4));
  wr(0x72001000u, 5);                       /* page permission fault */
  rd(0x72003008u);                          /* page translation fault */
  show("par.ok", ats(0, 0x72000123u));
  show("par.ro_write", ats(1, 0x72001123u));
  show("par.unmapped", ats(0, 0x70000040u));
  show("par.user_read_pl1only", ats(2, 0x71000000u));
  show("par.user_read_ok", ats(2, 0x71100000u + off));
  /* XN: calling code through the XN section alias and the XN small page. */
  u32 fn = (u32)add3;
  call_at(0x73000000u + (fn & 0xfffffu) + 0, "sd.xn_section_faults");
  for (int i = 0; i < 64; i++) page_pool[0x3000 + i] = ((u8 *)((u32)add3 & ~1u))[i];
  call_at(0x72004000u | (fn & 1u), "sd.xn_page_faults");
  /* Remap with TLB maintenance. */
  l1[0x700] = ram | (3u << 10) | ram_attr | 2;
  tlbiall();
  show("sd.after_remap", rd(0x70000000u + off + 8));
  write_cp15(0, c1, c0, 0, read_cp15(0, c1, c0, 0) & ~1u);
  __asm__ volatile("isb");
}

static void long_descriptor(void) {
  /* MAIR0: attr0 = normal non-cacheable (0x44), attr1 = device-nGnRnE (0x00). */
  write_cp15(0, c10, c2, 0, 0x00000044u);
  const u64 AF = 1ull << 10, RO = 1ull << 7, USER = 1ull << 6, XN = 1ull << 54, DEV = 1ull << 2;
  ll1[0] = 0x00000000ull | AF | DEV | XN | 1;                    /* 1 GB device block */
  ll1[1] = (u64)(u32)ll2 | 3;                                    /* table for 0x40000000..0x7fffffff */
  ll1[2] = 0x80000000ull | AF | DEV | XN | 1;
  ll1[3] = 0xc0000000ull | AF | DEV | XN | 1;
  for (u32 i = 0; i < 512; i++) {
    u64 pa = 0x40000000ull + ((u64)i << 21);
    ll2[i] = i < 64 ? (pa | AF | USER | 1) : 0;                  /* RAM: 2 MB blocks, RW at PL0 too */
  }
  u32 pp = (u32)page_pool;
  u64 ram2m = pp & ~0x1fffffu;
  u32 off = pp & 0x1fffffu;
  ll2[(0x71000000u - 0x40000000u) >> 21] = ram2m | AF | RO | 1;         /* read-only */
  ll2[(0x72000000u - 0x40000000u) >> 21] = (u64)(u32)ll3 | 3;           /* 4 KB pages */
  ll2[(0x73000000u - 0x40000000u) >> 21] = ram2m | 1;                   /* AF = 0 */
  ll2[(0x74000000u - 0x40000000u) >> 21] = ram2m | AF | XN | 1;         /* XN */
  for (u32 i = 0; i < 512; i++) ll3[i] = 0;
  ll3[0] = pp | AF | 3;
  ll3[1] = (pp + 0x1000) | AF | RO | 3;
  ll3[2] = (pp + 0x2000) | AF | 1;                                      /* level 3 with type 01: reserved → fault */

  write_cp15(0, c2, c0, 2, 0x80000000u);     /* TTBCR: EAE=1, T0SZ=0 */
  __asm__ volatile("mcrr p15, 0, %0, %1, c2" :: "r"((u32)ll1), "r"(0u)); /* TTBR0, ASID 0 */
  tlbiall();
  write_cp15(0, c1, c0, 0, read_cp15(0, c1, c0, 0) | 1);
  __asm__ volatile("isb");
  show("ld.ttbcr", read_cp15(0, c2, c0, 2));
  show("ld.alias", rd(0x71000000u + off + 8));
  show("ld.page1", rd(0x72001000u + 4));
  rd(0x7f000000u);                            /* level-2 translation fault */
  wr(0x71000000u + off, 3);                   /* permission fault */
  rd(0x73000000u + off);                      /* access flag fault */
  wr(0x72001000u, 3);                         /* level-3 permission fault */
  rd(0x72002000u);                            /* level-3 reserved descriptor */
  rd(0x72003000u);                            /* level-3 translation fault */
  ats(0, 0x72000010u); show64("ld.par.ok", par64());
  ats(1, 0x72001010u); show64("ld.par.ro_write", par64());
  ats(0, 0x7f000000u); show64("ld.par.fault", par64());
  u32 fn = (u32)add3;
  call_at(0x74000000u + ((fn & ~1u) - (u32)ram2m) + (fn & 1u), "ld.xn_faults");
  write_cp15(0, c1, c0, 0, read_cp15(0, c1, c0, 0) & ~1u);
  __asm__ volatile("isb");
  write_cp15(0, c2, c0, 2, 0);
}

int main(void) {
  short_descriptor();
  long_descriptor();
  show("faults", faults);
  return 0;
}
