// `xenarm demo` through the built CLI: the example dom0 boots under the embedded Xen, its PV console
// answers the typed lines, the run is deterministic, the trace's console writes add up to exactly the
// console output, and the printed tree is the one the guest got: dtc compiles it (with only the
// hypervisor-name warning every Xen guest tree has) to the same bytes `xenarm dt -O dtb` writes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { requireTools } from '../support/tools';

const root = join(__dirname, '..', '..');
const cli = join(root, 'dist', 'cli.js');
const elf = join(root, 'sample', 'guest', 'dom0.elf');

function demo(): { status: number | null; out: string } {
  assert.ok(existsSync(cli), 'dist/cli.js is built (npm test builds first)');
  const r = spawnSync(process.execPath, [cli, 'demo'], { encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, out: r.stdout };
}

function section(out: string, title: RegExp): string {
  const parts = out.split(/\n(?=== )/);
  const s = parts.find((p) => title.test(p.split('\n')[0]));
  assert.ok(s, `section ${title}`);
  return s.split('\n').slice(1).join('\n');
}

test('the demo boots the example dom0: console dialogue, poweroff, same output on every run', () => {
  const a = demo(), b = demo();
  assert.equal(a.status, 0);
  assert.equal(a.out, b.out, 'two runs print the same, instruction counts included');
  const con = section(a.out, /^== The PV console/);
  assert.match(con, /^Hello from xenarm's example dom0!\n/);
  assert.match(con, /running on Xen 4\.17\.0 as dom0\n/);
  assert.match(con, /you typed: "hello from the xenarm demo"\n/);
  assert.match(con, /powering off\n$/);
  assert.match(a.out, /== dom0 shut down \(poweroff\) after \d+ instructions/);
});

test("the demo's trace: console_io writes add up to the console, calls numbered in order, ends with the shutdown", () => {
  const { out } = demo();
  const con = section(out, /^== The PV console/);
  const trace = section(out, /^== Its \d+ hypercalls/).split('\n').filter((l) => l.startsWith('[#'));
  const n = Number(/== Its (\d+) hypercalls/.exec(out)![1]);
  assert.equal(trace.length, n);
  trace.forEach((l, i) => assert.ok(l.startsWith(`[#${i + 1} vcpu0 `), l));
  const written = trace.filter((l) => /\] console_io\(write, /.test(l)).map((l) => JSON.parse(/\) (".*") = 0$/.exec(l)![1]) as string).join('');
  assert.equal(written.trimEnd(), con.trimEnd());
  assert.match(trace[trace.length - 1], /\] sched_op\(shutdown, reason=poweroff\) = 0$/);
  assert.ok(trace.some((l) => /event_channel_op\(bind_virq, virq=VIRQ_CONSOLE, vcpu=0, port=1\) = 0$/.test(l)));
  assert.ok(trace.some((l) => /console_io\(read, count=64\) "hello from the xenarm demo\\r" = 27 \(0x1b\)$/.test(l)));
});

test("the demo's tree is the guest's tree, and dtc accepts it", (t) => {
  if (!requireTools(t, ['dtc'], 'device-tree-compiler')) return;
  const dts = section(demo().out, /^== The device tree it was given/);
  const dir = mkdtempSync(join(tmpdir(), 'xenarm-demo-'));
  writeFileSync(join(dir, 'demo.dts'), dts);
  const c = spawnSync('dtc', ['-I', 'dts', '-O', 'dtb', '-o', join(dir, 'demo.dtb'), join(dir, 'demo.dts')], { encoding: 'utf8' });
  assert.equal(c.status, 0, c.stderr);
  assert.equal(c.stderr.trim().split('\n').length, 1);
  assert.match(c.stderr, /Warning \(unit_address_vs_reg\): \/hypervisor: node has a reg or ranges property, but no unit name/);
  const ours = spawnSync(process.execPath, [cli, 'dt', elf, '--bootargs', 'console=hvc0 earlycon=xenboot', '-O', 'dtb', '-o', join(dir, 'ours.dtb')], { encoding: 'utf8' });
  assert.equal(ours.status, 0, ours.stderr);
  assert.deepEqual(readFileSync(join(dir, 'ours.dtb')), readFileSync(join(dir, 'demo.dtb')));
});
