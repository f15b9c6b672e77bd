// npm run test:vscode: the extension-host suite (suite.ts) in a VS Code that @vscode/test-electron downloads
// (1.100.3, the version the e2e's code-server carries), with this repository as the extension under
// development and a copy of sample/ as the workspace. Needs network access to update.code.visualstudio.com
// the first time (cached in ~/.cache/xenarm/vscode-test) and a display (xvfb-run on a headless machine).
// Not part of npm test: CI here cannot download VS Code; test/e2e runs the same checks in code-server.
import { build } from 'esbuild';
import { downloadAndUnzipVSCode, runTests } from '@vscode/test-electron';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const VSCODE_VERSION = '1.100.3';
const repo = resolve(__dirname, '..', '..');
const cache = join(process.env.XENARM_CACHE ?? join(homedir(), '.cache', 'xenarm'), 'vscode-test');

function fail(line: string): never {
  console.error(`test:vscode: ${line}`);
  process.exit(1);
}

async function main(): Promise<void> {
  if (!existsSync(join(repo, 'dist', 'extension.js')) || !existsSync(join(repo, 'dist', 'cli.js'))) fail('dist/ is not built: run npm run build first');

  // The suite runs in VS Code's extension host, which loads plain JavaScript: bundle it (vscode stays external).
  const outDir = join(repo, '.cache', 'vscode-electron');
  mkdirSync(outDir, { recursive: true });
  const suite = join(outDir, 'suite.js');
  await build({ entryPoints: [join(__dirname, 'suite.ts')], outfile: suite, bundle: true, platform: 'node', target: 'node20', format: 'cjs', external: ['vscode'], sourcemap: 'inline', logLevel: 'warning' });

  let executable: string;
  try {
    executable = await downloadAndUnzipVSCode({ version: VSCODE_VERSION, cachePath: cache, timeout: 20000 });
  } catch (e) {
    fail(`cannot download VS Code ${VSCODE_VERSION} (${String((e as Error).message ?? e).split('\n')[0]}); this suite needs network access to update.code.visualstudio.com, the same suite runs in code-server's extension host in npm run test:e2e (test/vscode-electron/in-code-server.ts)`);
  }

  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) fail('no display for VS Code\'s window: run under xvfb-run (Debian: xvfb)');

  const root = mkdtempSync(join(tmpdir(), 'xenarm-test-electron-'));
  const workspace = join(root, 'sample');
  cpSync(join(repo, 'sample'), workspace, { recursive: true });
  try {
    const code = await runTests({
      vscodeExecutablePath: executable,
      extensionDevelopmentPath: repo,
      extensionTestsPath: suite,
      extensionTestsEnv: { XENARM_REPO: repo },
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes', '--user-data-dir', join(root, 'user-data'), '--extensions-dir', join(root, 'extensions')],
    });
    if (code !== 0) fail(`the extension-host suite failed (exit ${code})`);
  } catch (e) {
    fail(`the extension-host suite failed: ${(e as Error).message ?? e}`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

void main();
