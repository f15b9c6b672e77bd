// Follows xenarm debug sessions: routes the adapter's custom events (console output, hypercalls, the boot
// record) to the console tab and the views, and fetches the generated device tree on demand. State of the
// last session stays available after it ends, so the views and the console can still be read.
import * as vscode from 'vscode';
import { Events, Requests, type BootRecord, type ConsoleEventBody, type DeviceTreeResponse, type HypercallEventBody, type HypercallRecord } from '../debug/protocol';
import { PvConsole } from './console/pv-console';
import { HypercallTrace } from './hypercalls/trace-model';

export const DEBUG_TYPE = 'xenarm';

export class SessionHub implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  readonly trace: HypercallTrace;
  bootRecord: BootRecord | undefined;
  deviceTree: DeviceTreeResponse | undefined;
  /** The session the views show: the active xenarm session, or the last one that ended. */
  session: vscode.DebugSession | undefined;
  console: PvConsole | undefined;
  private readonly consoles = new Map<string, PvConsole>();

  private readonly traceEmitter = new vscode.EventEmitter<void>();
  private readonly bootEmitter = new vscode.EventEmitter<void>();
  private readonly treeEmitter = new vscode.EventEmitter<void>();
  readonly onTraceChanged = this.traceEmitter.event;
  readonly onBootChanged = this.bootEmitter.event;
  readonly onDeviceTreeChanged = this.treeEmitter.event;
  private traceTimer: NodeJS.Timeout | undefined;

  constructor(private readonly output: vscode.OutputChannel) {
    const cfg = () => vscode.workspace.getConfiguration('xenarm');
    this.trace = new HypercallTrace(() => cfg().get<number>('hypercalls.maxEntries', 5000));
    this.disposables.push(
      vscode.debug.onDidStartDebugSession((s) => this.started(s)),
      vscode.debug.onDidTerminateDebugSession((s) => this.terminated(s)),
      vscode.debug.onDidReceiveDebugSessionCustomEvent((e) => this.event(e)),
      this.traceEmitter,
      this.bootEmitter,
      this.treeEmitter,
    );
  }

  private started(s: vscode.DebugSession): void {
    if (s.type !== DEBUG_TYPE) return;
    this.session = s;
    this.trace.clear();
    this.bootRecord = undefined;
    this.deviceTree = undefined;
    this.traceEmitter.fire();
    this.bootEmitter.fire();
    this.treeEmitter.fire();
    void vscode.commands.executeCommand('setContext', 'xenarm.hasTrace', true);
    const c = this.consoleFor(s);
    if (vscode.workspace.getConfiguration('xenarm').get<boolean>('console.openOnSessionStart', true)) this.showConsole(c, true);
  }

  private terminated(s: vscode.DebugSession): void {
    if (s.type !== DEBUG_TYPE) return;
    const c = this.consoles.get(s.id);
    c?.detach('the debug session ended');
    this.consoles.delete(s.id);
  }

  private consoleFor(s: vscode.DebugSession): PvConsole {
    let c = this.consoles.get(s.id);
    if (c) return c;
    const cfg = () => vscode.workspace.getConfiguration('xenarm').get<number>('console.maxBytesPerFrame', 65536);
    c = new PvConsole(`Guest console: ${s.name}`, cfg, (session, text) => {
      session.customRequest(Requests.consoleInput, { text }).then(undefined, (e: Error) => this.output.appendLine(`console input not delivered: ${e.message}`));
    });
    c.attach(s);
    this.consoles.set(s.id, c);
    this.console = c;
    return c;
  }

  /** Opens (or focuses) the console tab in the editor area. */
  showConsole(c: PvConsole | undefined = this.console, preserveFocus = false): void {
    if (!c) {
      void vscode.window.showInformationMessage('No xenarm guest console yet: start a xenarm debug session first.');
      return;
    }
    if (!c.terminal) {
      c.terminal = vscode.window.createTerminal({ name: c.name, pty: c, location: { viewColumn: vscode.ViewColumn.Active, preserveFocus }, isTransient: true });
      const sub = vscode.window.onDidCloseTerminal((t) => {
        if (t === c.terminal) {
          c.terminal = undefined;
          sub.dispose();
        }
      });
    }
    c.terminal.show(preserveFocus);
  }

  private event(e: vscode.DebugSessionCustomEvent): void {
    if (e.session.type !== DEBUG_TYPE) return;
    switch (e.event) {
      case Events.console: {
        const body = e.body as ConsoleEventBody;
        if (typeof body?.text === 'string') this.consoleFor(e.session).append(body.text);
        break;
      }
      case Events.hypercall: {
        const body = e.body as HypercallEventBody | HypercallRecord;
        const records = 'records' in body ? body.records : [body];
        if (this.trace.add(records)) this.traceChanged();
        break;
      }
      case Events.boot:
        this.bootRecord = e.body as BootRecord;
        void vscode.commands.executeCommand('setContext', 'xenarm.hasBootRecord', true);
        this.bootEmitter.fire();
        this.deviceTree = undefined;
        this.treeEmitter.fire();
        break;
    }
  }

  /** Hypercalls can arrive by thousands a second: refresh the view at most 4 times a second. */
  private traceChanged(): void {
    if (this.traceTimer) return;
    this.traceTimer = setTimeout(() => {
      this.traceTimer = undefined;
      this.traceEmitter.fire();
    }, 250);
  }

  clearTrace(): void {
    this.trace.clear();
    this.traceEmitter.fire();
  }

  /** The active xenarm session, if the user is debugging one. */
  activeSession(): vscode.DebugSession | undefined {
    const a = vscode.debug.activeDebugSession;
    return a?.type === DEBUG_TYPE ? a : this.session;
  }

  async fetchBootRecord(): Promise<BootRecord | undefined> {
    const s = this.activeSession();
    if (!this.bootRecord && s) {
      try {
        this.bootRecord = (await s.customRequest(Requests.bootRecord)) as BootRecord;
        this.bootEmitter.fire();
      } catch (e) {
        this.output.appendLine(`boot record not available: ${(e as Error).message}`);
      }
    }
    return this.bootRecord;
  }

  async fetchDeviceTree(force = false): Promise<DeviceTreeResponse | undefined> {
    const s = this.activeSession();
    if ((force || !this.deviceTree) && s) {
      try {
        this.deviceTree = (await s.customRequest(Requests.deviceTree)) as DeviceTreeResponse;
        void vscode.commands.executeCommand('setContext', 'xenarm.hasDeviceTree', true);
        this.treeEmitter.fire();
      } catch (e) {
        this.output.appendLine(`generated device tree not available: ${(e as Error).message}`);
        if (force) throw e;
      }
    }
    return this.deviceTree;
  }

  async fetchTraceHistory(): Promise<void> {
    const s = this.activeSession();
    if (!s) return;
    try {
      const r = (await s.customRequest(Requests.hypercallTrace, {})) as { records: HypercallRecord[] };
      if (this.trace.add(r.records ?? [])) this.traceEmitter.fire();
    } catch (e) {
      this.output.appendLine(`hypercall history not available: ${(e as Error).message}`);
    }
  }

  dispose(): void {
    for (const c of this.consoles.values()) c.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
