// Compile DTS to DTB and decompile DTB to DTS, as `dtc -I dts -O dtb` / `dtc -I dtb -O dts` would, with the
// compiler's messages in the Problems panel when the source has errors.
import * as vscode from 'vscode';
import type { ExtDtLib } from './dtlib-types';
import { includePathsFor, readForCompile } from './preview/preview-panel';
import { decompile } from './dtb-editor';

export async function compileCommand(lib: ExtDtLib, output: vscode.OutputChannel, uri?: vscode.Uri): Promise<vscode.Uri | undefined> {
  const target = uri ?? vscode.window.activeTextEditor?.document.uri;
  if (!target || target.scheme !== 'file') {
    void vscode.window.showWarningMessage('Compile Device Tree Source: open or select a .dts file on disk first.');
    return undefined;
  }
  const doc = await vscode.workspace.openTextDocument(target);
  const out = lib.compile(doc.getText(), target.fsPath, includePathsFor(target), readForCompile);
  for (const d of out.diagnostics) output.appendLine(`${d.pos ? `${d.pos.file}:${d.pos.line}.${d.pos.column}` : target.fsPath}: ${d.severity}${d.check ? ` (${d.check})` : ''}: ${d.message}`);
  const errors = out.diagnostics.filter((d) => d.severity === 'error');
  if (!out.tree || errors.length) {
    output.show(true);
    void vscode.window.showErrorMessage(`${vscode.workspace.asRelativePath(target)} has ${errors.length} error(s); no DTB written (see the xenarm output and Problems).`);
    return undefined;
  }
  const dest = target.with({ path: target.path.replace(/\.dtso?$|\.dtsi$|$/, (m) => (m === '.dtso' ? '.dtbo' : '.dtb')) });
  let bytes: Uint8Array;
  try {
    bytes = lib.treeToDtb(out.tree);
  } catch (e) {
    void vscode.window.showErrorMessage(`Could not write the DTB: ${(e as Error).message}`);
    return undefined;
  }
  await vscode.workspace.fs.writeFile(dest, bytes);
  void vscode.window.showInformationMessage(`Wrote ${vscode.workspace.asRelativePath(dest)} (${bytes.length} bytes${out.diagnostics.length ? `, ${out.diagnostics.length} warning(s)` : ''}).`);
  return dest;
}

export async function decompileCommand(lib: ExtDtLib, uri?: vscode.Uri): Promise<void> {
  let target = uri;
  if (!target) {
    const picked = await vscode.window.showOpenDialog({ filters: { 'Device tree blob': ['dtb', 'dtbo'] }, canSelectMany: false });
    target = picked?.[0];
  }
  if (!target) return;
  const bytes = await vscode.workspace.fs.readFile(target);
  const r = decompile(lib, bytes, target.path.split('/').pop() ?? 'dtb');
  if (r.error) {
    void vscode.window.showErrorMessage(`${vscode.workspace.asRelativePath(target)} is not a valid device tree blob: ${r.error}`);
    return;
  }
  const doc = await vscode.workspace.openTextDocument({ language: 'dts', content: r.dts });
  await vscode.window.showTextDocument(doc, { preview: false });
}
