// Runs the extension-host suite (suite.ts) where no VS Code can be downloaded: in code-server's remote
// extension host (VS Code 1.100.3, the same one the e2e drives), with this repository as the extension under
// development. The browser workbench takes both paths from its `payload` URL parameter, as VS Code's own web
// test runner passes them; Chromium only hosts the workbench. The suite writes its report to
// suite-report.txt beside the workspace; this script prints it and exits 0 only if every check passed.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { startCodeServer } from '../e2e/code-server-process';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { ensureCodeServer } from '../e2e/code-server-install';

const repo = resolve(__dirname, '..', '..');
const CHROMIUM = process.env.XENARM_CHROMIUM ?? '/usr/bin/chromium';

/** Bundles suite.ts for the extension host (plain JavaScript, vscode external); returns the bundle's path. */
export async function bundleSuite(): Promise<string> {
  const outDir = join(repo, '.cache', 'vscode-electron');
  mkdirSync(outDir, { recursive: true });
  const suite = join(outDir, 'suite.js');
  await build({ entryPoints: [join(__dirname, 'suite.ts')], outfile: suite, bundle: true, platform: 'node', target: 'node20', format: 'cjs', external: ['vscode'], sourcemap: 'inline', logLevel: 'warning' });
  return suite;
}

/** Runs the suite in code-server; resolves to the report (TAP-like lines). Throws if it does not finish. */
export async function runSuiteInCodeServer(log: (s: string) => void, timeoutMs = 600000): Promise<string> {
  const entry = ensureCodeServer(log);
  const suite = await bundleSuite();
  const root = mkdtempSync(join(tmpdir(), 'xenarm-cs-suite-'));
  const workspace = join(root, 'sample');
  const userData = join(root, 'user-data');
  cpSync(join(repo, 'sample'), workspace, { recursive: true });
  mkdirSync(join(userData, 'User'), { recursive: true });
  writeFileSync(join(userData, 'User', 'settings.json'), JSON.stringify({ 'security.workspace.trust.enabled': false, 'workbench.startupEditor': 'none', 'telemetry.telemetryLevel': 'off', 'update.mode': 'none' }));
  const report = join(root, 'suite-report.txt');
  const t0 = Date.now();
  const server = await startCodeServer(entry, userData, join(root, 'extensions'));
  const { port } = server;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'] });
  try {
    const remote = (p: string) => `vscode-remote://127.0.0.1:${port}${p}`;
    const payload = JSON.stringify([
      ['extensionDevelopmentPath', remote(repo)],
      ['extensionTestsPath', remote(suite)],
    ]);
    const page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(payload)}`, { waitUntil: 'domcontentloaded', timeout: 120000 });
    while (!(existsSync(report) && /^1\.\.\d+$/m.test(readFileSync(report, 'utf8')))) {
      if (Date.now() - t0 > timeoutMs) throw new Error(`the suite did not finish in ${timeoutMs / 1000} s; report so far:\n${existsSync(report) ? readFileSync(report, 'utf8') : '(none)'}\ncode-server:\n${server.logs().slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 500));
    }
    return readFileSync(report, 'utf8');
  } finally {
    await browser.close().catch(() => {});
    server.stop();
    rmSync(root, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}` || require.main === module) {
  runSuiteInCodeServer((s) => console.log(s)).then(
    (r) => {
      console.log(r.trimEnd());
      process.exit(/^not ok/m.test(r) ? 1 : 0);
    },
    (e) => {
      console.error(`in-code-server: ${(e as Error).message}`);
      process.exit(1);
    },
  );
}
