// Benchmarks of the VS Code front end (npm run bench:vscode):
// 1. activation: loading dist/extension.js and running activate(), in Node with a recording stand-in for the
//    `vscode` module (VS Code's own extension-host overhead is not included); and in a real VS Code
//    (code-server + Chromium), as its extension host reports it. Goal: < 200 ms.
// 2. language server: time from an edit (textDocument/didChange) to the published diagnostics for the largest
//    Linux ARM board file (by preprocessed size), over stdio against dist/dts-server.js, the 50 ms
//    debounce included; the same file through Debian's cpp + dtc in the same run as the reference.
//    Goal: < 500 ms. Needs the Linux DTS corpus: npm run fetch:linux-dts.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { cpus, homedir, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspProcess } from '../test/vscode/support/lsp-stdio';

const repo = resolve(__dirname, '..');

/**
 * Runs in a fresh plain Node process (no tsx hooks): a stand-in for the vscode module whose every member is a
 * callable, constructible, chainable no-op (the bundle's CommonJS interop copies the module's own keys, so the
 * members the bundle names are listed as own keys), then times require(dist/extension.js) + activate().
 */
const PROBE = `
const Module = require('node:module');
const fs = require('node:fs');
const ext = process.argv[1];
const names = [...new Set([...fs.readFileSync(ext, 'utf8').matchAll(/\\bvscode\\w*\\.([A-Za-z_]\\w*)/g)].map((m) => m[1]))].filter((n) => n !== 'prototype');
const target = function () {};
const proxy = new Proxy(target, {
  get: (_t, p) => (p === 'then' ? undefined : p === Symbol.toPrimitive ? () => '' : p === 'prototype' ? target.prototype : proxy),
  apply: () => proxy,
  construct: () => proxy,
  ownKeys: () => [...new Set([...Reflect.ownKeys(target), ...names])],
  getOwnPropertyDescriptor: (_t, p) => (Reflect.getOwnPropertyDescriptor(target, p) && !Reflect.getOwnPropertyDescriptor(target, p).configurable ? Reflect.getOwnPropertyDescriptor(target, p) : { configurable: true, enumerable: true, writable: true, value: proxy }),
});
const load = Module._load;
Module._load = function (request, ...rest) { return request === 'vscode' ? proxy : load.call(this, request, ...rest); };
const t0 = performance.now();
const mod = require(ext);
const t1 = performance.now();
mod.activate({ subscriptions: [], extensionUri: proxy, extensionPath: process.cwd() });
const t2 = performance.now();
// What the first open .dts costs just after activation: loading the language client bundle.
require(require('node:path').join(require('node:path').dirname(ext), 'extension-lsp.js'));
const t3 = performance.now();
process.stdout.write(JSON.stringify({ load: t1 - t0, activate: t2 - t1, lspClient: t3 - t2 }));
`;

function activation(): { load: number; activate: number; lspClient: number }[] {
  const ext = join(repo, 'dist', 'extension.js');
  const out: { load: number; activate: number; lspClient: number }[] = [];
  for (let i = 0; i < 5; i++) {
    const r = spawnSync(process.execPath, ['-e', PROBE, ext], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`activation probe failed: ${r.stderr}`);
    out.push(JSON.parse(r.stdout));
  }
  return out;
}

function corpus(): string | undefined {
  const dir = join(resolve(process.env.XENARM_CACHE ?? join(homedir(), '.cache', 'xenarm')), 'linux-dts');
  return existsSync(join(dir, 'arch', 'arm', 'boot', 'dts')) ? dir : undefined;
}

function armBoardFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else if (n.endsWith('.dts')) out.push(p);
    }
  };
  walk(join(root, 'arch', 'arm', 'boot', 'dts'));
  return out;
}

function includeDirs(root: string, file: string): string[] {
  return [join(file, '..'), join(root, 'scripts', 'dtc', 'include-prefixes'), join(root, 'include'), join(root, 'arch', 'arm', 'boot', 'dts')];
}

function preprocess(root: string, file: string): string {
  const inc = includeDirs(root, file).flatMap((d) => ['-I', d]);
  const pre = spawnSync('cpp', ['-nostdinc', ...inc, '-undef', '-D__DTS__', '-x', 'assembler-with-cpp', file], { encoding: 'utf8', maxBuffer: 64 << 20 });
  return pre.status === 0 ? pre.stdout : '';
}

function cppDtc(root: string, file: string): { ms: number; pre: string } {
  const inc = includeDirs(root, file).flatMap((d) => ['-I', d]);
  const t0 = performance.now();
  const pre = spawnSync('cpp', ['-nostdinc', ...inc, '-undef', '-D__DTS__', '-x', 'assembler-with-cpp', file], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const dtc = spawnSync('dtc', ['-q', '-I', 'dts', '-O', 'dtb', '-o', '/dev/null', ...includeDirs(root, file).flatMap((d) => ['-i', d]), '-'], { input: pre.stdout, maxBuffer: 64 << 20 });
  const ms = performance.now() - t0;
  if (pre.status !== 0 || dtc.status === null) return { ms: NaN, pre: '' };
  return { ms, pre: pre.stdout };
}

const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];

async function lspLatency(root: string, file: string): Promise<{ open: number; edits: number[] }> {
  const lsp = new LspProcess(join(repo, 'dist', 'dts-server.js'), { includePaths: includeDirs(root, file).slice(1) });
  try {
    await lsp.initialize(pathToFileURL(root).toString());
    const uri = pathToFileURL(file).toString();
    const text = readFileSync(file, 'latin1');
    const diag = () => lsp.next((m) => m.method === 'textDocument/publishDiagnostics' && m.params.uri === uri, 60000);
    let t0 = performance.now();
    let p = diag();
    lsp.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'dts', version: 1, text } });
    await p;
    const open = performance.now() - t0;
    const edits: number[] = [];
    const lines = text.split('\n');
    const at = lines.length - 1;
    for (let i = 0; i < 8; i++) {
      t0 = performance.now();
      p = diag();
      // Alternately add and remove a comment at the end: each edit is a real change of the text.
      const change = i % 2 === 0 ? { range: { start: { line: at, character: 0 }, end: { line: at, character: 0 } }, text: '/* edit */' } : { range: { start: { line: at, character: 0 }, end: { line: at, character: 10 } }, text: '' };
      lsp.notify('textDocument/didChange', { textDocument: { uri, version: i + 2 }, contentChanges: [change] });
      await p;
      edits.push(performance.now() - t0);
    }
    return { open, edits };
  } finally {
    await lsp.close();
  }
}

/**
 * Activation in a real VS Code: code-server 4.100.3 (VS Code 1.100.3) with the packaged .vsix, a .dts opened from
 * the Explorer once the start-up activations are over, and the time its extension host reports in "Show Running
 * Extensions" (code loading + activate()). A fresh VS Code for each run. Needs code-server (cached by the e2e)
 * and Chromium; XENARM_BENCH_VSCODE_RUNS runs (default 3).
 */
async function realVsCodeActivation(): Promise<void> {
  const h = await import('../test/e2e/harness');
  if (!h.chromiumAvailable()) {
    console.log(`activation in real VS Code: not measured (no Chromium at ${h.CHROMIUM})`);
    return;
  }
  const runs = Number(process.env.XENARM_BENCH_VSCODE_RUNS ?? 3);
  const ms: number[] = [];
  let others: string[] = [];
  for (let i = 0; i < runs; i++) {
    let vs: Awaited<ReturnType<typeof h.startVsCode>>;
    try {
      vs = await h.startVsCode(() => {});
    } catch (e) {
      console.log(`activation in real VS Code: not measured (${(e as Error).message.split('\n')[0]})`);
      return;
    }
    try {
      await h.settleStartup();
      await h.openFile(vs.page, 'dts/board.dts');
      const a = await h.activationTimes(vs.page);
      ms.push(a.ms);
      others = a.others.filter((o) => !/^xenarm /.test(o));
    } finally {
      await vs.close();
    }
  }
  console.log(`activation in real VS Code 1.100.3 (code-server 4.100.3, Show Running Extensions, .dts opened): ${ms.map((m) => `${m} ms`).join(', ')}; median ${median(ms)} ms; goal < 200 ms`);
  console.log(`  other extensions in the last run's host, for scale: ${others.join('; ')}`);
}

async function main(): Promise<void> {
  if (!existsSync(join(repo, 'dist', 'extension.js'))) throw new Error('dist/extension.js missing: npm run build');
  const act = activation();
  const tot = act.map((a) => a.load + a.activate);
  const fastest = act[tot.indexOf(Math.min(...tot))];
  console.log(`activation in a fresh Node process (vscode API stubbed), best of ${act.length}: ${(fastest.load + fastest.activate).toFixed(1)} ms = load ${fastest.load.toFixed(1)} ms + activate() ${fastest.activate.toFixed(1)} ms; median ${median(tot).toFixed(1)} ms; goal < 200 ms`);
  console.log(`language client bundle loaded just after activation when a .dts is open: median ${median(act.map((a) => a.lspClient)).toFixed(1)} ms`);
  await realVsCodeActivation();
  console.log(`(load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} cores: figures are pessimistic when the machine is shared)`);
  const root = corpus();
  if (!root) {
    console.log('language server: the Linux DTS corpus is missing (npm run fetch:linux-dts); latency not measured');
    return;
  }
  // The largest board file: the one whose preprocessed source is biggest (every board file is preprocessed:
  // a small .dts can include the most; XENARM_BENCH_DTS names one to skip the scan).
  let best: { file: string; size: number } | undefined;
  const chosen = process.env.XENARM_BENCH_DTS;
  for (const f of chosen ? [resolve(root, chosen)] : armBoardFiles(root)) {
    const size = preprocess(root, f).length;
    if (size > (best?.size ?? 0)) best = { file: f, size };
  }
  if (!best) throw new Error('no board file preprocessed');
  const ref = [0, 1, 2].map(() => cppDtc(root, best!.file).ms);
  const l = await lspLatency(root, best.file);
  const rel = best.file.slice(root.length + 1);
  console.log(`largest ARM board file: ${rel} (${(best.size / 1024).toFixed(0)} KiB preprocessed)`);
  console.log(`cpp + dtc (Debian, same run): ${median(ref).toFixed(0)} ms`);
  console.log(`language server: diagnostics ${l.open.toFixed(0)} ms after open; after an edit median ${median(l.edits).toFixed(0)} ms, max ${Math.max(...l.edits).toFixed(0)} ms (50 ms debounce included); goal < 500 ms`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
