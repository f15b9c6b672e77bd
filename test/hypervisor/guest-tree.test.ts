// The generated tree against dtc and against the layout Xen's toolstack (libxl_arm.c) and
// domain_build.c give a guest: dtc reads the blob back with exactly one warning — the one every Xen
// guest tree has, because Linux finds the node only by the exact name "hypervisor" — and prints the
// same DTS as the device-tree library; the content is the expected Xen layout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { requireTools } from '../support/tools';
import { Dom0 } from '../../src/hypervisor/dom0';
import { treeToDts, dtbToTree } from '../../src/devicetree/index';

function kernel(): Uint8Array {
  const b = new Uint8Array(0x1000);
  const dv = new DataView(b.buffer);
  dv.setUint32(0x24, 0x016f2818, true);
  dv.setUint32(0x2c, 0x1000, true);
  return b;
}

const EXPECTED = `/dts-v1/;

/ {
	model = "XENVM-4.17";
	compatible = "xen,xenvm-4.17\\0xen,xenvm";
	interrupt-parent = <0xfde8>;
	#address-cells = <0x02>;
	#size-cells = <0x02>;

	chosen {
		bootargs = "console=hvc0";
		linux,initrd-start = <0x00 0x48200000>;
		linux,initrd-end = <0x00 0x48200005>;
	};

	cpus {
		#address-cells = <0x01>;
		#size-cells = <0x00>;

		cpu@0 {
			device_type = "cpu";
			compatible = "arm,cortex-a15";
			enable-method = "psci";
			reg = <0x00>;
		};

		cpu@1 {
			device_type = "cpu";
			compatible = "arm,cortex-a15";
			enable-method = "psci";
			reg = <0x01>;
		};
	};

	psci {
		compatible = "arm,psci-1.0\\0arm,psci-0.2\\0arm,psci";
		method = "hvc";
		cpu_off = <0x01>;
		cpu_on = <0x02>;
	};

	memory@40000000 {
		device_type = "memory";
		reg = <0x00 0x40000000 0x00 0x10000000>;
	};

	interrupt-controller@3001000 {
		compatible = "arm,cortex-a15-gic\\0arm,cortex-a9-gic";
		#interrupt-cells = <0x03>;
		#address-cells = <0x00>;
		interrupt-controller;
		reg = <0x00 0x3001000 0x00 0x1000 0x00 0x3002000 0x00 0x2000>;
		phandle = <0xfde8>;
	};

	timer {
		compatible = "arm,armv7-timer";
		interrupts = <0x01 0x0d 0xf08 0x01 0x0e 0xf08 0x01 0x0b 0xf08>;
	};

	hypervisor {
		compatible = "xen,xen-4.17\\0xen,xen";
		reg = <0x00 0x38000000 0x00 0x1000000>;
		interrupts = <0x01 0x0f 0xf08>;
	};
};
`;

test('generated tree: dtc reads it with only the hypervisor-name warning and prints the expected Xen layout', (t) => {
  if (!requireTools(t, ['dtc'], 'device-tree-compiler')) return;
  const d = Dom0.create({ kernel: kernel(), kernelPath: 'k', cpus: 2, memoryMiB: 256, bootargs: 'console=hvc0', initrd: Buffer.from('abcde') });
  const dir = mkdtempSync(join(tmpdir(), 'xenarm-tree-'));
  writeFileSync(join(dir, 'g.dtb'), d.dtb);
  const r = spawnSync('dtc', ['-I', 'dtb', '-O', 'dts', join(dir, 'g.dtb')], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr.trim(), '<stdout>: Warning (unit_address_vs_reg): /hypervisor: node has a reg or ranges property, but no unit name');
  assert.equal(r.stdout, EXPECTED);
  assert.equal(treeToDts(dtbToTree(d.dtb)), r.stdout, 'the library reads the blob back as dtc does');
  // The tree as the library prints it from the live tree (what `xenarm dt` shows): dtc compiles it to
  // the very blob the guest gets, and prints it back unchanged.
  const source = treeToDts(d.tree!);
  writeFileSync(join(dir, 'g.dts'), source);
  const again = spawnSync('dtc', ['-q', '-I', 'dts', '-O', 'dtb', join(dir, 'g.dts')]);
  assert.equal(Buffer.compare(again.stdout, Buffer.from(d.dtb)), 0);
  const printed = spawnSync('dtc', ['-q', '-I', 'dts', '-O', 'dts', join(dir, 'g.dts')], { encoding: 'utf8' });
  assert.equal(printed.stdout, source);
  assert.equal(d.boot.dtbAddress, 0x48000000);
  assert.equal(d.boot.initrdAddress, 0x48200000);
});

test('generated tree follows --cpus and --memory, and has no chosen properties it was not given', () => {
  const d = Dom0.create({ kernel: kernel(), kernelPath: 'k', cpus: 4, memoryMiB: 64 });
  const dts = treeToDts(d.tree!);
  assert.equal((dts.match(/cpu@\d/g) ?? []).length, 4);
  assert.match(dts, /reg = <0x00 0x40000000 0x00 0x4000000>;/);
  assert.match(dts, /chosen \{\n\t\};/);
  assert.deepEqual(d.boot.mpidr, [0x80000000, 0x80000001, 0x80000002, 0x80000003]);
});
