// A real VS Code for end-to-end tests: code-server (VS Code 1.100.3's workbench and extension host) with the
// packaged .vsix installed, served on 127.0.0.1 only, driven in Debian's Chromium through playwright-core the
// way a user drives it (command palette, clicks, typing). Screenshots go to test-output/e2e/.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCodeServer } from './code-server-process';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ensureCodeServer } from './code-server-install';

export const repo = join(__dirname, '..', '..');
export const outputDir = join(repo, 'test-output', 'e2e');
export const CHROMIUM = process.env.XENARM_CHROMIUM ?? '/usr/bin/chromium';

/** Packages the extension from the current dist/ with vsce (what `npm run package` does after the build). */
export function packageVsix(dir: string): string {
  const out = join(dir, 'xenarm.vsix');
  const vsce = join(repo, 'node_modules', '@vscode', 'vsce', 'vsce');
  const r = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '-o', out], { cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.status !== 0) throw new Error(`vsce package failed:\n${r.stdout}\n${r.stderr}`);
  return out;
}

export interface VsCode {
  page: Page;
  workspace: string;
  logs: () => string;
  close(): Promise<void>;
}

export class InstallError extends Error {}

export async function startVsCode(log: (s: string) => void): Promise<VsCode> {
  let entry: string;
  try {
    entry = ensureCodeServer(log);
  } catch (e) {
    throw new InstallError((e as Error).message);
  }
  const root = mkdtempSync(join(tmpdir(), 'xenarm-e2e-'));
  const userData = join(root, 'user-data');
  const extDir = join(root, 'extensions');
  const workspace = join(root, 'sample');
  mkdirSync(join(userData, 'User'), { recursive: true });
  writeFileSync(join(userData, 'User', 'settings.json'), JSON.stringify({
    'security.workspace.trust.enabled': false,
    'workbench.startupEditor': 'none',
    'terminal.integrated.gpuAcceleration': 'off',
    'workbench.tips.enabled': false,
    'extensions.ignoreRecommendations': true,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'editor.hover.delay': 100,
  }));
  cpSync(join(repo, 'sample'), workspace, { recursive: true });
  const vsix = packageVsix(root);
  const inst = spawnSync(process.execPath, [entry, '--user-data-dir', userData, '--extensions-dir', extDir, '--install-extension', vsix], { encoding: 'utf8' });
  if (inst.status !== 0 || !/successfully installed/i.test(inst.stdout + inst.stderr)) throw new Error(`installing the .vsix into code-server failed:\n${inst.stdout}\n${inst.stderr}`);
  const server = await startCodeServer(entry, userData, extDir);
  const { port } = server;
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
    });
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`, { waitUntil: 'domcontentloaded', timeout: 120000 });
    await page.waitForSelector('.monaco-workbench', { timeout: 120000 });
    mkdirSync(outputDir, { recursive: true });
    const b = browser;
    return {
      page,
      workspace,
      logs: server.logs,
      close: async () => {
        await b.close().catch(() => {});
        server.stop();
        rmSync(root, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await browser?.close().catch(() => {});
    server.stop();
    throw e;
  }
}

/**
 * Runs a command from the palette by its title, as a user types it. Right after start-up the extension host
 * may not have registered every command yet, so the palette is reopened until the command is listed.
 */
export async function runCommand(page: Page, title: string, timeoutMs = 60000): Promise<void> {
  const t0 = Date.now();
  for (;;) {
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: 10000 });
    await input.fill(`>${title}`);
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
    try {
      await row.waitFor({ state: 'visible', timeout: 4000 });
      await row.click();
      return;
    } catch (e) {
      await page.keyboard.press('Escape');
      if (Date.now() - t0 > timeoutMs) throw e;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

/** Opens a workspace file by clicking through the Explorer, as a user does (`dts/board.dts`). */
export async function openFile(page: Page, relPath: string): Promise<void> {
  await runCommand(page, 'View: Show Explorer');
  const parts = relPath.split('/');
  for (let i = 0; i < parts.length; i++) {
    const item = page.locator('.explorer-folders-view').getByRole('treeitem', { name: parts[i], exact: true });
    await item.waitFor({ state: 'visible', timeout: 15000 });
    const expanded = await item.getAttribute('aria-expanded');
    if (i < parts.length - 1 && expanded === 'true') continue;
    await item.click();
  }
  await page.locator('.tab.active', { hasText: parts[parts.length - 1] }).waitFor({ timeout: 15000 });
}

export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(outputDir, `${name}.png`) });
}

/** The text of every webview frame (webviews are nested iframes). */
export async function webviewText(page: Page): Promise<string> {
  const texts: string[] = [];
  for (const f of page.frames()) {
    try {
      texts.push(await f.evaluate(() => (globalThis as unknown as { document?: { body?: { innerText: string } } }).document?.body?.innerText ?? ''));
    } catch {
      /* frame navigated away */
    }
  }
  return texts.join('\n');
}

/** The text of the one webview frame whose text matches `pattern` (several webviews may be open). */
export async function webviewFrameText(page: Page, pattern: RegExp): Promise<string | undefined> {
  for (const f of page.frames()) {
    try {
      const s = await f.evaluate(() => (globalThis as unknown as { document?: { body?: { innerText: string } } }).document?.body?.innerText ?? '');
      if (pattern.test(s)) return s;
    } catch {
      /* frame navigated away */
    }
  }
  return undefined;
}

export async function waitFor<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 30000): Promise<T> {
  const t0 = Date.now();
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM);
}

/**
 * Accepts VS Code's save dialog (in code-server the workbench's own path picker, a quick input prefilled with
 * the command's default path) after checking it proposes `fileName`.
 */
export async function acceptSaveDialog(page: Page, fileName: string): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 15000 });
  await waitFor(`the save dialog to propose ${fileName}`, async () => (await input.inputValue()).endsWith(fileName), 10000);
  await page.keyboard.press('Enter');
}

export interface ActivationTimes {
  /** xenarm's activation as the extension host reports it (code loading + activate()), in ms. */
  ms: number;
  row: string;
  /** Every activated extension's row, measured the same way in the same host. */
  others: string[];
}

/** Opens "Developer: Show Running Extensions" and reads the activation time the extension host reports. */
export async function activationTimes(page: Page): Promise<ActivationTimes> {
  await runCommand(page, 'Developer: Show Running Extensions');
  const list = page.locator('.runtime-extensions-editor');
  const row = list.locator('.monaco-list-row', { hasText: 'xenarm' }).first();
  const text = await waitFor('the xenarm row with its activation time', async () => {
    // The list is virtual: a row below the visible part is not in the page until it is scrolled to.
    if ((await row.count()) === 0) {
      if (await list.isVisible()) { await list.hover(); await page.mouse.wheel(0, 200); }
      return false;
    }
    const s = await row.innerText({ timeout: 2000 });
    return /Activation: ?\d+ ?ms/i.test(s) && s;
  }, 30000);
  const others = (await page.locator('.runtime-extensions-editor .monaco-list-row').allInnerTexts()).map((r) => r.replace(/\s+/g, ' ').trim());
  return { ms: Number(/Activation: ?(\d+) ?ms/i.exec(text)![1]), row: text, others };
}

/**
 * Waits for the start-up activations (Git, GitHub, Emmet...) to finish: extensions activated together share the
 * extension host, and each one's reported activation time then includes the others' loading.
 */
export async function settleStartup(): Promise<void> {
  await new Promise((r) => setTimeout(r, 10000));
}
