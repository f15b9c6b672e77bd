// The generated device tree of the guest: a read-only DTS document (scheme xenarm-dt, language dts) and a
// tree view of its nodes with translated addresses and interrupts that reveals each node in the document.
import * as vscode from 'vscode';
import type { ExtDtLib } from '../dtlib-types';
import type { SessionHub } from '../session-hub';
import { buildOutline, indexDtsNodeLines, type OutlineNode } from './dt-outline';

export const DT_SCHEME = 'xenarm-dt';
export const DT_URI = vscode.Uri.from({ scheme: DT_SCHEME, path: '/generated-device-tree.dts' });

interface Loaded {
  dts: string;
  outline: OutlineNode | undefined;
  lines: Map<string, number>;
  dtb: Uint8Array;
  address: number;
}

export class GeneratedTree implements vscode.TextDocumentContentProvider, vscode.TreeDataProvider<OutlineNode | { prop: string; value: string; parent: string }> {
  private loaded: Loaded | undefined;
  private readonly docEmitter = new vscode.EventEmitter<vscode.Uri>();
  private readonly treeEmitter = new vscode.EventEmitter<undefined>();
  readonly onDidChange = this.docEmitter.event;
  readonly onDidChangeTreeData = this.treeEmitter.event;

  constructor(
    private readonly hub: SessionHub,
    private readonly lib: () => ExtDtLib,
  ) {
    hub.onDeviceTreeChanged(() => {
      this.loaded = undefined;
      this.docEmitter.fire(DT_URI);
      this.treeEmitter.fire(undefined);
    });
  }

  /** Fetches the tree from the adapter and decodes it; errors are reported in the document itself. */
  async load(force = false): Promise<Loaded | undefined> {
    if (this.loaded && !force) return this.loaded;
    const r = await this.hub.fetchDeviceTree(force);
    if (!r) return undefined;
    const dtb = Uint8Array.from(Buffer.from(r.dtb, 'base64'));
    let dts = r.dts;
    let outline: OutlineNode | undefined;
    try {
      const tree = this.lib().dtbToTree(dtb, 'generated.dtb');
      let map;
      try {
        map = this.lib().addressMap(tree);
      } catch {
        map = undefined;
      }
      outline = buildOutline(tree, map);
      dts ??= this.lib().printDts(tree);
    } catch (e) {
      dts ??= `// The generated DTB could not be decoded: ${(e as Error).message}\n`;
    }
    this.loaded = { dts, outline, lines: indexDtsNodeLines(dts), dtb, address: r.address };
    return this.loaded;
  }

  async provideTextDocumentContent(): Promise<string> {
    try {
      const l = await this.load();
      if (!l) return '// No generated device tree: start a xenarm debug session (Xen dom0 boot) first.\n';
      return `// Device tree the hypervisor generated for the guest, at guest physical 0x${l.address.toString(16)} (${l.dtb.length} bytes)\n${l.dts}`;
    } catch (e) {
      return `// Could not fetch the generated device tree: ${(e as Error).message}\n`;
    }
  }

  getTreeItem(n: OutlineNode | { prop: string; value: string; parent: string }): vscode.TreeItem {
    if ('prop' in n) {
      const t = new vscode.TreeItem(n.prop);
      t.description = n.value;
      t.tooltip = `${n.prop} = ${n.value}`;
      t.iconPath = new vscode.ThemeIcon('symbol-property');
      t.command = { command: 'xenarm.revealDeviceTreeNode', title: 'Reveal', arguments: [n.parent] };
      return t;
    }
    const t = new vscode.TreeItem(n.labels.length ? `${n.labels.join(': ')}: ${n.name}` : n.name, n.path === '/' ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
    t.id = n.path;
    t.description = [...n.addresses, ...n.interrupts.map((i) => `irq ${i}`)].join('; ');
    t.tooltip = new vscode.MarkdownString([`**${n.path}**`, ...n.addresses.map((a) => `reg: ${a}`), ...n.interrupts.map((i) => `interrupt: ${i}`)].map((s) => s.replace(/[\\`*_{}[\]()#+!|<>]/g, '\\$&')).join('\n\n'));
    t.iconPath = new vscode.ThemeIcon('symbol-namespace');
    t.contextValue = 'dtNode';
    t.command = { command: 'xenarm.revealDeviceTreeNode', title: 'Reveal', arguments: [n.path] };
    return t;
  }

  async getChildren(n?: OutlineNode | { prop: string }): Promise<(OutlineNode | { prop: string; value: string; parent: string })[]> {
    if (!n) {
      const l = await this.load().catch(() => undefined);
      return l?.outline ? [l.outline] : [];
    }
    if ('prop' in n) return [];
    return [...n.properties.map((p) => ({ prop: p.name, value: p.value, parent: n.path })), ...n.children];
  }

  async open(): Promise<vscode.TextEditor> {
    const doc = await vscode.workspace.openTextDocument(DT_URI);
    if (doc.languageId !== 'dts') await vscode.languages.setTextDocumentLanguage(doc, 'dts');
    return vscode.window.showTextDocument(doc, { preview: false });
  }

  async reveal(path: string): Promise<void> {
    const l = await this.load();
    const editor = await this.open();
    const line = l?.lines.get(path);
    if (line === undefined) return;
    // The document has one header line before the DTS.
    const pos = new vscode.Position(line + 1, 0);
    editor.selection = new vscode.Selection(pos, pos);
    editor.revealRange(new vscode.Range(pos, pos), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  async saveDtb(): Promise<void> {
    const l = await this.load();
    if (!l) {
      void vscode.window.showWarningMessage('No generated device tree to save: start a xenarm debug session first.');
      return;
    }
    const uri = await vscode.window.showSaveDialog({ filters: { 'Device tree blob': ['dtb'] }, defaultUri: vscode.Uri.joinPath(vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(process.cwd()), 'generated.dtb') });
    if (!uri) return;
    await vscode.workspace.fs.writeFile(uri, l.dtb);
    void vscode.window.showInformationMessage(`Saved ${l.dtb.length} bytes to ${uri.fsPath}`);
  }

  refresh(): void {
    void this.load(true).then(
      () => {
        this.docEmitter.fire(DT_URI);
        this.treeEmitter.fire(undefined);
      },
      (e: Error) => void vscode.window.showErrorMessage(`Could not fetch the generated device tree: ${e.message}`),
    );
  }
}
