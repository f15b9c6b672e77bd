/* Exercises every dom0 hypercall xenarm answers, with Xen's results and error codes: xen_version,
   console_io, memory_op, vcpu_op, hvm_op, vm_assist, platform_op, grant_table_op, sched_op, multicall,
   physdev_op, unknown numbers, bad pointers (-EFAULT) and a foreign HVC immediate (undefined). */
#include "rt/xrt.h"

static u8 shared_page[4096] __attribute__((aligned(4096)));
static u8 vcpu_page[4096] __attribute__((aligned(4096)));
static u8 runstate[48] __attribute__((aligned(8)));
#define BAD_PTR 0x10000000 /* not RAM: a hypercall must answer -EFAULT */

struct add_to_physmap { u16 domid, size; u32 space; u64 idx, gpfn; };
struct hvm_param { u16 domid, pad; u32 index; u64 value; };
struct multicall_entry { u64 op; s32 result_lo, result_hi; u64 args[6]; };

int main(u32 r0, u32 r1, u32 r2) {
  print("hypercalls guest\n");
  check("boot r0", r0, 0);
  check("boot r1 (no machine number)", r1, -1);
  check("boot r2 is a device tree", *(volatile u32 *)r2, 0xedfe0dd0);

  /* xen_version */
  check("xen_version(version)", HC(HYP_xen_version, 0, 0, 0), (4 << 16) | 17);
  u32 feat[2] = { 0, 0 };
  check("xen_version(get_features)", HC(HYP_xen_version, 6, feat, 0), 0);
  check("features: dom0 + auto_translated_physmap + direct_mapped", feat[1] & ((1 << 11) | (1 << 2) | (1 << 17)), (1 << 11) | (1 << 2) | (1 << 17));
  feat[0] = 1;
  check("xen_version(get_features, submap 1)", HC(HYP_xen_version, 6, feat, 0), -EINVAL);
  check("xen_version(pagesize)", HC(HYP_xen_version, 7, 0, 0), 4096);
  char caps[1024];
  check("xen_version(capabilities)", HC(HYP_xen_version, 3, caps, 0), 0);
  check("capabilities say armv7l", memcmp_(caps, "xen-3.0-armv7l", 14), 0);
  char extra[16];
  check("xen_version(extraversion)", HC(HYP_xen_version, 1, extra, 0), 0);
  u32 bid[8] = { 32 };
  check("xen_version(build_id) length", HC(HYP_xen_version, 10, bid, 0), 20);
  bid[0] = 4;
  check("xen_version(build_id) small buffer", HC(HYP_xen_version, 10, bid, 0), -ENOBUFS);
  check("xen_version(bad cmd)", HC(HYP_xen_version, 99, 0, 0), -ENOSYS);
  check("xen_version(get_features) bad pointer", HC(HYP_xen_version, 6, BAD_PTR, 0), -EFAULT);
  check("features: exactly Xen 4.17's set for an ARM dom0", feat[1], (1 << 0) | (1 << 2) | (1 << 11) | (1 << 13) | (1 << 14) | (1 << 17));
  check("xen_version(pagesize) with a non-NULL handle", HC(HYP_xen_version, 7, feat, 0), -EINVAL);
  check("extraversion is .0", memcmp_(extra, ".0", 3), 0);
  check("capabilities string", memcmp_(caps, "xen-3.0-armv7l ", 16), 0);
  struct { char compiler[64], compile_by[16], compile_domain[32], compile_date[32]; } ci;
  memset_(&ci, 0xff, sizeof ci);
  check("xen_version(compile_info)", HC(HYP_xen_version, 2, &ci, 0), 0);
  check("compile_info: compiler is a terminated string", ci.compiler[0] != 0 && ci.compiler[strlen_(ci.compiler)] == 0 && strlen_(ci.compiler) < 64, 1);
  check("compile_info: compile_date is terminated in its 32 bytes", strlen_(ci.compile_date) < 32, 1);
  char chg[64];
  memset_(chg, 0xff, sizeof chg);
  check("xen_version(changeset)", HC(HYP_xen_version, 4, chg, 0), 0);
  check("changeset is a terminated string", chg[0] != 0 && strlen_(chg) < 64, 1);
  u32 pp[2] = { 1, 1 };
  check("xen_version(platform_parameters)", HC(HYP_xen_version, 5, pp, 0), 0);
  check("platform_parameters: virt_start is XEN_VIRT_START", pp[0], 0x00200000);
  check("platform_parameters: virt_start high word", pp[1], 0);
  u8 handle[16];
  memset_(handle, 0xff, sizeof handle);
  check("xen_version(guest_handle)", HC(HYP_xen_version, 8, handle, 0), 0);
  u32 handle_or = 0;
  for (int i = 0; i < 16; i++) handle_or |= handle[i];
  check("dom0's handle is all zeros", handle_or, 0);
  static char cmdline[1024];
  check("xen_version(commandline)", HC(HYP_xen_version, 9, cmdline, 0), 0);
  check("commandline is Xen's own", memcmp_(cmdline, "dom0_mem=auto console=dtuart", 29), 0);
  check("xen_version(build_id, NULL) is its size", HC(HYP_xen_version, 10, 0, 0), 20);
  bid[0] = 0;
  check("xen_version(build_id) len 0", HC(HYP_xen_version, 10, bid, 0), -EINVAL);
  bid[0] = 32;
  check("xen_version(build_id) bad pointer", HC(HYP_xen_version, 10, BAD_PTR, 0), -EFAULT);

  /* console_io */
  check("console_io(write)", HC(HYP_console_io, 0, 3, "hi\n"), 0);
  check("console_io(write) bad pointer", HC(HYP_console_io, 0, 4, BAD_PTR), -EFAULT);
  check("console_io(bad cmd)", HC(HYP_console_io, 7, 0, 0), -ENOSYS);
  char in[8];
  check("console_io(read) with no input", HC(HYP_console_io, 1, sizeof in, in), 0);
  check("console_io(read) count past INT_MAX", HC(HYP_console_io, 1, 0x80000000u, in), -7);
  check("console_io(write) of nothing", HC(HYP_console_io, 0, 0, BAD_PTR), 0);

  /* unknown and x86-only hypercalls */
  check("hypercall 1 (mmu_update, x86 only)", HC(1, 0, 0, 0), -ENOSYS);
  check("hypercall 60", HC(60, 0, 0, 0), -ENOSYS);
  check("physdev_op", HC(HYP_physdev_op, 0, 0, 0), -ENOSYS);
  check("hvc #1 is undefined", (hvc_imm1(), (long)exc_count[1]), 1);

  /* memory_op: shared_info */
  struct add_to_physmap x = { 0x7ff0, 0, 0, 0, (u32)shared_page >> 12 };
  check("add_to_physmap(shared_info)", HC(HYP_memory_op, 7, &x, 0), 0);
  x.idx = 1;
  check("add_to_physmap(shared_info, idx 1)", HC(HYP_memory_op, 7, &x, 0), -EINVAL);
  x.domid = 5; x.idx = 0;
  check("add_to_physmap(other domain)", HC(HYP_memory_op, 7, &x, 0), -ESRCH);
  x.domid = 0x7ff0; x.space = 9;
  check("add_to_physmap(bad space)", HC(HYP_memory_op, 7, &x, 0), -ENOSYS);
  check("add_to_physmap bad pointer", HC(HYP_memory_op, 7, BAD_PTR, 0), -EFAULT);
  x.space = 4; x.domid = 5;
  check("add_to_physmap(gmfn_foreign): only by batch, before the domain", HC(HYP_memory_op, 7, &x, 0), -ENOSYS);
  x.domid = 0x7ff0; x.space = 2;
  check("add_to_physmap(gmfn): not on ARM", HC(HYP_memory_op, 7, &x, 0), -ENOSYS);
  x.space = 3; x.size = 0;
  check("add_to_physmap(gmfn_range, size 0)", HC(HYP_memory_op, 7, &x, 0), 0);
  x.size = 2;
  check("add_to_physmap(gmfn_range, size 2)", HC(HYP_memory_op, 7, &x, 0), -ENOSYS);
  x.space = 0; x.size = 0; x.gpfn = ~0ull;
  check("add_to_physmap(INVALID_GFN)", HC(HYP_memory_op, 7, &x, 0), -EINVAL);
  x.gpfn = (u32)shared_page >> 12;
  u16 self = 0x7ff0;
  check("current_reservation", HC(HYP_memory_op, 3, &self, 0), 128 * 256);
  check("memory_op(bad cmd)", HC(HYP_memory_op, 40, 0, 0), -ENOSYS);
  check("maximum_ram_page: one past the last RAM frame", HC(HYP_memory_op, 2, 0, 0), 0x40000 + 128 * 256);
  check("maximum_reservation", HC(HYP_memory_op, 4, &self, 0), 128 * 256);
  check("maximum_gpfn: the last RAM frame", HC(HYP_memory_op, 14, &self, 0), 0x40000 + 128 * 256 - 1);
  check("current_reservation with a start extent", HC(HYP_memory_op, 3 | (1 << 6), &self, 0), -EINVAL);
  check("maximum_ram_page with a start extent", HC(HYP_memory_op, 2 | (5 << 6), 0, 0), -EINVAL);
  check("add_to_physmap with a start extent past a u16", HC(HYP_memory_op, 7 | (0x10000 << 6), &x, 0), -33);
  self = 3;
  check("maximum_gpfn(other domain)", HC(HYP_memory_op, 14, &self, 0), -ESRCH);
  self = 0x7ff0;

  /* platform_op settime64 → shared_info wall clock */
  u32 pf[8] = { 62, 0x03000001, 1000, 0, 500, 0, 0, 0 };
  check("platform_op(settime64)", HC(HYP_platform_op, pf, 0, 0), 0);
  check("wall clock seconds in shared_info", *(volatile u32 *)(shared_page + 1076), 1000);
  check("wall clock version is even", *(volatile u32 *)(shared_page + 1072) & 1, 0);
  pf[1] = 0x03000000;
  check("platform_op(old interface version)", HC(HYP_platform_op, pf, 0, 0), -EACCES);
  pf[1] = 0x03000001; pf[5] = 1;
  check("platform_op(settime64, mbz not zero)", HC(HYP_platform_op, pf, 0, 0), -EINVAL);
  pf[0] = 17; pf[5] = 0;
  check("platform_op(settime32): not on ARM", HC(HYP_platform_op, pf, 0, 0), -ENOSYS);
  check("platform_op bad pointer", HC(HYP_platform_op, BAD_PTR, 0, 0), -EFAULT);

  /* vcpu_op */
  u32 vi[4] = { (u32)vcpu_page >> 12, 0, 64, 0 };
  check("register_vcpu_info", HC(HYP_vcpu_op, 10, 0, vi), 0);
  check("register_vcpu_info again", HC(HYP_vcpu_op, 10, 0, vi), -EINVAL);
  check("vcpu_info: upcall pending after registration", vcpu_page[64], 1);
  check("register_vcpu_info vcpu 5", HC(HYP_vcpu_op, 10, 5, vi), -ENOENT);
  vi[2] = 4090;
  check("register_vcpu_info offset past the page", HC(HYP_vcpu_op, 10, 0, vi), -EINVAL);
  u64 rs = (u32)runstate;
  check("register_runstate_memory_area", HC(HYP_vcpu_op, 5, 0, &rs), 0);
  check("runstate: running", *(volatile u32 *)runstate, 0);
  check("vcpu_op(is_up) not on ARM", HC(HYP_vcpu_op, 3, 0, 0), -EINVAL);

  /* hvm_op */
  struct hvm_param hp = { 0x7ff0, 0, 2, 0x1234 };
  check("hvm get_param(STORE_EVTCHN)", HC(HYP_hvm_op, 1, &hp, 0), 0);
  check("STORE_EVTCHN of dom0 is 0", (long)hp.value, 0);
  hp.index = 1000;
  check("hvm get_param(bad index)", HC(HYP_hvm_op, 1, &hp, 0), -EINVAL);
  check("hvm_op(bad op)", HC(HYP_hvm_op, 9, &hp, 0), -ENOSYS);
  hp.index = 0; hp.value = 0x0200000000000001ull;
  check("hvm set_param(CALLBACK_IRQ) on itself: toolstack only", HC(HYP_hvm_op, 0, &hp, 0), -EPERM);
  hp.index = 2;
  check("hvm set_param(STORE_EVTCHN) on itself", HC(HYP_hvm_op, 0, &hp, 0), -EPERM);
  hp.index = 3;
  check("hvm set_param(3, not settable)", HC(HYP_hvm_op, 0, &hp, 0), -EINVAL);
  check("hvm get_param(3, not readable)", HC(HYP_hvm_op, 1, &hp, 0), -EINVAL);
  hp.index = 28;
  check("hvm get_param(MONITOR_RING_PFN) of itself", HC(HYP_hvm_op, 1, &hp, 0), -EPERM);
  hp.index = 18; hp.value = 77;
  check("hvm get_param(CONSOLE_EVTCHN)", HC(HYP_hvm_op, 1, &hp, 0), 0);
  check("CONSOLE_EVTCHN of dom0 is 0", (long)hp.value, 0);
  hp.domid = 7; hp.index = 1000;
  check("hvm get_param(other domain): the domain is looked up first", HC(HYP_hvm_op, 1, &hp, 0), -ESRCH);
  hp.domid = 0; hp.index = 1;
  check("hvm get_param(domid 0 is dom0 itself)", HC(HYP_hvm_op, 1, &hp, 0), 0);
  check("hvm guest_request_vm_event(NULL)", HC(HYP_hvm_op, 24, 0, 0), 0);
  check("hvm guest_request_vm_event(non-NULL)", HC(HYP_hvm_op, 24, &hp, 0), -EINVAL);

  /* vm_assist */
  check("vm_assist(enable, runstate_update_flag)", HC(HYP_vm_assist, 0, 5, 0), 0);
  check("vm_assist(enable, 4gb_segments)", HC(HYP_vm_assist, 0, 0, 0), -EINVAL);
  check("vm_assist(disable, runstate_update_flag)", HC(HYP_vm_assist, 1, 5, 0), 0);
  check("vm_assist(bad cmd, valid type)", HC(HYP_vm_assist, 7, 5, 0), -ENOSYS);
  check("vm_assist(bad cmd, bad type): the type is checked first", HC(HYP_vm_assist, 7, 3, 0), -EINVAL);
  check("vm_assist(enable, type 64)", HC(HYP_vm_assist, 0, 64, 0), -EINVAL);

  /* grant_table_op */
  struct { u16 dom; u16 pad; u32 nr, max; s16 status; u16 pad2; } qs = { 0x7ff0 };
  check("grant query_size", HC(HYP_grant_table_op, 6, &qs, 1), 0);
  check("grant frames", qs.nr, 1);
  check("grant max frames", qs.max, 64);
  check("grant query_size count 2", HC(HYP_grant_table_op, 6, &qs, 2), -EINVAL);
  u32 ver = 2;
  check("grant set_version(2) on ARM", HC(HYP_grant_table_op, 8, &ver, 1), -ENOSYS);
  ver = 1;
  check("grant set_version(1)", HC(HYP_grant_table_op, 8, &ver, 1), 0);
  struct add_to_physmap g = { 0x7ff0, 0, 1, 0, 0x38000 };
  check("add_to_physmap(grant_table frame 0 at 0x38000000)", HC(HYP_memory_op, 7, &g, 0), 0);
  *(volatile u32 *)0x38000000 = 0xabcd1234;
  check("grant frame is memory", *(volatile u32 *)0x38000000, 0xabcd1234);
  g.idx = 64;
  check("add_to_physmap(grant_table frame 64)", HC(HYP_memory_op, 7, &g, 0), -EINVAL);
  u64 frames[2];
  struct { u16 dom, pad; u32 nr; s16 status; u16 p2; u32 p3; u64 list; } st = { 0x7ff0, 0, 2, 0, 0, 0, (u32)frames };
  check("grant setup_table(2)", HC(HYP_grant_table_op, 2, &st, 1), 0);
  check("setup_table status", st.status, 0);
  check("setup_table frame 0", (long)frames[0], 0x38000);
  check("setup_table frame 1 unmapped", (long)(frames[1] >> 32), -1);
  struct { u64 a; u16 off, len; u32 op; } cf = { 0, 0, 0, 0 };
  check("grant cache_flush probe", HC(HYP_grant_table_op, 12, &cf, 1), 0);
  check("grant_table_op(bad cmd)", HC(HYP_grant_table_op, 40, 0, 1), -ENOSYS);
  ver = 3;
  check("grant set_version(3)", HC(HYP_grant_table_op, 8, &ver, 1), -EINVAL);
  check("set_version writes back the version in use", ver, 1);
  ver = 2;
  check("grant set_version ignores count", HC(HYP_grant_table_op, 8, &ver, 5), -ENOSYS);
  struct { u16 dom, pad; u32 version; } gv = { 0x7ff0, 0, 0 };
  check("grant get_version (count ignored)", HC(HYP_grant_table_op, 10, &gv, 0), 0);
  check("get_version is 1", gv.version, 1);
  gv.dom = 3;
  check("grant get_version(other domain)", HC(HYP_grant_table_op, 10, &gv, 1), -ESRCH);
  qs.dom = 3; qs.status = 0;
  check("grant query_size(other domain)", HC(HYP_grant_table_op, 6, &qs, 1), 0);
  check("query_size status: bad domain", qs.status, -2);
  st.nr = 65;
  check("grant setup_table(65 frames)", HC(HYP_grant_table_op, 2, &st, 1), 0);
  check("setup_table status: general error past max frames", st.status, -1);
  st.nr = 1; st.list = BAD_PTR;
  check("grant setup_table with a frame list that does not map", HC(HYP_grant_table_op, 2, &st, 1), 0);
  check("setup_table status: bad_virt_addr", st.status, -5);
  st.dom = 4; st.list = (u32)frames;
  check("grant setup_table(other domain)", HC(HYP_grant_table_op, 2, &st, 1), 0);
  check("setup_table status: bad domain", st.status, -2);
  check("grant setup_table count 2", HC(HYP_grant_table_op, 2, &st, 2), -EINVAL);
  check("grant setup_table bad pointer", HC(HYP_grant_table_op, 2, BAD_PTR, 1), -EFAULT);
  struct { u32 nr; u16 dom; s16 status; u64 list; } gs = { 0, 0x7ff0, 99, (u32)frames };
  check("grant get_status_frames(0)", HC(HYP_grant_table_op, 9, &gs, 1), 0);
  check("get_status_frames(0) status okay", gs.status, 0);
  gs.nr = 1;
  check("grant get_status_frames(1) of a v1 table", HC(HYP_grant_table_op, 9, &gs, 1), 0);
  check("get_status_frames status: general error", gs.status, -1);
  cf.a = 0x40000000; cf.off = 0; cf.len = 64; cf.op = 1;
  check("grant cache_flush(clean RAM)", HC(HYP_grant_table_op, 12, &cf, 1), 0);
  cf.op = 1u << 31;
  check("grant cache_flush(source_gref)", HC(HYP_grant_table_op, 12, &cf, 1), -EINVAL);
  cf.op = 1; cf.off = 4096;
  check("grant cache_flush(offset 4096)", HC(HYP_grant_table_op, 12, &cf, 1), -EINVAL);
  cf.off = 4000; cf.len = 200;
  check("grant cache_flush(past the page)", HC(HYP_grant_table_op, 12, &cf, 1), -EINVAL);
  cf.off = 0; cf.len = 64; cf.a = 0x10000000;
  check("grant cache_flush(not RAM)", HC(HYP_grant_table_op, 12, &cf, 1), -EINVAL);
  cf.len = 0;
  check("grant cache_flush(length 0 is skipped)", HC(HYP_grant_table_op, 12, &cf, 1), 0);
  check("grant_table_op count with the sign bit", HC(HYP_grant_table_op, 6, &qs, 0x80000000u), -EINVAL);
  check("grant_table_op continuation bits on query_size", HC(HYP_grant_table_op, 6 | 0x1000, &qs, 1), -EINVAL);
  check("grant map_grant_ref with no entries", HC(HYP_grant_table_op, 0, BAD_PTR, 0), 0);
  /* GNTTABOP_copy within dom0: frames of DOMID_SELF, and dom0's own grants (frame 0 is at 0x38000000). */
  static u8 page_a[4096] __attribute__((aligned(4096))) = "..hello, grant copy";
  static u8 page_b[4096] __attribute__((aligned(4096)));
  struct gcopy { u64 sref; u16 sdom, soff; u32 pad1; u64 dref; u16 ddom, doff; u32 pad2; u16 len, flags; s16 status; u16 pad3; };
  struct gcopy gc[2] = { { (u32)page_a >> 12, 0x7ff0, 2, 0, (u32)page_b >> 12, 0x7ff0, 100, 0, 17, 0, 99, 0 } };
  check("grant copy frame to frame", HC(HYP_grant_table_op, 5, gc, 1), 0);
  check("copy status okay", gc[0].status, 0);
  check("the bytes arrived", memcmp_(page_b + 100, "hello, grant copy", 17), 0);
  gc[0].sdom = 0;
  check("grant copy: a frame of domain 0 by id", HC(HYP_grant_table_op, 5, gc, 1), 0);
  check("copy status: only DOMID_SELF names frames", gc[0].status, -8);
  gc[0].sdom = 5; gc[0].flags = 1;
  check("grant copy: a grant of domain 5", HC(HYP_grant_table_op, 5, gc, 1), 0);
  check("copy status: bad domain", gc[0].status, -2);
  gc[0].sdom = 0x7ff0; gc[0].flags = 0; gc[0].sref = 0x10000;
  check("grant copy from a frame that is not RAM", HC(HYP_grant_table_op, 5, gc, 1), 0);
  check("copy status: bad page", gc[0].status, -9);
  gc[0].sref = (u32)page_a >> 12; gc[0].doff = 4090;
  check("grant copy past the end of the page", HC(HYP_grant_table_op, 5, gc, 1), 0);
  check("copy status: bad copy arg", gc[0].status, -10);
  volatile u32 *gnt = (volatile u32 *)0x38000000;
  gnt[2 * 10] = 1;     gnt[2 * 10 + 1] = (u32)page_a >> 12;   /* ref 10: dom0 may access page_a */
  gnt[2 * 11] = 1 | 4; gnt[2 * 11 + 1] = (u32)page_b >> 12;   /* ref 11: read-only */
  gnt[2 * 12] = 1 | (3 << 16); gnt[2 * 12 + 1] = (u32)page_a >> 12; /* ref 12: granted to domain 3 */
  memset_(page_b, 0, 64);
  gc[0] = (struct gcopy){ 10, 0, 2, 0, (u32)page_b >> 12, 0x7ff0, 0, 0, 5, 1, 99, 0 };
  gc[1] = (struct gcopy){ (u32)page_a >> 12, 0x7ff0, 9, 0, 11, 0, 0, 0, 4, 2, 99, 0 };
  check("grant copy of two entries (from own grant; into a read-only grant)", HC(HYP_grant_table_op, 5, gc, 2), 0);
  check("copy from own grant ref 10", gc[0].status, 0);
  check("copied through the grant", memcmp_(page_b, "hello", 5), 0);
  check("copy into read-only grant ref 11", gc[1].status, -1);
  check("the grant entry's flags are as they were", gnt[2 * 10] & 0xffff, 1);
  gc[0].sref = 12;
  check("grant copy from a grant to another domain", HC(HYP_grant_table_op, 5, gc, 1), 0);
  check("copy status: general error", gc[0].status, -1);
  gc[0].sref = 5000;
  check("grant copy from a reference past the table", HC(HYP_grant_table_op, 5, gc, 1), 0);
  check("copy status: bad gntref", gc[0].status, -3);
  check("grant copy bad pointer", HC(HYP_grant_table_op, 5, BAD_PTR, 1), -EFAULT);
  struct { u32 a, b; s16 status; u16 pad; } sw[2] = { { 10, 12, 99 }, { 10, 5000, 99 } };
  check("grant swap_grant_ref", HC(HYP_grant_table_op, 11, sw, 2), 0);
  check("swap status okay", sw[0].status, 0);
  check("ref 10 now holds ref 12's entry (granted to domain 3)", gnt[2 * 10], 1 | (3 << 16));
  check("ref 12 now holds ref 10's entry", gnt[2 * 12], 1);
  check("swap status: bad gntref", sw[1].status, -3);
  check("grant dump_table (removed)", HC(HYP_grant_table_op, 3, &qs, 1), -ENOSYS);

  /* multicall: two xen_version calls and a bad one */
  struct multicall_entry mc[3] = {
    { 17, 0, 0, { 0 } }, { 17, 0, 0, { 7 } }, { 99, 0, 0, { 0 } },
  };
  check("multicall", HC(HYP_multicall, mc, 3, 0), 0);
  check("multicall[0] version", mc[0].result_lo, (4 << 16) | 17);
  check("multicall[1] pagesize", mc[1].result_lo, 4096);
  check("multicall[2] unknown", mc[2].result_lo, -ENOSYS);
  struct multicall_entry mc2[4] = {
    { 13, 0, 0, { 0, 0 } },               /* a nested multicall */
    { 17, 0, 0, { 6, BAD_PTR } },         /* get_features with a bad pointer */
    { 21, 0, 0, { 0, 3 } },               /* vm_assist with a bad type */
    { 17, 0, 0, { 0 } },                  /* and the batch goes on */
  };
  mc2[0].args[0] = (u32)mc;
  check("multicall with failing entries", HC(HYP_multicall, mc2, 4, 0), 0);
  check("multicall: nested multicall refused", mc2[0].result_lo, -EINVAL);
  check("multicall: an entry's bad pointer is its -EFAULT", mc2[1].result_lo, -EFAULT);
  check("multicall: result is sign-extended to 64 bits", mc2[1].result_hi, -1);
  check("multicall: an entry's own error", mc2[2].result_lo, -EINVAL);
  check("multicall: later entries still run", mc2[3].result_lo, (4 << 16) | 17);
  check("multicall: a list that does not map", HC(HYP_multicall, BAD_PTR, 1, 0), -EFAULT);
  check("multicall: zero entries", HC(HYP_multicall, BAD_PTR, 0, 0), 0);

  /* sched_op */
  check("sched_op(yield)", HC(HYP_sched_op, 0, 0, 0), 0);
  u32 wd[2] = { 0, 30 };
  long id = HC(HYP_sched_op, 6, wd, 0);
  check("watchdog create", id, 1);
  wd[0] = id; wd[1] = 0;
  check("watchdog destroy", HC(HYP_sched_op, 6, wd, 0), 0);
  check("watchdog destroy again", HC(HYP_sched_op, 6, wd, 0), -EINVAL);
  struct { u16 domid, pad; u32 reason; } remote = { 5, 0, 0 };
  check("sched_op(remote_shutdown, no such domain)", HC(HYP_sched_op, 4, &remote, 0), -ESRCH);
  s32 pcpu = -1;
  check("sched_op(pin_override) with no pin to undo", HC(HYP_sched_op, 7, &pcpu, 0), -EINVAL);
  pcpu = 0;
  check("sched_op(pin_override, pcpu 0)", HC(HYP_sched_op, 7, &pcpu, 0), 0);
  check("sched_op(pin_override) while pinned", HC(HYP_sched_op, 7, &pcpu, 0), -16);
  pcpu = -1;
  check("sched_op(pin_override) unpin", HC(HYP_sched_op, 7, &pcpu, 0), 0);
  pcpu = 1;
  check("sched_op(pin_override, a pcpu that is not there)", HC(HYP_sched_op, 7, &pcpu, 0), -EINVAL);
  pcpu = 128;
  check("sched_op(pin_override, pcpu NR_CPUS)", HC(HYP_sched_op, 7, &pcpu, 0), -EINVAL);
  check("sched_op(bad cmd)", HC(HYP_sched_op, 42, 0, 0), -ENOSYS);

  /* With the MMU on, pointers are guest virtual addresses: RAM is identity-mapped, 0x80000000 is an
     alias of RAM, 0x90000000 is a read-only alias, 0xa0000000 maps nothing. */
  static u32 ttb[4096] __attribute__((aligned(16384)));
  for (u32 i = 0; i < 256; i++) ttb[0x400 + i] = ((0x400 + i) << 20) | 0xc02;  /* RW section, PL1 */
  for (u32 i = 0; i < 16; i++) ttb[0x800 + i] = ((0x400 + i) << 20) | 0xc02;   /* alias, RW */
  for (u32 i = 0; i < 16; i++) ttb[0x900 + i] = ((0x400 + i) << 20) | 0x8402;  /* alias, PL1 read-only (AP[2:0] = 0b101) */
  ttb[0x030] = 0x03000000 | 0xc12;                                               /* GIC, XN */
  __asm__ volatile("mcr p15, 0, %0, c2, c0, 2" :: "r"(0));          /* TTBCR: short descriptors, TTBR0 only */
  __asm__ volatile("mcr p15, 0, %0, c2, c0, 0" :: "r"((u32)ttb));   /* TTBR0 */
  __asm__ volatile("mcr p15, 0, %0, c3, c0, 0" :: "r"(1));          /* DACR: domain 0 client */
  __asm__ volatile("mcr p15, 0, %0, c8, c7, 0" :: "r"(0));          /* TLBIALL */
  u32 sctlr;
  __asm__ volatile("mrc p15, 0, %0, c1, c0, 0" : "=r"(sctlr));
  __asm__ volatile("mcr p15, 0, %0, c1, c0, 0\n\tisb" :: "r"(sctlr | 1) : "memory");
  static const char msg[] = "written through a virtual alias\n";
  const char *alias = (const char *)((u32)msg - 0x40000000 + 0x80000000);
  check("MMU on: console_io(write) from an aliased VA", HC(HYP_console_io, 0, sizeof msg - 1, alias), 0);
  static char xver[16];
  char *valias = (char *)((u32)xver - 0x40000000 + 0x80000000);
  check("MMU on: xen_version(extraversion) into an aliased VA", HC(HYP_xen_version, 1, valias, 0), 0);
  check("MMU on: the write reached the physical page", memcmp_(xver, ".0", 3), 0);
  char *ro = (char *)((u32)xver - 0x40000000 + 0x90000000);
  long ro_rc = HC(HYP_console_io, 0, 1, ro); /* prints "." */
  print("\n");
  check("MMU on: read-only VA readable (console_io write)", ro_rc, 0);
  check("MMU on: read-only VA not writable (-EFAULT)", HC(HYP_xen_version, 1, ro, 0), -EFAULT);
  check("MMU on: unmapped VA (-EFAULT)", HC(HYP_xen_version, 1, 0xa0000000, 0), -EFAULT);
  return 0;
}
