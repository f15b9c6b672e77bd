// The Boot State view: dom0's entry registers and the builder's placements; address rows open the memory view.
import * as vscode from 'vscode';
import type { SessionHub } from '../session-hub';
import { bootRows, type BootRow } from './boot-model';

export class BootView implements vscode.TreeDataProvider<BootRow> {
  private readonly emitter = new vscode.EventEmitter<BootRow | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;

  constructor(private readonly hub: SessionHub) {
    hub.onBootChanged(() => this.emitter.fire(undefined));
  }

  getTreeItem(r: BootRow): vscode.TreeItem {
    const t = new vscode.TreeItem(r.label, r.children ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
    t.description = r.value;
    t.tooltip = r.tooltip ? `${r.label} = ${r.value}\n${r.tooltip}` : `${r.label} = ${r.value}`;
    if (r.address !== undefined) {
      t.contextValue = 'address';
      t.command = { command: 'xenarm.openMemoryAt', title: 'Open Memory View', arguments: [r.address] };
    }
    return t;
  }

  async getChildren(r?: BootRow): Promise<BootRow[]> {
    if (r) return r.children ?? [];
    const b = await this.hub.fetchBootRecord();
    return b ? bootRows(b) : [];
  }
}
