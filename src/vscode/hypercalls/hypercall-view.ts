// The Hypercalls view: a "Counts" group (per hypercall, whole session) and the calls in issue order, each
// with its decoded arguments and result; "Break on this hypercall" from an entry's context menu.
import * as vscode from 'vscode';
import type { HypercallRecord } from '../../debug/protocol';
import type { SessionHub } from '../session-hub';
import { describeHypercall, hypercallDetails, type HypercallCount } from './trace-model';

type Item = { kind: 'counts' } | { kind: 'count'; c: HypercallCount } | { kind: 'call'; r: HypercallRecord } | { kind: 'arg'; label: string; value: string };

export class HypercallView implements vscode.TreeDataProvider<Item> {
  private readonly emitter = new vscode.EventEmitter<Item | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;

  constructor(private readonly hub: SessionHub) {
    hub.onTraceChanged(() => this.emitter.fire(undefined));
  }

  getTreeItem(it: Item): vscode.TreeItem {
    switch (it.kind) {
      case 'counts': {
        const t = new vscode.TreeItem(`Counts (${this.hub.trace.total} calls)`, vscode.TreeItemCollapsibleState.Collapsed);
        t.iconPath = new vscode.ThemeIcon('graph');
        return t;
      }
      case 'count': {
        const t = new vscode.TreeItem(it.c.name);
        t.description = `${it.c.count} × (nr ${it.c.nr})`;
        t.contextValue = 'hypercallCount';
        t.iconPath = new vscode.ThemeIcon(it.c.kind === 'smccc' ? 'plug' : 'symbol-event');
        return t;
      }
      case 'call': {
        const t = new vscode.TreeItem(`#${it.r.seq} ${it.r.name}`, vscode.TreeItemCollapsibleState.Collapsed);
        t.description = describeHypercall(it.r).slice(it.r.name.length);
        t.tooltip = hypercallDetails(it.r);
        t.contextValue = 'hypercall';
        t.iconPath = new vscode.ThemeIcon(it.r.result === undefined ? 'debug-pause' : 'symbol-event');
        return t;
      }
      case 'arg': {
        const t = new vscode.TreeItem(it.label);
        t.description = it.value;
        t.tooltip = `${it.label} = ${it.value}`;
        return t;
      }
    }
  }

  getChildren(it?: Item): Item[] {
    if (!it) {
      const calls = this.hub.trace.entries();
      const items: Item[] = calls.length ? [{ kind: 'counts' }] : [];
      for (const r of calls) items.push({ kind: 'call', r });
      return items;
    }
    if (it.kind === 'counts') return this.hub.trace.countsByCall().map((c) => ({ kind: 'count', c }));
    if (it.kind === 'call') {
      return hypercallDetails(it.r)
        .split('\n')
        .slice(1)
        .map((line) => {
          const m = /^(.*?)(?: = |: )(.*)$/.exec(line);
          return { kind: 'arg', label: m ? m[1] : line, value: m ? m[2] : '' };
        });
    }
    return [];
  }

  /** The record behind a view item (for commands invoked from its context menu). */
  static record(it: unknown): { name: string; nr: number; args: number[]; decoded: Record<string, string | number> } | undefined {
    const x = it as Item | undefined;
    if (x?.kind === 'call') return x.r;
    if (x?.kind === 'count') return { name: x.c.name, nr: x.c.nr, args: [], decoded: {} };
    return undefined;
  }
}
