// xenarm's VS Code extension: the debug adapter (dist/adapter.js, declared in package.json), the guest's PV
// console tab, the generated device tree, boot state and hypercall views, the DTS language server client,
// the DTS preview, the .dtb viewer and compile/decompile commands. Activation only registers things; the
// language server starts when a dts document is open.
import * as vscode from 'vscode';
import { join } from 'node:path';
import type { LanguageClient } from 'vscode-languageclient/node';
import { SessionHub } from './session-hub';
import { HypercallView } from './hypercalls/hypercall-view';
import { breakChoices } from './hypercalls/trace-model';
import { BootView } from './boot/boot-view';
import { GeneratedTree, DT_SCHEME } from './devicetree/dt-view';
import { PreviewManager } from './preview/preview-panel';
import { DtbEditorProvider, DTB_VIEW_TYPE } from './dtb-editor';
import { compileCommand, decompileCommand } from './dts-commands';
import { openMemoryAt } from './memory';
import type { ExtDtLib } from './dtlib-types';

// The language client and the device-tree library are most of the code: scripts/build.mjs bundles them
// separately (dist/extension-lsp.js, dist/extension-dtlib.js) and they are loaded on first use, so activation
// only loads this small bundle. The computed path keeps esbuild from inlining them here.
function lazyBundle<T>(name: string): T {
  return require(join(__dirname, name)) as T;
}

function dtLib(): ExtDtLib {
  return lazyBundle<typeof import('./dtlib')>('extension-dtlib.js').dtLib();
}

let client: LanguageClient | undefined;

export function activate(ctx: vscode.ExtensionContext): { hub: SessionHub } {
  const output = vscode.window.createOutputChannel('xenarm');
  const hub = new SessionHub(output);
  const tree = new GeneratedTree(hub, dtLib);
  const previews = new PreviewManager(ctx.extensionUri, dtLib);
  const reg = (id: string, fn: (...args: any[]) => unknown) => ctx.subscriptions.push(vscode.commands.registerCommand(id, fn));

  ctx.subscriptions.push(
    output,
    hub,
    previews,
    vscode.window.registerTreeDataProvider('xenarm.hypercalls', new HypercallView(hub)),
    vscode.window.registerTreeDataProvider('xenarm.bootState', new BootView(hub)),
    vscode.window.registerTreeDataProvider('xenarm.deviceTree', tree),
    vscode.workspace.registerTextDocumentContentProvider(DT_SCHEME, tree),
    vscode.window.registerCustomEditorProvider(DTB_VIEW_TYPE, new DtbEditorProvider(ctx.extensionUri, dtLib), { supportsMultipleEditorsPerDocument: true }),
  );

  reg('xenarm.openConsole', () => hub.showConsole());
  reg('xenarm.saveConsoleLog', async () => {
    const c = hub.console;
    if (!c) return void vscode.window.showInformationMessage('No guest console output yet.');
    const uri = await vscode.window.showSaveDialog({ filters: { 'Log files': ['log', 'txt'] }, defaultUri: vscode.Uri.joinPath(vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(process.cwd()), 'guest-console.log') });
    if (!uri) return;
    await vscode.workspace.fs.writeFile(uri, Buffer.from(c.buffer.text(), 'utf8'));
    void vscode.window.showInformationMessage(`Saved ${c.buffer.length} characters of guest console output to ${uri.fsPath}`);
  });
  reg('xenarm.openGeneratedDeviceTree', () => tree.open());
  reg('xenarm.saveGeneratedDtb', () => tree.saveDtb());
  reg('xenarm.refreshDeviceTree', () => tree.refresh());
  reg('xenarm.revealDeviceTreeNode', (path: string) => tree.reveal(path));
  reg('xenarm.showBootState', () => vscode.commands.executeCommand('xenarm.bootState.focus'));
  reg('xenarm.showHypercalls', async () => {
    await hub.fetchTraceHistory();
    await vscode.commands.executeCommand('xenarm.hypercalls.focus');
  });
  reg('xenarm.clearHypercalls', () => hub.clearTrace());
  reg('xenarm.openMemoryAt', async (address?: number) => {
    if (address === undefined) {
      const text = await vscode.window.showInputBox({ prompt: 'Guest address (hex or decimal)', validateInput: (v) => (Number.isFinite(Number(v)) ? undefined : 'Not a number') });
      if (!text) return;
      address = Number(text);
    }
    await openMemoryAt(hub.activeSession(), address);
  });
  reg('xenarm.breakOnHypercall', async (item?: unknown) => {
    const rec = HypercallView.record(item);
    if (!rec) return void vscode.window.showInformationMessage('Use "Break on This Hypercall" on an entry of the Hypercalls view.');
    const existing = vscode.debug.breakpoints.find((b): b is vscode.FunctionBreakpoint => b instanceof vscode.FunctionBreakpoint && b.functionName === `hypercall:${rec.name}`);
    const choices = breakChoices(rec, existing?.condition);
    const pick = choices.length === 1 ? choices[0] : await vscode.window.showQuickPick(choices, { placeHolder: `Break on ${rec.name}` });
    if (!pick) return;
    if (existing) vscode.debug.removeBreakpoints([existing]);
    vscode.debug.addBreakpoints([new vscode.FunctionBreakpoint(pick.functionName, true, pick.condition)]);
    void vscode.window.setStatusBarMessage(`xenarm: breakpoint on ${pick.functionName}${pick.condition ? ` if ${pick.condition}` : ''}`, 4000);
  });
  reg('xenarm.dts.openPreviewToSide', (uri?: vscode.Uri) => {
    const doc = uri ? vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString()) : vscode.window.activeTextEditor?.document;
    if (doc) previews.open(doc);
    else if (uri) void vscode.workspace.openTextDocument(uri).then((d) => previews.open(d));
    else void vscode.window.showInformationMessage('Open a .dts file first.');
  });
  reg('xenarm.dts.compile', (uri?: vscode.Uri) => compileCommand(dtLib(), output, uri));
  reg('xenarm.dts.decompile', (uri?: vscode.Uri) => decompileCommand(dtLib(), uri));
  reg('xenarm.dts.restartServer', async () => {
    if (client) await client.restart();
    else startClient(ctx);
  });

  const maybeStart = (d: vscode.TextDocument) => {
    if (d.languageId === 'dts') startClient(ctx);
  };
  ctx.subscriptions.push(vscode.workspace.onDidOpenTextDocument(maybeStart));
  // A dts document already open (the usual onLanguage:dts activation) starts the client just after activate()
  // returns: loading the client bundle is most of the cost, and the commands and views are registered first.
  setImmediate(() => vscode.workspace.textDocuments.forEach(maybeStart));
  return { hub };
}

function startClient(ctx: vscode.ExtensionContext): void {
  if (client || !vscode.workspace.getConfiguration('xenarm').get<boolean>('dts.server.enable', true)) return;
  client = lazyBundle<typeof import('./lsp-client')>('extension-lsp.js').createDtsClient(ctx);
  void client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
