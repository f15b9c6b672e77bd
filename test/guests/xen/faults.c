/* Every hypercall that takes a guest pointer, given one that does not map with the MMU on, answers
   -EFAULT as Xen's copy_from_guest / copy_to_guest do (or, where Xen reports it in a status field, that
   status); a read-only mapping is readable but not writable, so every call that writes its answer
   through one is -EFAULT; unknown hypercall numbers are -ENOSYS;
   HVC immediates other than 0xEA1 and 0 are undefined instructions taken by the guest. Last, a
   multicall entry whose argument is not 32-bit clean crashes the domain, as Xen does for a 32-bit guest
   (the run must end in a crash after "RESULT: PASS"). */
#include "rt/xrt.h"

#define UNMAPPED 0xa0000000u
static u32 ttb[4096] __attribute__((aligned(16384)));

struct call { const char *what; u32 nr, a0, a1, a2; };

/* Pointer arguments set to UNMAPPED; every other argument valid for the sub-command. */
static const struct call calls[] = {
  { "xen_version(extraversion)", HYP_xen_version, 1, UNMAPPED, 0 },
  { "xen_version(compile_info)", HYP_xen_version, 2, UNMAPPED, 0 },
  { "xen_version(capabilities)", HYP_xen_version, 3, UNMAPPED, 0 },
  { "xen_version(changeset)", HYP_xen_version, 4, UNMAPPED, 0 },
  { "xen_version(platform_parameters)", HYP_xen_version, 5, UNMAPPED, 0 },
  { "xen_version(get_features)", HYP_xen_version, 6, UNMAPPED, 0 },
  { "xen_version(guest_handle)", HYP_xen_version, 8, UNMAPPED, 0 },
  { "xen_version(commandline)", HYP_xen_version, 9, UNMAPPED, 0 },
  { "xen_version(build_id)", HYP_xen_version, 10, UNMAPPED, 0 },
  { "console_io(write)", HYP_console_io, 0, 4, UNMAPPED },
  { "memory_op(increase_reservation)", HYP_memory_op, 0, UNMAPPED, 0 },
  { "memory_op(decrease_reservation)", HYP_memory_op, 1, UNMAPPED, 0 },
  { "memory_op(current_reservation)", HYP_memory_op, 3, UNMAPPED, 0 },
  { "memory_op(maximum_reservation)", HYP_memory_op, 4, UNMAPPED, 0 },
  { "memory_op(populate_physmap)", HYP_memory_op, 6, UNMAPPED, 0 },
  { "memory_op(add_to_physmap)", HYP_memory_op, 7, UNMAPPED, 0 },
  { "memory_op(maximum_gpfn)", HYP_memory_op, 14, UNMAPPED, 0 },
  { "memory_op(remove_from_physmap)", HYP_memory_op, 15, UNMAPPED, 0 },
  { "grant_table_op(setup_table)", HYP_grant_table_op, 2, UNMAPPED, 1 },
  { "grant_table_op(query_size)", HYP_grant_table_op, 6, UNMAPPED, 1 },
  { "grant_table_op(set_version)", HYP_grant_table_op, 8, UNMAPPED, 1 },
  { "grant_table_op(get_status_frames)", HYP_grant_table_op, 9, UNMAPPED, 1 },
  { "grant_table_op(get_version)", HYP_grant_table_op, 10, UNMAPPED, 1 },
  { "grant_table_op(cache_flush)", HYP_grant_table_op, 12, UNMAPPED, 1 },
  { "grant_table_op(copy)", HYP_grant_table_op, 5, UNMAPPED, 1 },
  { "grant_table_op(swap_grant_ref)", HYP_grant_table_op, 11, UNMAPPED, 1 },
  { "vcpu_op(register_runstate_memory_area)", HYP_vcpu_op, 5, 0, UNMAPPED },
  { "vcpu_op(register_vcpu_info)", HYP_vcpu_op, 10, 0, UNMAPPED },
  { "hvm_op(set_param)", HYP_hvm_op, 0, UNMAPPED, 0 },
  { "hvm_op(get_param)", HYP_hvm_op, 1, UNMAPPED, 0 },
  { "platform_op", HYP_platform_op, UNMAPPED, 0, 0 },
  { "sched_op(shutdown)", HYP_sched_op, 2, UNMAPPED, 0 },
  { "sched_op(poll)", HYP_sched_op, 3, UNMAPPED, 0 },
  { "sched_op(remote_shutdown)", HYP_sched_op, 4, UNMAPPED, 0 },
  { "sched_op(shutdown_code)", HYP_sched_op, 5, UNMAPPED, 0 },
  { "sched_op(watchdog)", HYP_sched_op, 6, UNMAPPED, 0 },
  { "event_channel_op(bind_interdomain)", HYP_event_channel_op, 0, UNMAPPED, 0 },
  { "event_channel_op(bind_virq)", HYP_event_channel_op, 1, UNMAPPED, 0 },
  { "event_channel_op(close)", HYP_event_channel_op, 3, UNMAPPED, 0 },
  { "event_channel_op(send)", HYP_event_channel_op, 4, UNMAPPED, 0 },
  { "event_channel_op(status)", HYP_event_channel_op, 5, UNMAPPED, 0 },
  { "event_channel_op(alloc_unbound)", HYP_event_channel_op, 6, UNMAPPED, 0 },
  { "event_channel_op(bind_ipi)", HYP_event_channel_op, 7, UNMAPPED, 0 },
  { "event_channel_op(bind_vcpu)", HYP_event_channel_op, 8, UNMAPPED, 0 },
  { "event_channel_op(unmask)", HYP_event_channel_op, 9, UNMAPPED, 0 },
  { "multicall", HYP_multicall, UNMAPPED, 1, 0 },
};

struct multicall_entry { u64 op; s32 result_lo, result_hi; u64 args[6]; };

int main(void) {
  print("faults guest\n");
  /* RAM identity-mapped read-write, 0x90000000 a read-only alias of RAM, 0xa0000000 nothing. */
  for (u32 i = 0; i < 256; i++) ttb[0x400 + i] = ((0x400 + i) << 20) | 0xc02;
  for (u32 i = 0; i < 16; i++) ttb[0x900 + i] = ((0x400 + i) << 20) | 0x8402; /* PL1 read-only */
  ttb[0x030] = 0x03000000 | 0xc12;                                              /* GIC, XN */
  __asm__ volatile("mcr p15, 0, %0, c2, c0, 2" :: "r"(0));
  __asm__ volatile("mcr p15, 0, %0, c2, c0, 0" :: "r"((u32)ttb));
  __asm__ volatile("mcr p15, 0, %0, c3, c0, 0" :: "r"(1));
  __asm__ volatile("mcr p15, 0, %0, c8, c7, 0" :: "r"(0));
  u32 sctlr;
  __asm__ volatile("mrc p15, 0, %0, c1, c0, 0" : "=r"(sctlr));
  __asm__ volatile("mcr p15, 0, %0, c1, c0, 0\n\tisb" :: "r"(sctlr | 1) : "memory");
  check("MMU on", ({ u32 v; __asm__ volatile("mrc p15, 0, %0, c1, c0, 0" : "=r"(v)); v & 1; }), 1);

  for (u32 i = 0; i < sizeof calls / sizeof calls[0]; i++) {
    const struct call *c = &calls[i];
    check(c->what, hypercall(c->nr, c->a0, c->a1, c->a2, 0, 0), -EFAULT);
  }

  /* A read-only mapping: the hypervisor may read through it, not write. */
  static u16 self = 0x7ff0;
  const u16 *ro_self = (const u16 *)((u32)&self - 0x40000000 + 0x90000000);
  check("current_reservation reads its domid through a read-only VA", HC(HYP_memory_op, 3, ro_self, 0), 128 * 256);
  static struct { u16 dom; u16 pad; u32 nr, max; s16 status; u16 pad2; } qs = { 0x7ff0 };
  check("query_size writes its answer: read-only VA", HC(HYP_grant_table_op, 6, (u32)&qs - 0x40000000 + 0x90000000, 1), -EFAULT);
  check("query_size through the identity mapping", HC(HYP_grant_table_op, 6, &qs, 1), 0);
  static u64 frames[1];
  static struct { u16 dom, pad; u32 nr; s16 status; u16 p2; u32 p3; u64 list; } st = { 0x7ff0, 0, 1, 0, 0, 0, 0 };
  st.list = (u32)frames - 0x40000000 + 0x90000000;
  check("setup_table with a read-only frame list", HC(HYP_grant_table_op, 2, &st, 1), 0);
  check("setup_table reports bad_virt_addr in status", st.status, -5);

  /* Calls that write their answer, given a structure that reads well (zeros: domain 0, index 0, port 0)
     but is mapped read-only: Xen's copy_to_guest fails, -EFAULT. */
  static u32 zeros[64] __attribute__((aligned(8)));
  static u32 with_len[64] __attribute__((aligned(8))) = { 64 };
  const u32 rz = (u32)zeros - 0x40000000 + 0x90000000, rl = (u32)with_len - 0x40000000 + 0x90000000;
  const struct call ro_calls[] = {
    { "read-only: xen_version(extraversion)", HYP_xen_version, 1, rz, 0 },
    { "read-only: xen_version(compile_info)", HYP_xen_version, 2, rz, 0 },
    { "read-only: xen_version(capabilities)", HYP_xen_version, 3, rz, 0 },
    { "read-only: xen_version(changeset)", HYP_xen_version, 4, rz, 0 },
    { "read-only: xen_version(platform_parameters)", HYP_xen_version, 5, rz, 0 },
    { "read-only: xen_version(get_features)", HYP_xen_version, 6, rz, 0 },
    { "read-only: xen_version(guest_handle)", HYP_xen_version, 8, rz, 0 },
    { "read-only: xen_version(commandline)", HYP_xen_version, 9, rz, 0 },
    { "read-only: xen_version(build_id)", HYP_xen_version, 10, rl, 0 },
    { "read-only: grant_table_op(query_size)", HYP_grant_table_op, 6, rz, 1 },
    { "read-only: grant_table_op(get_version)", HYP_grant_table_op, 10, rz, 1 },
    { "read-only: grant_table_op(get_status_frames)", HYP_grant_table_op, 9, rz, 1 },
    { "read-only: grant_table_op(copy) (the status cannot be written)", HYP_grant_table_op, 5, rz, 1 },
    { "read-only: hvm_op(get_param)", HYP_hvm_op, 1, rz, 0 },
    { "read-only: event_channel_op(status)", HYP_event_channel_op, 5, rz, 0 },
    { "read-only: event_channel_op(alloc_unbound)", HYP_event_channel_op, 6, rz, 0 },
    { "read-only: event_channel_op(bind_ipi)", HYP_event_channel_op, 7, rz, 0 },
    { "read-only: multicall (the result cannot be written)", HYP_multicall, rz, 1, 0 },
  };
  for (u32 i = 0; i < sizeof ro_calls / sizeof ro_calls[0]; i++) {
    const struct call *c = &ro_calls[i];
    check(c->what, hypercall(c->nr, c->a0, c->a1, c->a2, 0, 0), -EFAULT);
  }

  /* Hypercall numbers ARM does not have, and numbers past the table. */
  static const u32 nosys[] = { 0, 1, 2, 3, 4, 5, 8, 9, 10, 11, 14, 15, 19, 22, 23, 25, 26, 27, 28, 30, 31, 37, 38, 39, 40, 48, 49, 50, 63, 64, 1000, 0xffffffffu };
  u32 nosys_ok = 0;
  for (u32 i = 0; i < sizeof nosys / sizeof nosys[0]; i++) nosys_ok += hypercall(nosys[i], 0, 0, 0, 0, 0) == -ENOSYS;
  check("unknown hypercall numbers are -ENOSYS", nosys_ok, sizeof nosys / sizeof nosys[0]);

  /* HVC #1 (and the runtime's other HVC immediate test) is taken as an undefined instruction. */
  u32 und = exc_count[1];
  hvc_imm1();
  check("hvc #1 is an undefined instruction for the guest", exc_count[1], und + 1);

  print(failures ? "RESULT: FAIL\n" : "RESULT: PASS 0 failure(s)\n");
  if (failures) guest_exit(1);
  /* The second argument of xen_version has a high half set: Xen crashes a 32-bit domain for that. */
  static struct multicall_entry mc[2] = { { 17, 0, 0, { 0 } }, { 17, 0, 0, { 0, 0x100000000ull } } };
  HC(HYP_multicall, mc, 2, 0);
  print("FAIL the domain survived a multicall that is not 32-bit clean\n");
  guest_exit(1);
}
