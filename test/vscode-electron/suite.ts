// The @vscode/test-electron suite: the end-to-end checks of test/e2e, run inside a downloaded VS Code's
// extension host through the vscode API instead of a browser. run.ts bundles this file and hands it to VS Code
// as --extensionTestsPath; the workspace is a copy of sample/. Each check logs a TAP-like line; the first
// failure ends the run (later checks build on earlier ones).
import * as vscode from 'vscode';
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { SessionHub } from '../../src/vscode/session-hub';
import { guestReference, generatedDtbReference } from '../e2e/references';

const LAUNCH_NAME = 'Boot the sample dom0 guest (Xen on ARM)';
const GUEST = { memory: 128, bootargs: 'console=hvc0' };

async function waitFor<T>(what: string, fn: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 30000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function diagnosticsText(uri: vscode.Uri): string {
  return vscode.languages
    .getDiagnostics(uri)
    .map((d) => `${d.source}(${typeof d.code === 'object' ? d.code.value : d.code}): ${d.message}`)
    .join('\n');
}

function tabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs);
}

export async function run(): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'VS Code was started without the sample workspace');
  const ws = folder.uri.fsPath;
  const checks: [string, () => Promise<void>][] = [];
  const check = (name: string, fn: () => Promise<void>) => checks.push([name, fn]);

  // Everything the adapter sends, to check stops (reason, description) as VS Code receives them.
  const sent: DebugProtocol.ProtocolMessage[] = [];
  vscode.debug.registerDebugAdapterTrackerFactory('xenarm', { createDebugAdapterTracker: () => ({ onDidSendMessage: (m: DebugProtocol.ProtocolMessage) => void sent.push(m) }) });
  const stops = () => sent.filter((m): m is DebugProtocol.StoppedEvent => m.type === 'event' && (m as DebugProtocol.Event).event === 'stopped');

  let hub: SessionHub | undefined;
  let session: vscode.DebugSession | undefined;
  let terminal: vscode.Terminal | undefined;
  const consoleText = () => hub?.console?.buffer.text() ?? '';
  let treeAddress = 0;
  let treeBytes = Buffer.alloc(0);

  check('the extension activates and hands out its session hub', async () => {
    const ext = vscode.extensions.getExtension<{ hub: SessionHub }>('xenarm.xenarm');
    assert.ok(ext, 'extension xenarm.xenarm is not installed in the development host');
    hub = (await ext.activate()).hub;
    assert.ok(hub);
  });

  check('a .dts with a broken reference gets dtc\'s diagnostic', async () => {
    const file = join(ws, 'dts', 'broken.dts');
    writeFileSync(file, '/dts-v1/;\n\n/ {\n\tnode {\n\t\tclocks = <&no_such_clock>;\n\t};\n};\n');
    const uri = vscode.Uri.file(file);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const text = await waitFor('the diagnostic', () => /no_such_clock/.test(diagnosticsText(uri)) && diagnosticsText(uri), 45000);
    assert.match(text, /dtc\(phandle_references\): \/node: Reference to non-existent node or label "no_such_clock"/);
  });

  check('xenarm.dts.includePaths resolves #include <...>', async () => {
    const file = join(ws, 'dts', 'uses-include.dts');
    writeFileSync(file, '/dts-v1/;\n#include <virt-irq.h>\n\n/ {\n\tn {\n\t\tinterrupts = <GIC_SPI 1 IRQ_TYPE_LEVEL_HIGH>;\n\t};\n};\n');
    const uri = vscode.Uri.file(file);
    const cfg = () => vscode.workspace.getConfiguration('xenarm.dts', uri);
    const original = cfg().get<string[]>('includePaths');
    assert.deepEqual(original, ['dts/include'], 'sample/.vscode/settings.json sets the include path');
    await cfg().update('includePaths', [], vscode.ConfigurationTarget.Workspace);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    await waitFor('the missing-include error', () => /virt-irq\.h: No such file or directory/.test(diagnosticsText(uri)), 45000);
    await cfg().update('includePaths', original, vscode.ConfigurationTarget.Workspace);
    const text = await waitFor('the include resolved', () => !/No such file/.test(diagnosticsText(uri)) && /Missing interrupt-parent/.test(diagnosticsText(uri)) && diagnosticsText(uri), 45000);
    assert.match(text, /interrupts_property/);
  });

  check('the preview of the sample board opens beside it', async () => {
    const uri = vscode.Uri.file(join(ws, 'dts', 'board.dts'));
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    await vscode.commands.executeCommand('xenarm.dts.openPreviewToSide');
    const tab = await waitFor('the preview tab', () => tabs().find((t) => t.input instanceof vscode.TabInputWebview && /xenarm\.dtsPreview/.test(t.input.viewType)));
    assert.equal(tab.label, 'Preview board.dts');
  });

  check('the debug session from launch.json runs (stopOnEntry false: no stop on entry) and opens the PV console as an editor tab', async () => {
    const started = new Promise<vscode.DebugSession>((res) => {
      const sub = vscode.debug.onDidStartDebugSession((s) => {
        if (s.type === 'xenarm') {
          sub.dispose();
          res(s);
        }
      });
    });
    assert.ok(await vscode.debug.startDebugging(folder, LAUNCH_NAME), 'startDebugging refused the launch configuration');
    session = await started;
    await waitFor('the banner and prompt', () => /Hello from xenarm's example dom0!/.test(consoleText()) && /type a line/.test(consoleText()), 90000);
    assert.deepEqual(stops().map((s) => s.body.reason), [], 'the adapter stopped although launch.json says stopOnEntry false');
    terminal = vscode.window.terminals.find((t) => t.name === `Guest console: ${LAUNCH_NAME}`);
    assert.ok(terminal, vscode.window.terminals.map((t) => t.name).join(', '));
    assert.ok(tabs().some((t) => t.input instanceof vscode.TabInputTerminal && t.label.startsWith('Guest console')), 'the console is an editor tab');
    // The guest's colours arrive as the SGR sequences it printed (the e2e checks xterm renders them).
    assert.match(consoleText(), /console colours: \x1b\[1;32mgreen\x1b\[0m \x1b\[31mred\x1b\[0m plain/);
  });

  check('typing in the console tab reaches the guest', async () => {
    terminal!.sendText('hello xen\r', false);
    await waitFor('the guest\'s answer', () => /you typed: "hello xen"/.test(consoleText()), 30000);
  });

  check('the generated device tree document and the boot state', async () => {
    await vscode.commands.executeCommand('xenarm.openGeneratedDeviceTree');
    const doc = await waitFor('the generated tree editor', () => vscode.window.activeTextEditor?.document.uri.scheme === 'xenarm-dt' && vscode.window.activeTextEditor.document);
    assert.equal(doc.languageId, 'dts');
    assert.match(doc.getText(), /hypervisor \{/);
    assert.match(doc.getText(), /"xen,xen"/);
    const boot = await hub!.fetchBootRecord();
    assert.ok(boot, 'no boot record');
    const printed = /r2 = (0x[0-9a-f]+)/.exec(consoleText())?.[1];
    assert.ok(printed, consoleText());
    assert.match(JSON.stringify(boot), new RegExp(String(Number(printed))), `boot record ${JSON.stringify(boot)} lacks r2 ${printed}`);
    // The bytes behind "Save Generated Device Tree Blob" are the tree xenarm dt builds for the same configuration.
    const tree = await hub!.fetchDeviceTree();
    assert.ok(tree);
    treeBytes = Buffer.from(tree.dtb, 'base64');
    treeAddress = Number(printed);
    assert.equal(tree.address, treeAddress, 'the view\'s tree address is the r2 the guest printed');
    assert.equal(Buffer.compare(treeBytes, generatedDtbReference(join(ws, 'guest', 'dom0.elf'), GUEST)), 0);
    writeFileSync(join(ws, 'generated.dtb'), treeBytes);
  });

  check('a hypercall breakpoint stops with its description; guest memory at r2 holds the generated DTB', async () => {
    vscode.debug.addBreakpoints([new vscode.FunctionBreakpoint('hypercall:console_io')]);
    await new Promise((r) => setTimeout(r, 500));
    const before = stops().length;
    terminal!.sendText('x', false);
    const stop = await waitFor('the stop', () => stops()[before], 30000);
    assert.match(stop.body.description ?? '', /^Paused on hypercall console_io/, JSON.stringify(stop.body));
    // Paused, the guest's memory at r2 holds exactly the blob the views and "Save Generated DTB" use.
    const mem = (await session!.customRequest('readMemory', { memoryReference: `phys:0x${treeAddress.toString(16)}`, count: treeBytes.length })) as DebugProtocol.ReadMemoryResponse['body'];
    assert.equal(Buffer.compare(Buffer.from(mem?.data ?? '', 'base64'), treeBytes), 0, 'guest memory at r2 differs from the generated DTB');
  });

  check('the session ends; the console keeps the whole log, equal to what xenarm run prints', async () => {
    vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
    const ended = new Promise<void>((res) => {
      const sub = vscode.debug.onDidTerminateDebugSession((s) => {
        if (s.id === session!.id) {
          sub.dispose();
          res();
        }
      });
    });
    await new Promise((r) => setTimeout(r, 500));
    await vscode.commands.executeCommand('workbench.action.debug.continue');
    await waitFor('the echoed x', () => /finish\): x$/.test(consoleText()), 30000);
    terminal!.sendText('\rpoweroff\r', false);
    await ended;
    assert.ok(vscode.window.terminals.includes(terminal!), 'the console tab closed with the session');
    assert.equal(consoleText(), guestReference(join(ws, 'guest', 'dom0.elf'), GUEST, 'hello xen\rx\rpoweroff\r'));
  });

  check('a .dtb opens in the read-only custom editor', async () => {
    const uri = vscode.Uri.file(join(ws, 'generated.dtb'));
    assert.ok(existsSync(uri.fsPath));
    await vscode.commands.executeCommand('vscode.open', uri);
    const tab = await waitFor('the custom editor tab', () => tabs().find((t) => t.input instanceof vscode.TabInputCustom && t.input.uri.fsPath === uri.fsPath));
    assert.equal((tab.input as vscode.TabInputCustom).viewType, 'xenarm.dtbViewer');
  });

  // The report goes to the console and, for hosts whose console nobody reads (code-server's remote extension
  // host), to suite-report.txt beside the workspace, completed by a last "1..N" line.
  const report = join(ws, '..', 'suite-report.txt');
  const say = (line: string) => {
    console.log(line);
    appendFileSync(report, `${line}\n`);
  };
  let failed = 0;
  for (const [i, [name, fn]] of checks.entries()) {
    try {
      await fn();
      say(`ok ${i + 1} - ${name}`);
    } catch (e) {
      failed++;
      say(`not ok ${i + 1} - ${name}\n  ${String((e as Error).stack ?? e).replace(/\n/g, '\n  ')}`);
      break;
    }
  }
  say(`1..${checks.length}`);
  if (failed) throw new Error(`${failed} check(s) failed`);
}
