// The GICv2 model against values QEMU 7.2's arm_gic gives on `-M virt -cpu cortex-a15` for the same
// register sequences (observed with test/guests/probe.c and test/guests/exc.c; the differential tests
// re-check them end to end once the core runs), and against the GICv2 architecture spec (IHI 0048B)
// for multi-CPU behaviour QEMU's single-CPU runs cannot show.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GicV2 } from '../../src/machine/devices/gicv2';

function make(n = 1) {
  const lines = Array.from({ length: n }, () => false);
  const gic = new GicV2(lines.map((_, i) => ({ setIrqLine: (l: boolean) => { lines[i] = l; } })));
  const d = (o: number, v?: number, size: 1 | 4 = 4) => (v === undefined ? gic.distributor.read(o, size) : (gic.distributor.write(o, size, v), 0));
  const c = (o: number, v?: number) => (v === undefined ? gic.cpuInterface.read(o, 4) : (gic.cpuInterface.write(o, 4, v), 0));
  return { gic, lines, d, c };
}

test('reset and ID values read as on QEMU virt (probe.c)', () => {
  const { d, c } = make();
  assert.equal(d(0x4), 0x00000008);        // GICD_TYPER: 288 lines, 1 CPU, no security extensions
  assert.equal(d(0x8), 0x0000043b);        // GICD_IIDR
  assert.equal(d(0x80), 0);                // IGROUPR RAZ
  assert.equal(d(0x100), 0x0000ffff);      // SGIs permanently enabled
  assert.equal(d(0xc00), 0xaaaaaaaa);      // SGIs edge
  assert.equal(d(0xc04), 0);
  assert.equal(d(0x800), 0);               // ITARGETSR RAZ/WI on a uniprocessor
  d(0x820, 0xffffffff); assert.equal(d(0x820), 0);
  d(0x400, 0xffffffff); assert.equal(d(0x400), 0xffffffff); // 8 priority bits
  d(0xc08, 0xffffffff); assert.equal(d(0xc08), 0xaaaaaaaa);
  d(0xc04, 0xffffffff); assert.equal(d(0xc04), 0xaaaaaaaa); // PPIs configurable
  d(0x180, 0xffffffff); assert.equal(d(0x100), 0x0000ffff); // SGIs cannot be disabled
  assert.deepEqual([0xfd0, 0xfd4, 0xfd8, 0xfdc, 0xfe0, 0xfe4, 0xfe8, 0xfec, 0xff0, 0xff4, 0xff8, 0xffc].map((o) => d(o)),
    [0x04, 0, 0, 0, 0x90, 0xb4, 0x2b, 0, 0x0d, 0xf0, 0x05, 0xb1]);
  assert.deepEqual([c(0), c(4), c(8)], [0, 0, 0]);
  c(4, 0xff); assert.equal(c(4), 0xff);
  c(8, 7); assert.equal(c(8), 7);
  c(8, 0);
  assert.equal(c(0x14), 0xff);             // RPR idle
  assert.equal(c(0x18), 0x3ff);            // HPPIR none
  assert.equal(c(0x0c), 0x3ff);            // IAR while disabled
  assert.equal(c(0x1c), 1);                // ABPR
  assert.equal(c(0xfc), 0x0002043b);       // GICC_IIDR
});

test('timer PPI and SGIs: acknowledge, running priority, priority order and masking as on QEMU (exc.c)', () => {
  const { gic, lines, d, c } = make();
  d(0x0, 1); c(0x4, 0xf0); c(0x0, 1);
  d(0x400 + 30, 0xa0, 1); d(0x100, 1 << 30);
  assert.equal(lines[0], false);
  gic.setPpi(0, 30, true);                  // level-sensitive timer output goes high
  assert.equal(lines[0], true);
  assert.equal(c(0x0c), 30);
  assert.equal(c(0x14), 0xa0);
  assert.equal(c(0x18), 0x3ff);
  assert.equal(lines[0], false);            // active: no longer signalled
  gic.setPpi(0, 30, false);                 // the handler stops the timer
  c(0x10, 30);
  assert.equal(c(0x14), 0xff);

  d(0x400 + 3, 0x80, 1); d(0x400 + 5, 0x40, 1);
  d(0xf00, (2 << 24) | 3);                  // self
  d(0xf00, (0 << 24) | (1 << 16) | 5);      // target list
  assert.equal(d(0xf20 + 3, undefined, 1), 1);
  assert.equal(d(0x200), 0x28);
  assert.equal(c(0x18), 5);
  assert.equal(lines[0], true);
  assert.equal(c(0x0c), 5);                 // higher priority first
  assert.equal(c(0x14), 0x40);
  assert.equal(c(0x18), 3);
  c(0x10, 5);
  assert.equal(c(0x14), 0xff);
  assert.equal(c(0x0c), 3);
  assert.equal(c(0x14), 0x80);
  assert.equal(c(0x18), 0x3ff);
  c(0x10, 3);
  assert.equal(lines[0], false);

  d(0x400 + 7, 0xf0, 1);
  d(0xf00, (2 << 24) | 7);
  assert.equal(c(0x0c), 0x3ff);             // priority 0xf0 is not below PMR 0xf0
  c(0x4, 0xf8);
  assert.equal(c(0x0c), 7);
  assert.equal(c(0x14), 0xf0);
  assert.equal(d(0x300), 0x80);
  c(0x10, 7);
  assert.equal(d(0x300), 0);
  assert.equal(c(0x0c), 0x3ff);
});

test('SGI target filters, source CPU in IAR, banked PPIs and SPI targets on 4 CPUs (GICv2 spec 4.3.15, 4.4.4)', () => {
  const { gic, lines, d, c } = make(4);
  d(0x0, 1);
  for (let i = 0; i < 4; i++) { gic.currentCpu = i; c(0x4, 0xff); c(0x0, 1); }
  assert.equal(d(0x4), 0x68);                // 3 << 5 | 8
  gic.currentCpu = 2;
  d(0xf00, (1 << 24) | 9);                   // all but self
  assert.deepEqual(lines, [true, true, false, true]);
  gic.currentCpu = 0;
  assert.equal(d(0x800, undefined, 1), 1);   // ITARGETSR0 reads the reading CPU's bit
  assert.equal(c(0x0c), 9 | (2 << 10));      // source CPU 2
  c(0x10, 9 | (2 << 10));
  assert.equal(lines[0], false);
  gic.currentCpu = 1;
  d(0xf00, (0 << 24) | (0b0101 << 16) | 2);  // to CPUs 0 and 2 from CPU 1
  gic.currentCpu = 2;
  assert.equal(c(0x0c), 2 | (1 << 10));
  c(0x10, 2 | (1 << 10));
  assert.equal(c(0x0c), 0x3ff);              // filter 1 ("all but self") did not target CPU 2 itself
  // PPIs are banked: enabling PPI 27 on CPU 1 does not enable it on CPU 3.
  gic.currentCpu = 1; d(0x100, 1 << 27);
  gic.setPpi(3, 27, true);
  assert.equal(lines[3], true, 'CPU 3 still has SGI 9 pending from CPU 2');
  gic.currentCpu = 3; assert.equal(c(0x0c), 9 | (2 << 10)); c(0x10, 9 | (2 << 10));
  assert.equal(lines[3], false, 'PPI 27 is disabled on CPU 3');
  gic.setPpi(1, 27, true);
  assert.equal(lines[1], true);
  gic.currentCpu = 1; assert.equal(c(0x0c), 9 | (2 << 10)); c(0x10, 9 | (2 << 10));
  assert.equal(c(0x0c), 27);
  gic.currentCpu = 0; assert.equal(c(0x0c), 2 | (1 << 10)); c(0x10, 2 | (1 << 10));
  // SPIs go to the CPUs in ITARGETSR; 1-of-N: once one CPU acknowledges, the others no longer see it.
  d(0x100 + 4, 1);                            // enable SPI 32
  d(0x800 + 32, 0b1100, 1);
  assert.equal(d(0x800 + 32, undefined, 1), 0b1100);
  gic.setSpi(32, true);
  assert.deepEqual([lines[0], lines[2], lines[3]], [false, true, true]);
  gic.currentCpu = 3; assert.equal(c(0x0c), 32);
  assert.equal(lines[2], false, 'active SPI is not offered to CPU 2');
  gic.currentCpu = 2; assert.equal(c(0x0c), 0x3ff);
  // EOImode=1 on CPU 3: EOIR only drops priority, DIR deactivates.
  gic.currentCpu = 3; c(0x0, 0x201); c(0x10, 32);
  assert.equal(c(0x14), 0xff);
  assert.equal(d(0x304) & 1, 1, 'still active until GICC_DIR');
  c(0x1000, 32);
  assert.equal(d(0x304) & 1, 0);
  // The level is still high, so the SPI is pending again (level-sensitive).
  assert.equal(d(0x204) & 1, 1);
});

// The register sequence of test/guests/gic.c, replayed on the model; QEMU runs the guest itself and the
// printed lines must be identical (a differential test of the GIC alone, without a CPU).
import { spawnSync } from 'node:child_process';
// @ts-ignore -- plain ESM build script
import { buildGuests, haveGcc } from '../guests/build.mjs';

function gicGuestOnModel(): string {
  const { d, c } = make();
  const out: string[] = [];
  const hx = (v: number) => (v >>> 0).toString(16).padStart(8, '0');
  const show = (n: string, v: number) => out.push(`${n}=${hx(v)}\n`);
  const state = (w: string) => out.push(`${w}: ${[c(0x14), c(0x18), d(0x200), d(0x204), d(0x300), d(0x304), c(0xd0)].map(hx).join(' ')}\n`);
  const IAR = () => c(0x0c), EOI = (v: number) => c(0x10, v);
  d(0, 1); c(4, 0xff); c(0, 1);
  d(0x104, 0xf00);
  d(0x400 + 40, 0x80, 1); d(0x400 + 41, 0x88, 1); d(0x400 + 42, 0x40, 1); d(0x400 + 43, 0x90, 1);
  d(0x400 + 1, 0x20, 1); d(0x400 + 2, 0xa0, 1);
  state('idle');
  d(0x204, 1 << 8); state('pend40');
  const a = IAR(); show('iar', a); state('ack40');
  d(0x204, 1 << 9); show('iar_41_bpr0', IAR()); state('nested41');
  EOI(41); state('eoi41');
  c(8, 3);
  d(0x204, 1 << 11); d(0x204, 1 << 9);
  show('iar_bpr3', IAR()); state('bpr3');
  d(0x204, 1 << 10); show('iar_42', IAR()); state('nested42');
  EOI(42); state('eoi42');
  EOI(a); state('eoi40');
  show('iar_after', IAR()); state('after');
  let x: number;
  while ((x = IAR()) !== 1023) { show('drain', x); EOI(x); }
  c(8, 0);
  d(0xf00, (2 << 24) | 1); d(0xf00, (2 << 24) | 2); state('sgis');
  d(0xf10 + 2, 1, 1); state('cpendsgi2');
  d(0x200, 0x6); state('ispendr_sgi');
  show('iar_sgi', x = IAR()); EOI(x);
  c(0, 0x201);
  d(0x204, 1 << 8);
  x = IAR(); show('iar_eoimode', x);
  EOI(x); state('eoimode_after_eoi');
  c(0x1000, x); state('eoimode_after_dir');
  c(0, 1);
  d(0x304, 1 << 11); state('isactive43');
  d(0x384, 1 << 11); state('icactive43');
  d(0xc08, 2 << 16); show('icfgr2', d(0xc08));
  d(0x204, 1 << 8); state('edge_pend');
  d(0x284, 1 << 8); state('edge_clear');
  d(0x184, 1 << 8); d(0x204, 1 << 8);
  show('iar_disabled', IAR()); state('disabled_pending');
  d(0x104, 1 << 8); d(0, 0);
  show('iar_dist_off', IAR());
  d(0, 1);
  show('iar_dist_on', x = IAR()); EOI(x);
  state('end');
  return out.join('');
}

test('the polling sequence of test/guests/gic.c reads the same values on the model as on QEMU', (t) => {
  const missing = (why: string) => { if (process.env.CI) assert.fail(why); t.skip(why); };
  if (!haveGcc()) return missing('arm-linux-gnueabihf-gcc not installed');
  if (spawnSync('qemu-system-arm', ['--version'], { stdio: 'ignore' }).status !== 0) return missing('qemu-system-arm not installed');
  const [elf] = buildGuests(['gic']) as string[];
  const r = spawnSync('qemu-system-arm', ['-M', 'virt', '-cpu', 'cortex-a15', '-nographic', '-nic', 'none', '-semihosting', '-kernel', elf], { encoding: 'utf8', timeout: 30000 });
  assert.equal(r.status, 0);
  const ref = r.stderr.replace(/^qemu-system-arm:.*\n/gm, '');
  assert.ok(ref.length > 500, 'QEMU printed the sequence');
  assert.equal(gicGuestOnModel(), ref);
});
