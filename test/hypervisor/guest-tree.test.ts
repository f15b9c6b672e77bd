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
import { treeToDts, dtbToTree, compileDts } from '../../src/devicetree/index';

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

/** The one warning dtc gives every Xen guest tree: Linux (arch/arm/xen/enlighten.c fdt_find_hyper_node)
 *  and Xen's own domain_build.c both need the node named exactly "hypervisor", so it cannot carry a
 *  unit address; no other warning is allowed. */
const HYPERVISOR_NAME_WARNING = '<stdout>: Warning (unit_address_vs_reg): /hypervisor: node has a reg or ranges property, but no unit name';

test('generated tree for --cpus 1..4, with and without --initrd and --bootargs, and with an overlay: dtc reads each with only the hypervisor-name warning and prints what the library prints', (t) => {
  if (!requireTools(t, ['dtc'], 'device-tree-compiler')) return;
  const dir = mkdtempSync(join(tmpdir(), 'xenarm-tree-matrix-'));
  const overlay = Buffer.from('/dts-v1/;\n/ {\n\tchosen { bootargs = "from the overlay"; };\n\treserved-memory {\n\t\t#address-cells = <2>;\n\t\t#size-cells = <2>;\n\t\tranges;\n\t\tbuffer@4f000000 { reg = <0 0x4f000000 0 0x100000>; no-map; };\n\t};\n};\n');
  let n = 0;
  for (let cpus = 1; cpus <= 4; cpus++) {
    for (const extra of [{}, { bootargs: 'console=hvc0 earlyprintk', initrd: Buffer.alloc(0x12345, 7) }, { dtOverlay: { bytes: overlay, path: 'ov.dts' } }]) {
      const d = Dom0.create({ kernel: kernel(), kernelPath: 'k', cpus, memoryMiB: 256, ...extra });
      const file = join(dir, `g${n++}.dtb`);
      writeFileSync(file, d.dtb);
      const r = spawnSync('dtc', ['-I', 'dtb', '-O', 'dts', file], { encoding: 'utf8' });
      const what = `--cpus ${cpus} ${JSON.stringify(Object.keys(extra))}`;
      assert.equal(r.status, 0, `${what}: ${r.stderr}`);
      assert.equal(r.stderr.trim(), HYPERVISOR_NAME_WARNING, what);
      assert.equal(r.stdout, treeToDts(dtbToTree(d.dtb)), what);
      assert.equal((r.stdout.match(/\tcpu@\d \{/g) ?? []).length, cpus, what);
      if ('initrd' in extra) {
        assert.match(r.stdout, /bootargs = "console=hvc0 earlyprintk";/, what);
        const start = d.boot.initrdAddress!;
        assert.match(r.stdout, new RegExp(`linux,initrd-start = <0x00 0x${start.toString(16)}>;\\n\\t\\tlinux,initrd-end = <0x00 0x${(start + 0x12345).toString(16)}>;`), what);
      } else assert.doesNotMatch(r.stdout, /linux,initrd/, what);
      if ('dtOverlay' in extra) {
        assert.match(r.stdout, /chosen \{\n\t\tbootargs = "from the overlay";\n\t\};/, what);
        assert.match(r.stdout, /reserved-memory \{[^}]*buffer@4f000000 \{\n\t\t\treg = <0x00 0x4f000000 0x00 0x100000>;\n\t\t\tno-map;/, what);
      }
      // The DTS `xenarm dt` prints gets the same single warning from dtc and from the library's own checks.
      const checks = compileDts(treeToDts(d.tree!), { file: 'g.dts' }).diagnostics.map((x) => `${x.severity} ${x.check}: ${x.message}`);
      assert.deepEqual(checks, ['warning unit_address_vs_reg: /hypervisor: node has a reg or ranges property, but no unit name'], what);
      const own = spawnSync('dtc', ['-I', 'dts', '-O', 'dtb', '-o', '/dev/null', '-'], { input: treeToDts(d.tree!), encoding: 'utf8' });
      assert.match(own.stderr.trim(), /^<stdin>:\d+\.\d+-\d+\.\d+: Warning \(unit_address_vs_reg\): \/hypervisor: node has a reg or ranges property, but no unit name$/, `${what}: the printed DTS compiles with the same single warning`);
    }
  }
});
