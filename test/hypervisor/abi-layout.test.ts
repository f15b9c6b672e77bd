// Every structure offset, size and number the hypervisor uses, checked against Xen 4.17's own public
// headers (Debian's libxen-dev: /usr/include/xen) compiled for 32-bit ARM by the cross compiler: the
// test writes one _Static_assert per fact and gcc must accept them all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { requireTools, CROSS } from '../support/tools';
import { VCPU_INFO, SHARED_INFO, HC, GNTST, DOM0_FEATURES, XENPF_INTERFACE_VERSION, XENPF_settime64, DOMID_SELF, GUEST, EVTCHNSTAT, VIRQ_CONSOLE, NR_VIRQS } from '../../src/hypervisor/abi';

/** [C expression, value xenarm uses]: offsetof/sizeof in the structures the handlers read and write. */
const FACTS: [string, number][] = [
  ['sizeof(struct vcpu_info)', VCPU_INFO.size],
  ['offsetof(struct vcpu_info, evtchn_upcall_pending)', VCPU_INFO.upcall_pending],
  ['offsetof(struct vcpu_info, pad0)', 1], // ARM has no evtchn_upcall_mask (XEN_HAVE_PV_UPCALL_MASK is x86's)
  ['offsetof(struct vcpu_info, evtchn_pending_sel)', VCPU_INFO.pending_sel],
  ['offsetof(struct vcpu_info, time)', VCPU_INFO.time],
  ['offsetof(struct shared_info, evtchn_pending)', SHARED_INFO.evtchn_pending],
  ['offsetof(struct shared_info, evtchn_mask)', SHARED_INFO.evtchn_mask],
  ['offsetof(struct shared_info, wc_version)', SHARED_INFO.wc_version],
  ['offsetof(struct shared_info, wc_sec)', SHARED_INFO.wc_sec],
  ['offsetof(struct shared_info, wc_nsec)', SHARED_INFO.wc_nsec],
  ['offsetof(struct shared_info, wc_sec_hi)', SHARED_INFO.wc_sec_hi],
  ['sizeof(xen_ulong_t) * 8 * sizeof(xen_ulong_t) * 8', 4096],
  // memory_op (hc-memory.ts)
  ['offsetof(struct xen_add_to_physmap, domid)', 0], ['offsetof(struct xen_add_to_physmap, space)', 4],
  ['offsetof(struct xen_add_to_physmap, idx)', 8], ['offsetof(struct xen_add_to_physmap, gpfn)', 16],
  ['offsetof(struct xen_remove_from_physmap, gpfn)', 8],
  ['offsetof(struct xen_memory_reservation, nr_extents)', 8], ['offsetof(struct xen_memory_reservation, extent_order)', 16],
  ['offsetof(struct xen_memory_reservation, domid)', 24],
  // event_channel_op (hc-events.ts)
  ['offsetof(struct evtchn_bind_virq, vcpu)', 4], ['offsetof(struct evtchn_bind_virq, port)', 8],
  ['offsetof(struct evtchn_bind_ipi, port)', 4],
  ['offsetof(struct evtchn_alloc_unbound, remote_dom)', 2], ['offsetof(struct evtchn_alloc_unbound, port)', 4],
  ['offsetof(struct evtchn_bind_interdomain, remote_port)', 4], ['offsetof(struct evtchn_bind_interdomain, local_port)', 8],
  ['offsetof(struct evtchn_status, port)', 4], ['offsetof(struct evtchn_status, status)', 8], ['offsetof(struct evtchn_status, vcpu)', 12],
  ['offsetof(struct evtchn_status, u.unbound.dom)', 16], ['offsetof(struct evtchn_status, u.interdomain.port)', 20],
  ['offsetof(struct evtchn_status, u.virq)', 16],
  ['offsetof(struct evtchn_bind_vcpu, vcpu)', 4],
  ['EVTCHNSTAT_unbound', EVTCHNSTAT.unbound], ['EVTCHNSTAT_interdomain', EVTCHNSTAT.interdomain], ['EVTCHNSTAT_virq', EVTCHNSTAT.virq], ['EVTCHNSTAT_ipi', EVTCHNSTAT.ipi],
  ['VIRQ_CONSOLE', VIRQ_CONSOLE], ['NR_VIRQS', NR_VIRQS],
  // grant_table_op (hc-grant.ts)
  ['offsetof(struct gnttab_query_size, nr_frames)', 4], ['offsetof(struct gnttab_query_size, max_nr_frames)', 8],
  ['offsetof(struct gnttab_query_size, status)', 12],
  ['offsetof(struct gnttab_setup_table, nr_frames)', 4], ['offsetof(struct gnttab_setup_table, status)', 8],
  ['offsetof(struct gnttab_setup_table, frame_list)', 16],
  ['offsetof(struct gnttab_get_version, version)', 4],
  ['sizeof(struct gnttab_cache_flush)', 16], ['offsetof(struct gnttab_cache_flush, offset)', 8],
  ['offsetof(struct gnttab_cache_flush, length)', 10], ['offsetof(struct gnttab_cache_flush, op)', 12],
  ['GNTTAB_CACHE_SOURCE_GREF', 1 << 31],
  ['offsetof(struct gnttab_get_status_frames, dom)', 4], ['offsetof(struct gnttab_get_status_frames, status)', 6],
  ['offsetof(struct gnttab_get_status_frames, frame_list)', 8],
  ['sizeof(struct gnttab_copy)', 40], ['offsetof(struct gnttab_copy, source.domid)', 8], ['offsetof(struct gnttab_copy, source.offset)', 10],
  ['offsetof(struct gnttab_copy, dest)', 16], ['offsetof(struct gnttab_copy, len)', 32], ['offsetof(struct gnttab_copy, flags)', 34],
  ['offsetof(struct gnttab_copy, status)', 36], ['GNTCOPY_source_gref', 1], ['GNTCOPY_dest_gref', 2],
  ['GTF_permit_access', 1], ['GTF_type_mask', 3], ['GTF_readonly', 4], ['sizeof(struct grant_entry_v1)', 8],
  ['offsetof(struct grant_entry_v1, domid)', 2], ['offsetof(struct grant_entry_v1, frame)', 4],
  ['GNTST_bad_gntref', -3], ['GNTST_bad_page', -9], ['GNTST_bad_copy_arg', -10], ['GNTST_permission_denied', GNTST.permission_denied],
  ['GNTTABOP_copy', 5], ['GNTTABOP_get_status_frames', 9], ['GNTTABOP_swap_grant_ref', 11], ['sizeof(struct gnttab_swap_grant_ref)', 12], ['offsetof(struct gnttab_swap_grant_ref, status)', 8], ['GNTTABOP_cache_flush', 12], ['GNTST_bad_virt_addr', GNTST.bad_virt_addr], ['GNTST_general_error', GNTST.general_error], ['GNTST_bad_domain', GNTST.bad_domain],
  ['XENMAPSPACE_gmfn_foreign', 4], ['XENMAPSPACE_dev_mmio', 5],
  ['HVM_PARAM_CALLBACK_IRQ', 0], ['HVM_PARAM_STORE_PFN', 1], ['HVM_PARAM_STORE_EVTCHN', 2], ['HVM_PARAM_CONSOLE_PFN', 17],
  ['HVM_PARAM_CONSOLE_EVTCHN', 18], ['HVM_PARAM_MONITOR_RING_PFN', 28], ['HVMOP_guest_request_vm_event', 24],
  ['SCHEDOP_pin_override', 7], ['sizeof(struct sched_pin_override)', 4],
  ['sizeof(xen_platform_parameters_t)', 8], ['XENVER_build_id', 10], ['XENVER_commandline', 9],
  // sched_op, vcpu_op, hvm_op, platform_op, multicall
  ['offsetof(struct sched_poll, nr_ports)', 8], ['offsetof(struct sched_poll, timeout)', 16],
  ['offsetof(struct sched_remote_shutdown, reason)', 4], ['offsetof(struct sched_watchdog, timeout)', 4],
  ['offsetof(struct vcpu_register_vcpu_info, offset)', 8],
  ['sizeof(struct vcpu_runstate_info)', 48], ['offsetof(struct vcpu_runstate_info, state_entry_time)', 8],
  ['offsetof(struct vcpu_runstate_info, time)', 16],
  ['offsetof(struct xen_hvm_param, index)', 4], ['offsetof(struct xen_hvm_param, value)', 8],
  ['offsetof(struct xen_platform_op, interface_version)', 4],
  ['offsetof(struct xen_platform_op, u.settime64.secs)', 8], ['offsetof(struct xen_platform_op, u.settime64.nsecs)', 16],
  ['offsetof(struct xen_platform_op, u.settime64.mbz)', 20], ['offsetof(struct xen_platform_op, u.settime64.system_time)', 24],
  ['XENPF_INTERFACE_VERSION', XENPF_INTERFACE_VERSION], ['XENPF_settime64', XENPF_settime64],
  ['sizeof(struct multicall_entry)', 64], ['offsetof(struct multicall_entry, result)', 8], ['offsetof(struct multicall_entry, args)', 16],
  ['sizeof(xen_compile_info_t)', 144], ['sizeof(xen_domain_handle_t)', 16], ['sizeof(xen_capabilities_info_t)', 1024],
  ['sizeof(xen_extraversion_t)', 16], ['sizeof(xen_changeset_info_t)', 64],
  ['offsetof(struct xen_feature_info, submap)', 4],
  ['(1u << XENFEAT_writable_page_tables) | (1u << XENFEAT_auto_translated_physmap) | (1u << XENFEAT_dom0) | (1u << XENFEAT_memory_op_vnode_supported) | (1u << XENFEAT_ARM_SMCCC_supported) | (1u << XENFEAT_direct_mapped)', DOM0_FEATURES],
  ['DOMID_SELF', DOMID_SELF],
  ['GUEST_GICD_BASE', GUEST.gicdBase], ['GUEST_GICC_BASE', GUEST.giccBase], ['GUEST_GICC_SIZE', GUEST.giccSize],
  ['GUEST_GNTTAB_BASE', GUEST.grantTableBase], ['GUEST_GNTTAB_SIZE', GUEST.grantTableSize], ['GUEST_RAM0_BASE', GUEST.ramBase],
  ['GUEST_EVTCHN_PPI', GUEST.evtchnPpi],
  ...Object.entries(HC).map(([name, nr]): [string, number] => [`__HYPERVISOR_${name}`, nr]),
];

test('every ABI fact xenarm relies on matches Xen 4.17\'s public headers for 32-bit ARM', (t) => {
  if (!requireTools(t, [CROSS.gcc], 'gcc-arm-linux-gnueabihf')) return;
  if (!existsSync('/usr/include/xen/arch-arm.h')) {
    if (process.env.CI) assert.fail('Xen public headers missing (CI installs libxen-dev)');
    t.skip('Xen public headers not installed (Debian: libxen-dev): skipping the comparison');
    return;
  }
  const lines = [
    '#define __XEN_TOOLS__ 1', // exposes the toolstack-visible parts (the guest-visible ones are always there)
    '#include <stddef.h>', '#include <stdint.h>',
    ...['xen.h', 'version.h', 'features.h', 'memory.h', 'event_channel.h', 'grant_table.h', 'sched.h', 'vcpu.h', 'hvm/params.h', 'hvm/hvm_op.h', 'platform.h'].map((h) => `#include <xen/${h}>`),
    ...FACTS.map(([expr, v], i) => `_Static_assert((${expr}) == ${v >>> 0}u, "fact ${i}: ${expr.replace(/"/g, '')} should be ${v}");`),
  ];
  const dir = mkdtempSync(join(tmpdir(), 'xenarm-abi-'));
  writeFileSync(join(dir, 'abi.c'), lines.join('\n') + '\n');
  const r = spawnSync(CROSS.gcc, ['-fsyntax-only', '-march=armv7-a', '-mfpu=vfpv3-d16', '-idirafter', '/usr/include', join(dir, 'abi.c')], { encoding: 'utf8' });
  assert.equal(r.stderr.replace(/.*warning.*\n?/g, ''), '', 'gcc rejects a fact');
  assert.equal(r.status, 0);
  assert.ok(FACTS.length > 80);
});
