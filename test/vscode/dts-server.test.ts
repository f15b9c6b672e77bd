// The DTS language server's features on fixtures: diagnostics against dtc 1.6.1's own messages (same check
// names, same positions), and the editor features (outline, definition, references, rename, hover,
// completion) against positions read off the fixture text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DtsWorkspace } from '../../src/dts-server/workspace';
import { DtsFeatures } from '../../src/dts-server/features';
import { devicetreeBackend } from '../../src/dts-server/backend-devicetree';
import { requireTools } from '../support/tools';

const dir = join(__dirname, 'fixtures', 'lsp');
const file = (n: string) => join(dir, n);

function features(open: Record<string, string> = {}): DtsFeatures {
  const ws = new DtsWorkspace({ readFile: (p) => { try { return readFileSync(p, 'latin1'); } catch { return undefined; } } }, () => []);
  for (const [n, text] of Object.entries(open)) ws.setOpen(file(n), text);
  return new DtsFeatures(ws, devicetreeBackend);
}

/** Line/character (0-based) of the `nth` occurrence of `needle` in a fixture, plus `delta` characters. */
function at(name: string, needle: string, delta = 0, nth = 0): { line: number; character: number } {
  const text = readFileSync(file(name), 'utf8');
  let off = -1;
  for (let i = 0; i <= nth; i++) off = text.indexOf(needle, off + 1);
  assert.ok(off >= 0, `${needle} not in ${name}`);
  const before = text.slice(0, off + delta);
  const line = before.split('\n').length - 1;
  return { line, character: before.length - before.lastIndexOf('\n') - 1 };
}

interface DtcMessage { file: string; line: number; column: number; severity: 'error' | 'warning'; check?: string; text: string }

/** dtc's messages: `file:L.C-...: Warning (check): path: message` and `Error: file:L.C-C syntax error`. */
function dtcMessages(name: string): DtcMessage[] {
  const r = spawnSync('dtc', ['-I', 'dts', '-O', 'dtb', '-o', '/dev/null', name], { cwd: dir, encoding: 'utf8' });
  const out: DtcMessage[] = [];
  for (const line of r.stderr.split('\n')) {
    let m = /^([^:\s]+):(\d+)\.(\d+)(?:-[\d.]+)?: (Warning|ERROR) \((\w+)\): (.*)$/.exec(line);
    if (m) {
      out.push({ file: m[1], line: +m[2], column: +m[3], severity: m[4] === 'ERROR' ? 'error' : 'warning', check: m[5], text: m[6] });
      continue;
    }
    m = /^Error: ([^:\s]+):(\d+)\.(\d+)(?:-[\d.]+)? (.*)$/.exec(line);
    if (m) out.push({ file: m[1], line: +m[2], column: +m[3], severity: 'error', text: m[4] });
  }
  return out;
}

for (const name of ['broken-ref.dts', 'syntax-error.dts', 'board.dts']) {
  test(`diagnostics of ${name} are dtc's: same checks, messages and positions`, (t) => {
    if (!requireTools(t, ['dtc'], 'device-tree-compiler')) return;
    const want = dtcMessages(name);
    const got = features().diagnostics(file(name));
    const inFile = want.filter((w) => w.file === name);
    for (const w of inFile) {
      const d = got.find((g) => g.range.start.line === w.line - 1 && g.range.start.character === w.column - 1 && (g.code ?? undefined) === w.check);
      assert.ok(d, `dtc: ${name}:${w.line}.${w.column} ${w.check ?? ''} ${w.text}\nours: ${JSON.stringify(got, null, 1)}`);
      assert.equal(d.severity, w.severity === 'error' ? 1 : 2);
      assert.ok(w.text.includes(String(d.message)), `message: dtc "${w.text}", ours "${d.message}"`);
    }
    // Messages dtc places in included files appear on the include line, naming the file and position.
    for (const w of want.filter((w) => w.file !== name)) {
      assert.ok(got.some((g) => g.code === w.check && String(g.message).includes(`${w.file}:${w.line}:${w.column}`)), `included-file message ${w.file}:${w.line} ${w.check} missing`);
    }
    assert.equal(got.length, want.length, `ours: ${got.map((g) => `${g.range.start.line + 1}.${g.range.start.character + 1} ${g.code} ${g.message}`).join('\n')}`);
  });
}

test('outline: nodes with labels and properties, &label extensions as their own entries', () => {
  const syms = features().symbols(file('soc.dtsi'));
  assert.deepEqual(syms.map((s) => s.name), ['/']);
  const soc = syms[0].children!.find((c) => c.name === 'soc@10000000')!;
  assert.equal(soc.detail, 'soc:');
  assert.deepEqual(soc.children!.map((c) => c.name), ['compatible', '#address-cells', '#size-cells', 'ranges', 'interrupt-parent', 'interrupt-controller@1000', 'serial@9000', 'gpio@a000']);
  const uart = soc.children!.find((c) => c.name === 'serial@9000')!;
  assert.deepEqual(uart.selectionRange.start, at('soc.dtsi', 'serial@9000'));
  assert.deepEqual(uart.range.start, at('soc.dtsi', 'uart0:'));
  assert.deepEqual(features().symbols(file('board.dts')).map((s) => s.name), ['/', '&uart0', '&soc']);
});

test('definition of &uart0 is its label in the included .dtsi; an include opens the file', () => {
  const f = features();
  const p = at('board.dts', '&uart0;', 2);
  assert.deepEqual(f.definition(file('board.dts'), p.line, p.character), [{ path: file('soc.dtsi'), range: { start: at('soc.dtsi', 'uart0:'), end: at('soc.dtsi', 'uart0:', 5) } }]);
  const inc = at('board.dts', 'soc.dtsi');
  assert.deepEqual(f.definition(file('board.dts'), inc.line, inc.character).map((l) => l.path), [file('soc.dtsi')]);
});

test('references of a label span the including file and the .dtsi (when the .dts is open)', () => {
  const f = features({ 'board.dts': readFileSync(file('board.dts'), 'latin1') });
  const p = at('soc.dtsi', 'uart0:', 1);
  const refs = f.references(file('soc.dtsi'), p.line, p.character, true).map((l) => `${l.path.split('/').pop()}:${l.range.start.line}:${l.range.start.character}`).sort();
  const where = (n: string, s: string, d: number) => { const q = at(n, s, d); return `${n}:${q.line}:${q.character}`; };
  assert.deepEqual(refs, [where('board.dts', '&uart0;', 1), where('board.dts', '&uart0 {', 1), where('soc.dtsi', 'uart0:', 0)].sort());
});

test('rename of a label edits its definition and every reference; bad or taken names are refused', () => {
  const f = features();
  const p = at('board.dts', '&gpio0', 3);
  const edits = f.rename(file('board.dts'), p.line, p.character, 'gpio_main');
  assert.ok(edits instanceof Map);
  assert.deepEqual([...edits.keys()].sort(), [file('board.dts'), file('soc.dtsi')]);
  assert.deepEqual(edits.get(file('soc.dtsi'))!.map((e) => e.range.start), [at('soc.dtsi', 'gpio0:')]);
  assert.deepEqual(edits.get(file('board.dts'))!.map((e) => e.range.start), [at('board.dts', '&gpio0', 1)]);
  assert.match(f.rename(file('board.dts'), p.line, p.character, '0bad') as string, /not a valid label/);
  assert.match(f.rename(file('board.dts'), p.line, p.character, 'uart0') as string, /already defined/);
});

test('hover on a reference shows the node, its phandle and interrupt parent, resolved by the compiler', () => {
  const f = features();
  const p = at('board.dts', '&uart0;', 2);
  const h = f.hover(file('board.dts'), p.line, p.character)!;
  const text = (h.contents as { value: string }).value;
  assert.match(text, /\*\*\/soc@10000000\/serial@9000\*\*/);
  assert.match(text, /compatible: `arm,pl011`, `arm,primecell`/);
  // board.dts sets status = "okay" on &uart0, overriding the .dtsi's "disabled": the merged tree is shown.
  assert.match(text, /status: okay/);
  assert.match(text, /interrupt parent: \/soc@10000000\/interrupt-controller@1000/);
  // The address map translates reg through soc's ranges (0 -> 0x10000000) and routes the interrupt.
  assert.match(text, /reg\[0\]: CPU 0x10009000\.\.0x10009fff \(bus 0x9000\), size 0x1000/);
  assert.match(text, /interrupt\[0\]: <0x0 0x1 0x4> → \/soc@10000000\/interrupt-controller@1000/);
  const g = at('board.dts', '&gpio0', 2);
  const hg = (f.hover(file('board.dts'), g.line, g.character)!.contents as { value: string }).value;
  // gpio0 is referenced, so the compiler gave it a phandle.
  assert.match(hg, /phandle: \d+ \(0x[0-9a-f]+\)/);
  const prop = at('board.dts', 'gpio = ', 1);
  const hp = (f.hover(file('board.dts'), prop.line, prop.character)!.contents as { value: string }).value;
  assert.match(hp, /`&gpio0` = phandle \d+ → \/soc@10000000\/gpio@a000/);
});

test('completion: labels after &, standard properties and generic node names in a node, status values', () => {
  const text = readFileSync(file('board.dts'), 'latin1').replace('\tstatus = "okay";', '\tstatus = "ok";\n\tclocks = <&g>;\n\tinterr');
  const f = features({ 'board.dts': text });
  const lines = text.split('\n');
  const ln = (s: string) => lines.findIndex((l) => l.includes(s));
  const labels = f.completion(file('board.dts'), ln('clocks = <&g'), lines[ln('clocks = <&g')].indexOf('&g') + 2).map((c) => c.label);
  assert.deepEqual(labels.sort(), ['gic', 'gpio0', 'soc', 'uart0']);
  const props = f.completion(file('board.dts'), ln('\tinterr'), 7).map((c) => c.label);
  for (const want of ['interrupts', 'interrupt-parent', 'compatible', 'reg', 'status', 'serial', 'interrupt-controller']) assert.ok(props.includes(want), want);
  const status = f.completion(file('board.dts'), ln('status = "ok'), lines[ln('status = "ok')].indexOf('ok') + 2).map((c) => c.label);
  assert.deepEqual(status, ['okay', 'disabled', 'reserved', 'fail']);
});

test('diagnostics follow unsaved edits as the user types (an undefined reference appears, then goes)', () => {
  const orig = readFileSync(file('board.dts'), 'latin1');
  const f = features({ 'board.dts': orig.replace('<&gpio0 3 0>', '<&gpio7 3 0>') });
  const d = f.diagnostics(file('board.dts')).find((x) => x.code === 'phandle_references');
  assert.ok(d, 'phandle_references reported');
  assert.match(String(d.message), /"gpio7"/);
  f.ws.setOpen(file('board.dts'), orig);
  assert.equal(f.diagnostics(file('board.dts')).filter((x) => x.code === 'phandle_references').length, 0);
});
