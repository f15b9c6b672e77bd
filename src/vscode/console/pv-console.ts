// The guest's PV console (hvc0) as a terminal tab in the editor area: output through a throttled buffer,
// keystrokes to the adapter. The tab outlives the debug session so the user can still read everything.
import * as vscode from 'vscode';
import { ConsoleBuffer } from './console-buffer';

const FRAME_MS = 16;

export class PvConsole implements vscode.Pseudoterminal {
  private readonly writeEmitter = new vscode.EventEmitter<string>();
  private readonly closeEmitter = new vscode.EventEmitter<void>();
  readonly onDidWrite = this.writeEmitter.event;
  readonly onDidClose = this.closeEmitter.event;
  readonly buffer = new ConsoleBuffer();
  private opened = false;
  private timer: NodeJS.Timeout | undefined;
  private session: vscode.DebugSession | undefined;
  terminal: vscode.Terminal | undefined;

  constructor(
    readonly name: string,
    private readonly maxBytesPerFrame: () => number,
    private readonly sendInput: (session: vscode.DebugSession, text: string) => void,
  ) {}

  attach(session: vscode.DebugSession): void {
    this.session = session;
  }

  detach(reason: string): void {
    this.session = undefined;
    this.append(`\r\n\x1b[2m[xenarm: ${reason}; the console log is kept, "xenarm: Save Guest Console Log to File" writes it]\x1b[0m\r\n`, false);
  }

  get attached(): boolean {
    return this.session !== undefined;
  }

  open(): void {
    this.opened = true;
    this.schedule();
  }

  close(): void {
    this.opened = false;
    this.terminal = undefined;
  }

  handleInput(data: string): void {
    if (this.session) this.sendInput(this.session, data);
  }

  /** Guest output (or a note of ours when `fromGuest` is false: notes are not part of the saved log). */
  append(text: string, fromGuest = true): void {
    if (fromGuest) this.buffer.append(text);
    else this.notes.push(text);
    this.schedule();
  }

  private notes: string[] = [];

  private schedule(): void {
    if (!this.opened || this.timer) return;
    this.timer = setTimeout(() => this.flush(), FRAME_MS);
  }

  private flush(): void {
    this.timer = undefined;
    if (!this.opened) return;
    const frame = this.buffer.takeFrame(this.maxBytesPerFrame());
    if (frame) this.writeEmitter.fire(frame);
    if (this.buffer.pending === 0 && this.notes.length) {
      this.writeEmitter.fire(this.notes.join(''));
      this.notes = [];
    }
    if (this.buffer.pending > 0) this.schedule();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.writeEmitter.dispose();
    this.closeEmitter.dispose();
  }
}
