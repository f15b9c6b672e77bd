// The logic behind the extension's views: the generated-device-tree outline and its reveal index (checked on
// a DTB made by dtc and printed back by dtc), the hypercall trace (order, bounded history, counts, the
// "Break on this hypercall" choices), the boot state rows, and the preview's escaping and CSP.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dtbToTree } from '../../src/devicetree/index';
import { buildOutline, indexDtsNodeLines, formatRegion, formatSize } from '../../src/vscode/devicetree/dt-outline';
import { HypercallTrace, breakChoices, describeHypercall, resultText } from '../../src/vscode/hypercalls/trace-model';
import { bootRows } from '../../src/vscode/boot/boot-model';
import { addressMapSvg, previewBody } from '../../src/vscode/preview/preview-html';
import { contentSecurityPolicy, escapeHtml, page } from '../../src/vscode/webview/html';
import type { HypercallRecord } from '../../src/debug/protocol';
import { requireTools } from '../support/tools';

const fixtures = join(__dirname, 'fixtures', 'lsp');

test('outline of a dtc-made DTB: every node, values as dtc prints them, reveal lines match dtc -O dts', (t) => {
  if (!requireTools(t, ['dtc'], 'device-tree-compiler')) return;
  const dir = mkdtempSync(join(tmpdir(), 'xenarm-outline-'));
  const dtb = join(dir, 'board.dtb');
  assert.equal(spawnSync('dtc', ['-q', '-I', 'dts', '-O', 'dtb', '-o', dtb, 'board.dts'], { cwd: fixtures }).status, 0);
  const dts = spawnSync('dtc', ['-I', 'dtb', '-O', 'dts', dtb], { encoding: 'utf8' }).stdout;
  const tree = dtbToTree(new Uint8Array(readFileSync(dtb)), 'board.dtb');
  const outline = buildOutline(tree, undefined);
  const paths: string[] = [];
  const walk = (n: typeof outline) => {
    paths.push(n.path);
    n.children.forEach(walk);
  };
  walk(outline);
  assert.deepEqual(paths, ['/', '/soc@10000000', '/soc@10000000/interrupt-controller@1000', '/soc@10000000/serial@9000', '/soc@10000000/gpio@a000', '/soc@10000000/timer@2000', '/soc@10000000/leds', '/chosen', '/memory@40000000']);
  const uart = outline.children[0].children[1];
  assert.deepEqual(uart.properties.find((p) => p.name === 'compatible')?.value, '"arm,pl011", "arm,primecell"');
  assert.deepEqual(uart.properties.find((p) => p.name === 'reg')?.value, '<0x9000 0x1000>');
  assert.deepEqual(uart.properties.find((p) => p.name === 'status')?.value, '"okay"');
  // Each indexed line of dtc's own printout is that node's opening line.
  const lines = dts.split('\n');
  const index = indexDtsNodeLines(dts);
  assert.deepEqual([...index.keys()].sort(), [...paths].sort());
  for (const [path, line] of index) {
    const name = path === '/' ? '/' : path.split('/').pop()!;
    assert.match(lines[line], new RegExp(`^\\s*(\\w+: )*${name.replace(/[.@]/g, '\\$&')} \\{$`), `${path} at line ${line}: ${lines[line]}`);
  }
});

test('regions and sizes are printed with CPU and bus addresses and overlaps', () => {
  assert.equal(formatSize(4096n), '4 KiB');
  assert.equal(formatSize(0x10000000n), '256 MiB');
  assert.equal(formatSize(100n), '100 bytes');
  assert.equal(formatRegion({ path: '/a', index: 0, busAddress: 0x9000n, size: 0x1000n, cpuAddress: 0x10009000n, overlapsWith: [] }), '0x10009000..0x10009fff (4 KiB) [bus 0x9000]');
  assert.equal(formatRegion({ path: '/a', index: 0, busAddress: 0x9000n, size: 0x1000n, cpuAddress: undefined, overlapsWith: ['/b'] }), '0x9000..0x9fff (4 KiB) [bus address, not translatable to the CPU] overlaps /b');
});

const rec = (seq: number, name: string, nr: number, extra: Partial<HypercallRecord> = {}): HypercallRecord => ({
  seq, vcpu: 0, kind: 'hypercall', nr, name, args: [1, 2, 3, 0, 0], decoded: {}, pc: 0xc0001000, time: seq * 100, ...extra,
});

test('hypercall trace: issue order across batches, bounded history, full counts, result updates', () => {
  const t = new HypercallTrace(() => 100);
  t.add([rec(2, 'console_io', 18), rec(1, 'xen_version', 17)]);
  assert.deepEqual(t.entries().map((r) => r.seq), [1, 2]);
  for (let i = 3; i <= 250; i++) t.add([rec(i, i % 2 ? 'event_channel_op' : 'console_io', i % 2 ? 32 : 18)]);
  assert.equal(t.entries().length, 100);
  assert.equal(t.entries()[0].seq, 151);
  assert.equal(t.total, 250);
  assert.equal(t.dropped, 150);
  assert.deepEqual(t.countsByCall().map((c) => [c.name, c.count]), [['console_io', 125], ['event_channel_op', 124], ['xen_version', 1]]);
  // The call reported again once it returned updates the entry, not the counts.
  t.add([rec(250, 'console_io', 18, { result: 0 })]);
  assert.equal(t.entries()[t.entries().length - 1].result, 0);
  assert.equal(t.total, 250);
});

test('hypercall descriptions and the Break on this hypercall choices', () => {
  const r = rec(7, 'console_io', 18, { decoded: { cmd: 'CONSOLEIO_write', text: 'hi\n' }, args: [0, 3, 0xc0800000, 0, 0], result: 3 });
  assert.equal(describeHypercall(r), 'console_io(cmd="CONSOLEIO_write", text="hi\\n") = 0x3');
  assert.equal(resultText(-38 >>> 0), '-38 (-ENOSYS)');
  const choices = breakChoices(r);
  assert.deepEqual(choices.map((c) => [c.functionName, c.condition]), [['hypercall:console_io', undefined], ['hypercall:console_io', 'a0 == 0x0']]);
  assert.match(choices[1].label, /cmd CONSOLEIO_write/);
  // Narrowing again adds the new command to the existing condition instead of replacing it.
  const again = breakChoices({ ...r, args: [1, 0, 0, 0, 0] }, 'a0 == 0x0');
  assert.equal(again[1].condition, 'a0 == 0x0 || a0 == 0x1');
  assert.equal(breakChoices(r, 'a0 == 0x0')[1].condition, 'a0 == 0x0');
});

test('boot state rows: dom0 registers with their meaning, placements, addresses to open', () => {
  const rows = bootRows({
    protocol: 'xen-dom0', entry: 0x40008000,
    registers: { r0: 0, r1: 0xffffffff, r2: 0x48000000, cpsr: 0x1d3, pc: 0x40008000 },
    kernel: { path: '/cache/vmlinuz', start: 0x40008000, end: 0x40608000 },
    dtb: { start: 0x48000000, size: 0x2000 }, initrd: { start: 0x48200000, end: 0x48400000 },
    ram: [{ base: 0x40000000, size: 0x10000000 }], bootargs: 'console=hvc0', log: ['Loading kernel'],
  });
  const regs = rows.find((r) => r.label === 'Entry registers')!.children!;
  assert.deepEqual(regs.map((r) => `${r.label}=${r.value}`), ['r0=0x00000000', 'r1=0xffffffff', 'r2=0x48000000', 'cpsr=0x000001d3', 'pc=0x40008000']);
  assert.equal(regs.find((r) => r.label === 'r2')!.address, 0x48000000);
  assert.match(regs.find((r) => r.label === 'r1')!.tooltip!, /device tree/);
  const kernel = rows.find((r) => r.label === 'Kernel')!;
  assert.equal(kernel.children!.find((c) => c.label === 'kind')!.value, 'zImage');
  assert.equal(kernel.children!.find((c) => c.label === 'size')!.value, '6 MiB');
  assert.equal(rows.find((r) => r.label === 'Initrd')!.value, '0x48200000..0x483fffff, 2 MiB');
  assert.equal(rows.find((r) => r.label === 'Device tree')!.address, 0x48000000);
});

test('webview pages: CSP allows only nonce scripts and local resources; text from files is escaped', () => {
  const csp = contentSecurityPolicy('vscode-resource:', 'abc');
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /script-src 'nonce-abc'/);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|https?:/);
  const evil = '<script>alert(1)</script>"\'&';
  assert.equal(escapeHtml(evil), '&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;');
  const body = previewBody({
    file: evil,
    diagnostics: [{ severity: 'error', message: evil, where: 'x.dts:1.1', check: 'c' }],
    regions: [{ path: `/${evil}`, index: 0, busAddress: 0n, size: 16n, cpuAddress: 0n, overlapsWith: [] }],
    interrupts: [{ path: `/${evil}`, index: 0, controllerPath: evil, specifier: [1], via: [] }],
    dts: evil,
  });
  assert.doesNotMatch(body, /<script>/);
  const html = page({ title: evil, cspSource: 'vscode-resource:', nonce: 'n1', styleUris: [], scriptUris: ['vscode-resource:/media/preview.js'], body });
  assert.equal(html.match(/<script/g)!.length, 1);
  assert.match(html, /<script nonce="n1" src=/);
});

test('address map picture: one bar per region on a compressed axis, overlaps marked', () => {
  const svg = addressMapSvg([
    { path: '/memory@40000000', index: 0, busAddress: 0x40000000n, size: 0x10000000n, cpuAddress: 0x40000000n, overlapsWith: [] },
    { path: '/uart@9000000', index: 0, busAddress: 0x9000000n, size: 0x1000n, cpuAddress: 0x9000000n, overlapsWith: ['/other'] },
    { path: '/other', index: 0, busAddress: 0x9000800n, size: 0x1000n, cpuAddress: 0x9000800n, overlapsWith: ['/uart@9000000'] },
    { path: '/pci/dev', index: 0, busAddress: 0n, size: 0x100n, cpuAddress: undefined, overlapsWith: [] },
  ]);
  assert.equal(svg.match(/<rect /g)!.length, 3);
  assert.equal(svg.match(/class="region overlap"/g)!.length, 2);
  // Bars are as wide as their share of distinct boundaries, so the 4 KiB UART is as visible as 256 MiB of RAM.
  const widths = [...svg.matchAll(/<rect x="[\d.]+" y="\d+" width="([\d.]+)"/g)].map((m) => Number(m[1]));
  assert.ok(Math.min(...widths) >= 50, `widths ${widths}`);
});
