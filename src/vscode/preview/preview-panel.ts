// "Open Device Tree Preview to the Side": a webview beside a .dts editor that recompiles as the user types
// (debounced) and shows the problems, the address map picture, the interrupt routing and the compiled tree.
import * as vscode from 'vscode';
import { dirname, isAbsolute, join } from 'node:path';
import { readFileSync } from 'node:fs';
import type { ExtDtLib } from '../dtlib-types';
import { formatPos } from '../../devicetree/model';
import { nonce, page } from '../webview/html';
import { previewBody, type PreviewModel } from './preview-html';

export function includePathsFor(uri: vscode.Uri): string[] {
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  const base = folder?.uri.fsPath ?? dirname(uri.fsPath);
  return vscode.workspace.getConfiguration('xenarm', uri).get<string[]>('dts.includePaths', []).map((p) => (isAbsolute(p) ? p : join(base, p)));
}

/** Open editors' text first (unsaved edits count), then the disk. */
export function readForCompile(path: string): string | undefined {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === path);
  if (open) return open.getText();
  try {
    return readFileSync(path, 'latin1');
  } catch {
    return undefined;
  }
}

export function previewModel(lib: ExtDtLib, doc: vscode.TextDocument): PreviewModel {
  const file = doc.uri.scheme === 'file' ? doc.uri.fsPath : doc.uri.toString();
  const out = lib.compile(doc.getText(), file, includePathsFor(doc.uri), readForCompile);
  const model: PreviewModel = {
    file: vscode.workspace.asRelativePath(doc.uri),
    diagnostics: out.diagnostics.map((d) => ({ severity: d.severity, message: d.message, check: d.check, where: d.pos ? formatPos(d.pos) : file })),
    regions: [],
    interrupts: [],
  };
  if (out.tree && !out.diagnostics.some((d) => d.severity === 'error' && !d.check)) {
    try {
      const map = lib.addressMap(out.tree);
      model.regions = map.regions;
      model.interrupts = map.interrupts;
    } catch (e) {
      model.diagnostics.push({ severity: 'error', message: `address map: ${(e as Error).message}`, where: file });
    }
    try {
      model.dts = lib.printDts(out.tree);
    } catch (e) {
      model.diagnostics.push({ severity: 'error', message: `printing the tree: ${(e as Error).message}`, where: file });
    }
  }
  return model;
}

export class PreviewManager implements vscode.Disposable {
  private readonly panels = new Map<string, { panel: vscode.WebviewPanel; doc: vscode.TextDocument; timer?: NodeJS.Timeout }>();
  private readonly subs: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly lib: () => ExtDtLib,
  ) {
    this.subs.push(
      vscode.workspace.onDidChangeTextDocument((e) => {
        for (const p of this.panels.values()) if (p.doc === e.document || e.document.languageId === 'dts') this.schedule(p);
      }),
    );
  }

  open(doc: vscode.TextDocument): vscode.WebviewPanel {
    const key = doc.uri.toString();
    const hit = this.panels.get(key);
    if (hit) {
      hit.panel.reveal(vscode.ViewColumn.Beside, true);
      return hit.panel;
    }
    const media = vscode.Uri.joinPath(this.extensionUri, 'media');
    const panel = vscode.window.createWebviewPanel('xenarm.dtsPreview', `Preview ${doc.uri.path.split('/').pop()}`, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
      enableScripts: true,
      localResourceRoots: [media],
      retainContextWhenHidden: false,
    });
    const entry: { panel: vscode.WebviewPanel; doc: vscode.TextDocument; timer?: NodeJS.Timeout } = { panel, doc };
    this.panels.set(key, entry);
    panel.onDidDispose(() => {
      if (entry.timer) clearTimeout(entry.timer);
      this.panels.delete(key);
    });
    const n = nonce();
    const w = panel.webview;
    w.html = page({
      title: `Preview ${doc.uri.path}`,
      cspSource: w.cspSource,
      nonce: n,
      styleUris: [w.asWebviewUri(vscode.Uri.joinPath(media, 'preview.css')).toString()],
      scriptUris: [w.asWebviewUri(vscode.Uri.joinPath(media, 'preview.js')).toString()],
      body: `<main id="content">${this.render(doc)}</main>`,
    });
    return panel;
  }

  private render(doc: vscode.TextDocument): string {
    try {
      return previewBody(previewModel(this.lib(), doc));
    } catch (e) {
      return previewBody({ file: doc.uri.path, diagnostics: [{ severity: 'error', message: `internal error: ${(e as Error).message}`, where: doc.uri.path }], regions: [], interrupts: [] });
    }
  }

  private schedule(p: { panel: vscode.WebviewPanel; doc: vscode.TextDocument; timer?: NodeJS.Timeout }): void {
    if (p.timer) clearTimeout(p.timer);
    p.timer = setTimeout(() => {
      p.timer = undefined;
      void p.panel.webview.postMessage({ type: 'update', html: this.render(p.doc) });
    }, 250);
  }

  dispose(): void {
    for (const p of this.panels.values()) p.panel.dispose();
    for (const s of this.subs) s.dispose();
  }
}
