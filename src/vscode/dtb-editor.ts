// .dtb/.dtbo files open in a read-only custom editor that shows them decompiled to DTS (as dtc -I dtb -O dts),
// with a header (size, version, boot CPU) and a button to open the DTS as an ordinary text document.
import * as vscode from 'vscode';
import type { ExtDtLib } from './dtlib-types';
import { escapeHtml, nonce, page } from './webview/html';
import { decompile } from './dtb-editor-logic';

export const DTB_VIEW_TYPE = 'xenarm.dtbViewer';

export { decompile } from './dtb-editor-logic';

export class DtbEditorProvider implements vscode.CustomReadonlyEditorProvider {
  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly lib: () => ExtDtLib,
  ) {}

  openCustomDocument(uri: vscode.Uri): vscode.CustomDocument {
    return { uri, dispose: () => {} };
  }

  async resolveCustomEditor(doc: vscode.CustomDocument, panel: vscode.WebviewPanel): Promise<void> {
    const media = vscode.Uri.joinPath(this.extensionUri, 'media');
    panel.webview.options = { enableScripts: true, localResourceRoots: [media] };
    const bytes = await vscode.workspace.fs.readFile(doc.uri);
    const name = doc.uri.path.split('/').pop() ?? 'dtb';
    const r = decompile(this.lib(), bytes, name);
    const n = nonce();
    const w = panel.webview;
    const body = r.error
      ? `<h1>${escapeHtml(name)}</h1><p class="error">Not a valid device tree blob: ${escapeHtml(r.error)}</p>`
      : `<h1>${escapeHtml(name)}</h1><p class="summary">${bytes.length} bytes, decompiled (read-only). <button id="open-text">Open as DTS text</button></p><pre class="dts">${escapeHtml(r.dts)}</pre>`;
    w.html = page({
      title: name,
      cspSource: w.cspSource,
      nonce: n,
      styleUris: [w.asWebviewUri(vscode.Uri.joinPath(media, 'preview.css')).toString()],
      scriptUris: [w.asWebviewUri(vscode.Uri.joinPath(media, 'dtb-viewer.js')).toString()],
      body,
    });
    w.onDidReceiveMessage(async (m: { type?: string }) => {
      if (m?.type !== 'openText' || r.error) return;
      const text = await vscode.workspace.openTextDocument({ language: 'dts', content: r.dts });
      await vscode.window.showTextDocument(text, { preview: false });
    });
  }
}
