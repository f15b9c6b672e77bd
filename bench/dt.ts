// Device-tree benchmark: Debian's dtc and xenarm in the same run, on the largest Linux board files
// (preprocessed once by cpp, then compiled and decompiled as whole processes: `dtc` vs `node
// dist/cli.js dtc`; and the whole job a user runs on a raw board file with includes: `cpp | dtc` vs
// xenarm's built-in preprocessor) and on a generated tree of 20,000 nodes (in-process compile, DTB
// write, DTB read, DTS print). Also the floor: Node's own bare start-up against dtc's whole run.
// Prints the times (best of N) and the ratios. `npm run bench:dt` builds dist/ first.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { compileDts, dtbToTree, treeToDtb, treeToDts } from '../src/devicetree/index';

const REPEAT = Number(process.env.XENARM_BENCH_REPEAT ?? 5);
const cache = resolve(process.env.XENARM_CACHE ?? join(homedir(), '.cache', 'xenarm'));
const linux = join(cache, 'linux-dts');
const cli = resolve(import.meta.dirname, '..', 'dist', 'cli.js');
const work = mkdtempSync(join(tmpdir(), 'xenarm-bench-dt-'));

function best(f: () => void): number {
  let b = Infinity;
  for (let i = 0; i < REPEAT; i++) {
    const t0 = performance.now();
    f();
    b = Math.min(b, performance.now() - t0);
  }
  return b;
}

function run(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
}

/** Single-quoted for sh. */
const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

const rows: string[][] = [['case', 'dtc ms', 'xenarm ms', 'xenarm / dtc']];
const row = (name: string, dtc: number | undefined, ours: number): void => {
  const r = [name, dtc === undefined ? '—' : dtc.toFixed(1), ours.toFixed(1), dtc === undefined ? '—' : (ours / dtc).toFixed(2) + '×'];
  rows.push(r);
  process.stderr.write(`bench:dt: ${r.join(' | ')}\n`);
};

// 1. The largest Linux board files, whole process.
if (!existsSync(join(linux, 'VERSION'))) {
  process.stderr.write(`bench:dt: no Linux corpus in ${linux} (npm run fetch:linux-dts): skipping the board files\n`);
} else if (!existsSync(cli)) {
  process.stderr.write('bench:dt: dist/cli.js missing (npm run build): skipping the board files\n');
} else {
  const prefixes = join(linux, 'scripts', 'dtc', 'include-prefixes');
  const dir = join(linux, 'arch', 'arm', 'boot', 'dts');
  // The largest ARM boards of Linux 6.1 after preprocessing (measured over all 1,516 files);
  // XENARM_BENCH_SCAN=1 measures them again.
  const candidates = process.env.XENARM_BENCH_SCAN ? readdirSync(dir) : ['am572x-idk.dts', 'am57xx-beagle-x15-revb1.dts', 'am57xx-beagle-x15.dts', 'vexpress-v2p-ca15-tc1.dts'];
  const sized: [string, number][] = [];
  for (const f of candidates) {
    if (!f.endsWith('.dts')) continue;
    const pp = spawnSync('cpp', ['-nostdinc', '-I', prefixes, '-I', dir, '-undef', '-D__DTS__', '-x', 'assembler-with-cpp', join(dir, f)], { maxBuffer: 1 << 28 });
    if (pp.status === 0) {
      const out = join(work, f);
      writeFileSync(out, pp.stdout);
      sized.push([f, pp.stdout.length]);
    }
  }
  sized.sort((a, b) => b[1] - a[1]);
  for (const [f, size] of sized.slice(0, 3)) {
    const src = join(work, f);
    const dtb = join(work, f + '.dtb');
    const args = ['-I', 'dts', '-O', 'dtb', '-q', '-o', dtb, src];
    const d1 = best(() => run('dtc', args));
    const o1 = best(() => run(process.execPath, [cli, 'dtc', ...args]));
    row(`${f} (${(size / 1024).toFixed(0)} KiB preprocessed) dts→dtb`, d1, o1);
    const back = ['-I', 'dtb', '-O', 'dts', '-q', '-o', join(work, f + '.out.dts'), dtb];
    const d2 = best(() => run('dtc', back));
    const o2 = best(() => run(process.execPath, [cli, 'dtc', ...back]));
    row(`${f} dtb→dts`, d2, o2);
    // In-process (what the language server pays per edit).
    const text = readFileSync(src, 'latin1');
    const o3 = best(() => compileDts(text, { file: src, preprocess: false }));
    row(`${f} in-process compileDts`, undefined, o3);
    // The whole job from the raw board file: the kernel's cpp line piped into dtc, against xenarm's
    // built-in preprocessor in the same process as the compiler. The blobs must be identical.
    const raw = join(dir, f);
    const cppLine = ['cpp', '-nostdinc', '-I', dir, '-I', prefixes, '-undef', '-D__DTS__', '-x', 'assembler-with-cpp', raw].map(q).join(' ');
    const rawDtc = join(work, f + '.raw-dtc.dtb');
    const rawOurs = join(work, f + '.raw-xenarm.dtb');
    const d4 = best(() => run('sh', ['-c', `${cppLine} | dtc -I dts -O dtb -q -o ${q(rawDtc)} -`]));
    const o4 = best(() => run(process.execPath, [cli, 'dtc', '-I', 'dts', '-O', 'dtb', '-q', '-i', dir, '-i', prefixes, '-o', rawOurs, raw]));
    const rawSame = Buffer.from(readFileSync(rawDtc)).equals(readFileSync(rawOurs));
    row(`${f} raw with includes: cpp | dtc vs built-in preprocessor${rawSame ? '' : ' (BLOBS DIFFER)'}`, d4, o4);
  }
  const startup = best(() => run(process.execPath, [cli, 'dtc', '--version']));
  row('node start-up of dist/cli.js dtc --version (included above)', undefined, startup);
  // The floor: Node itself, doing nothing, against dtc's whole run on the largest board.
  const bare = best(() => run(process.execPath, ['-e', '0']));
  if (sized.length) {
    const dtcWhole = best(() => run('dtc', ['-I', 'dts', '-O', 'dtb', '-q', '-o', join(work, 'floor.dtb'), join(work, sized[0]![0])]));
    row(`floor: bare \`node -e 0\` vs dtc's whole ${sized[0]![0]} dts→dtb`, dtcWhole, bare);
  } else row('floor: bare `node -e 0`', undefined, bare);
  void statSync;
}

// 2. A generated tree of 20,000 nodes: 20 buses of ~1,000 devices with labels, references, strings and
// cells. (One bus of 20,000 children would exceed dtc's parser stack, and xenarm's, which counts it the
// same way: bison's 10,000 entries hold at most 9,988 children of the root, since dtc's grammar keeps
// every pending sibling on the stack; see test/devicetree/parser-stack.test.ts.)
const N = 20000;
const BUSES = 20;
let src = '/dts-v1/;\n/ {\n\t#address-cells = <1>;\n\t#size-cells = <1>;\n\tcompatible = "bench,gen";\n\tintc: interrupt-controller@0 {\n\t\tcompatible = "arm,gic-400";\n\t\treg = <0x0 0x1000>;\n\t\tinterrupt-controller;\n\t\t#interrupt-cells = <3>;\n\t\t#address-cells = <0>;\n\t};\n';
const perBus = Math.floor((N - 2 - BUSES) / BUSES);
for (let b = 0; b < BUSES; b++) {
  src += `\tbus${b}: bus@${(0x1000000 * (b + 1)).toString(16)} {\n\t\tcompatible = "simple-bus";\n\t\t#address-cells = <1>;\n\t\t#size-cells = <1>;\n\t\tranges = <0x0 0x${(0x1000000 * (b + 1)).toString(16)} 0x1000000>;\n\t\tinterrupt-parent = <&intc>;\n`;
  for (let i = 0; i < perBus; i++) {
    const a = (0x1000 + i * 0x100).toString(16);
    const id = b * perBus + i;
    src += `\t\tdev${id}: device@${a} {\n\t\t\tcompatible = "bench,dev${id % 50}", "bench,dev";\n\t\t\treg = <0x${a} 0x100>;\n\t\t\tinterrupts = <0 ${id % 900} 4>;\n\t\t\tstatus = "okay";\n${i > 0 ? `\t\t\tpeer = <&dev${id - 1}>;\n` : ''}\t\t};\n`;
  }
  src += '\t};\n';
}
src += '};\n';
const genFile = join(work, 'gen20000.dts');
writeFileSync(genFile, src);
let tree = compileDts(src, { file: genFile, preprocess: false }).tree!;
const c = best(() => {
  tree = compileDts(src, { file: genFile, preprocess: false }).tree!;
});
row(`generated ${N} nodes: compileDts (in-process)`, undefined, c);
let blob = treeToDtb(tree);
row(`generated ${N} nodes: treeToDtb`, undefined, best(() => { blob = treeToDtb(tree); }));
row(`generated ${N} nodes: dtbToTree`, undefined, best(() => { dtbToTree(blob); }));
row(`generated ${N} nodes: treeToDts`, undefined, best(() => { treeToDts(tree); }));
// Separate outputs: dtc's blob is compared with both of ours (in-process and the CLI's).
const genDtb = join(work, 'gen-dtc.dtb');
const oursDtb = join(work, 'gen-xenarm.dtb');
const dGen = best(() => run('dtc', ['-I', 'dts', '-O', 'dtb', '-q', '-o', genDtb, genFile]));
let same = Buffer.from(readFileSync(genDtb)).equals(Buffer.from(blob));
if (existsSync(cli)) {
  row(`generated ${N} nodes: whole process dts→dtb`, dGen, best(() => run(process.execPath, [cli, 'dtc', '-I', 'dts', '-O', 'dtb', '-q', '-o', oursDtb, genFile])));
  same &&= Buffer.from(readFileSync(genDtb)).equals(readFileSync(oursDtb));
}

const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
for (const r of rows) process.stdout.write('| ' + r.map((c2, i) => c2.padEnd(widths[i]!)).join(' | ') + ' |\n');
process.stdout.write(`\nbest of ${REPEAT}; generated tree's DTB identical to dtc's: ${same}\n`);
