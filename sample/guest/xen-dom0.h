/* The few pieces of Xen's public ABI (the headers in xen/include/public, ARM layout) the example dom0 uses. */
#ifndef XEN_DOM0_H
#define XEN_DOM0_H
typedef unsigned int u32;
typedef unsigned long long u64;
typedef unsigned short u16;
typedef unsigned char u8;

long xen_hypercall(long nr, long a0, long a1, long a2);

#define __HYPERVISOR_memory_op 12
#define __HYPERVISOR_xen_version 17
#define __HYPERVISOR_console_io 18
#define __HYPERVISOR_vcpu_op 24
#define __HYPERVISOR_sched_op 29
#define __HYPERVISOR_event_channel_op 32

#define XENVER_version 0
#define XENVER_extraversion 1
#define XENVER_get_features 6
#define XENFEAT_dom0 11
#define CONSOLEIO_write 0
#define CONSOLEIO_read 1
#define XENMEM_add_to_physmap 7
#define XENMAPSPACE_shared_info 0
#define VCPUOP_register_vcpu_info 10
#define SCHEDOP_shutdown 2
#define SHUTDOWN_poweroff 0
#define SHUTDOWN_reboot 1
#define EVTCHNOP_bind_virq 1
#define VIRQ_CONSOLE 2
#define DOMID_SELF 0x7ff0

struct xen_feature_info { u32 submap_idx; u32 submap; };
struct xen_add_to_physmap { u16 domid; u16 size; u32 space; u64 idx; u64 gpfn; };
struct vcpu_register_vcpu_info { u64 mfn; u32 offset; u32 rsvd; };
struct evtchn_bind_virq { u32 virq; u32 vcpu; u32 port; };
struct sched_shutdown { u32 reason; };

/* struct vcpu_info and struct shared_info (2-level event channels, 64-bit words on ARM). */
struct vcpu_info { u8 evtchn_upcall_pending; u8 evtchn_upcall_mask; u8 pad[6]; u64 evtchn_pending_sel; u8 time[32]; };
struct shared_info { struct vcpu_info vcpu_info[1]; u64 evtchn_pending[64]; u64 evtchn_mask[64]; u32 wc_version, wc_sec, wc_nsec, wc_sec_hi; };

/* Xen's guest memory map (arch-arm.h): the GICv2 and the event-channel PPI. */
#define GUEST_GICD_BASE 0x03001000u
#define GUEST_GICC_BASE 0x03002000u
#define GUEST_EVTCHN_PPI 31
#endif
