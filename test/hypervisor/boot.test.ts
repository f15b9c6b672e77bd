// The boot guest (test/guests/xen/boot.c) reads what the dom0 builder handed over — the tree or the
// ATAGS list, bootargs, initrd — and ends the way its command line asks, so each shutdown path, the
// watchdog, both boot protocols, a user tree and an overlay are checked from inside a real guest.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { requireTools, CROSS } from '../support/tools';
import { bootGuest, failedChecks, xenGuest } from './guest-runner';

const INITRD = Buffer.from('INITRD!\nthe rest of an initrd');

async function boot(t: { skip(m: string): void }, opts: Parameters<typeof bootGuest>[1]) {
  if (!requireTools(t, [CROSS.gcc], 'gcc-arm-linux-gnueabihf')) return undefined;
  const r = bootGuest(await xenGuest('boot'), opts, 100_000_000);
  assert.deepEqual(failedChecks(r.console), []);
  return r;
}

test('device-tree protocol: r0 = 0, r1 = ~0, r2 = tree; bootargs, initrd and hypervisor node seen by the guest', async (t) => {
  const r = await boot(t, { bootargs: 'console=hvc0 earlycon=xenboot', initrd: INITRD });
  if (!r) return;
  const b = r.dom0.boot;
  assert.match(r.console, new RegExp(`r0 0x00000000 r1 0xffffffff r2 0x${b.dtbAddress.toString(16).padStart(8, '0')}`));
  assert.match(r.console, /bootargs: console=hvc0 earlycon=xenboot\n/);
  assert.match(r.console, new RegExp(`initrd size = ${INITRD.length}\n`));
  assert.match(r.console, /hypervisor compatible: xen,xen-4\.17\n/);
  assert.match(r.console, /memory MiB = 128\n/);
  assert.equal(b.cpsr, 0x400001d3);
  assert.equal(b.sctlr, 0x00c50078);
  assert.deepEqual(r.result.shutdown, { reason: 'poweroff', code: 0, exitStatus: 0 });
});

test('ATAGS protocol: machine number 2272 (or --machine-id), list at RAM + 0x100 with MEM, INITRD2, CMDLINE', async (t) => {
  const r = await boot(t, { bootProtocol: 'atags', bootargs: 'root=/dev/ram', initrd: INITRD, memoryMiB: 64 });
  if (!r) return;
  assert.match(r.console, /r1 0x000008e0 r2 0x40000100\n/);
  assert.match(r.console, /ATAG_CORE\nATAG_MEM MiB = 64\nATAG_MEM start 0x40000000\nATAG_INITRD2\n/);
  assert.match(r.console, /ATAG_CMDLINE: root=\/dev\/ram\n/);
  assert.equal(r.dom0.tree, null);
  const r2 = await boot(t, { bootProtocol: 'atags', machineId: 3343 });
  assert.match(r2!.console, /machine number = 3343\n/);
});

test('shutdown reasons end the run with their exit statuses (0, 129, 130, 131), as Xen shuts the hardware domain down', async (t) => {
  const cases: [string, string, number][] = [
    ['shutdown=0', 'poweroff', 0], ['shutdown=1', 'reboot', 129], ['shutdown=3', 'crash', 130], ['shutdown=4', 'watchdog', 131],
    ['psci=off', 'poweroff', 0], ['psci=reset', 'reboot', 129], ['watchdog', 'watchdog', 131],
    // Xen 4.17's domain_shutdown for the hardware domain: an unknown reason reboots the machine, the
    // reason is taken as a u8 (256 is poweroff), the first SCHEDOP_shutdown_code wins over the call's
    // reason, and SCHEDOP_remote_shutdown names dom0 by its id 0.
    ['shutdown=9', 'reboot', 129], ['shutdown=256', 'poweroff', 0], ['shutdown_code=3 shutdown=0', 'crash', 130],
    ['remote_shutdown=1', 'reboot', 129],
  ];
  for (const [args, reason, status] of cases) {
    const r = await boot(t, { bootargs: args });
    if (!r) return;
    assert.equal(r.result.reason, 'shutdown', args);
    assert.equal(r.result.shutdown?.reason, reason, args);
    assert.equal(r.result.shutdown?.exitStatus, status, args);
    assert.doesNotMatch(r.console, /^FAIL/m, args);
  }
});

test('the watchdog fires after 1 s of virtual time (62.5 M ticks), not before', async (t) => {
  const r = await boot(t, { bootargs: 'watchdog' });
  if (!r) return;
  const armed = r.calls.find((c) => c.name === 'sched_op' && c.decoded.cmd === 'watchdog')!;
  assert.ok(r.dom0.board.time >= 62_500_000 + armed.icount, `fired at tick ${r.dom0.board.time}`);
  assert.ok(r.dom0.board.time < 62_500_000 * 1.6);
});

test('a DTS overlay is merged into the generated tree: bootargs changed, a node added', async (t) => {
  const overlay = '/dts-v1/;\n/ {\n\tchosen { bootargs = "from the overlay shutdown=1"; };\n\toverlay-node { note = "added"; };\n};\n';
  const r = await boot(t, { bootargs: 'ignored', dtOverlay: { bytes: Buffer.from(overlay), path: 'extra.dts' } });
  if (!r) return;
  assert.match(r.console, /bootargs: from the overlay shutdown=1\n/);
  assert.match(r.console, /overlay node: added\n/);
  assert.equal(r.result.shutdown?.reason, 'reboot');
});

test('a user DTS replaces the generated tree, and still gets bootargs and the initrd in /chosen', async (t) => {
  const dts = `/dts-v1/;
/ { #address-cells = <2>; #size-cells = <2>;
  memory@40000000 { device_type = "memory"; reg = <0 0x40000000 0 0x4000000>; };
  hypervisor { compatible = "xen,xen-4.17", "xen,xen"; reg = <0 0x38000000 0 0x1000000>; interrupts = <1 15 0xf08>; };
};
`;
  const r = await boot(t, { bootargs: 'mine', initrd: INITRD, dtb: { bytes: Buffer.from(dts), path: 'my.dts' } });
  if (!r) return;
  assert.match(r.console, /bootargs: mine\n/);
  assert.match(r.console, /memory MiB = 64\n/, 'the user tree says 64 MiB');
});

test('SCHEDOP_block with no timer armed and no event bound never returns: the run ends in deadlock, not a busy loop', async (t) => {
  const r = await boot(t, { bootargs: 'block' });
  if (!r) return;
  assert.equal(r.result.reason, 'deadlock');
  assert.doesNotMatch(r.console, /FAIL/);
  const block = r.calls.find((c) => c.name === 'sched_op' && c.decoded.cmd === 'block');
  assert.equal(block?.decoded.blocked, 'yes');
  assert.ok(r.result.instructions - block!.icount < 100, 'nothing ran after the block');
  assert.ok(r.dom0.vcpus[0].blocked);
});
