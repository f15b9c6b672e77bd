// A minimal LSP client over stdio (Content-Length framing, JSON-RPC 2.0) to drive dist/dts-server.js the way
// an editor does, for the protocol test and the diagnostics-latency benchmark.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

type Json = any;

export class LspProcess {
  readonly proc: ChildProcess;
  private buf = Buffer.alloc(0);
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: Json) => void; reject: (e: Error) => void }>();
  private readonly listeners: ((msg: Json) => void)[] = [];
  stderr = '';

  constructor(serverJs = join(__dirname, '..', '..', '..', 'dist', 'dts-server.js'), private readonly config: Json = {}) {
    this.proc = spawn(process.execPath, [serverJs, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.proc.stdout!.on('data', (d: Buffer) => this.data(d));
    this.proc.stderr!.on('data', (d) => (this.stderr += d));
  }

  private data(d: Buffer): void {
    this.buf = Buffer.concat([this.buf, d]);
    for (;;) {
      const sep = this.buf.indexOf('\r\n\r\n');
      if (sep < 0) return;
      const m = /Content-Length: (\d+)/i.exec(this.buf.subarray(0, sep).toString('ascii'));
      if (!m) throw new Error('LSP header without Content-Length');
      const len = Number(m[1]);
      if (this.buf.length < sep + 4 + len) return;
      const msg = JSON.parse(this.buf.subarray(sep + 4, sep + 4 + len).toString('utf8'));
      this.buf = this.buf.subarray(sep + 4 + len);
      this.dispatch(msg);
    }
  }

  private dispatch(msg: Json): void {
    if (msg.id !== undefined && msg.method === undefined) {
      const p = this.pending.get(msg.id);
      this.pending.delete(msg.id);
      if (msg.error) p?.reject(new Error(msg.error.message));
      else p?.resolve(msg.result);
      return;
    }
    if (msg.id !== undefined && msg.method) {
      // Server-to-client requests: answer configuration with our settings, everything else with null.
      const result = msg.method === 'workspace/configuration' ? msg.params.items.map(() => this.config) : null;
      this.send({ jsonrpc: '2.0', id: msg.id, result });
      return;
    }
    for (const l of [...this.listeners]) l(msg);
  }

  private send(msg: Json): void {
    const body = Buffer.from(JSON.stringify(msg), 'utf8');
    this.proc.stdin!.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.proc.stdin!.write(body);
  }

  request(method: string, params: Json): Promise<Json> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.send({ jsonrpc: '2.0', id, method, params });
    });
  }

  notify(method: string, params: Json): void {
    this.send({ jsonrpc: '2.0', method, params });
  }

  /** The next notification matching `pred` (e.g. publishDiagnostics for a URI). */
  next(pred: (msg: Json) => boolean, timeoutMs = 60000): Promise<Json> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.listeners.splice(this.listeners.indexOf(l), 1);
        reject(new Error(`no matching LSP notification in ${timeoutMs} ms; server stderr: ${this.stderr}`));
      }, timeoutMs);
      const l = (msg: Json) => {
        if (!pred(msg)) return;
        clearTimeout(timer);
        this.listeners.splice(this.listeners.indexOf(l), 1);
        resolve(msg);
      };
      this.listeners.push(l);
    });
  }

  async initialize(rootUri: string): Promise<Json> {
    const r = await this.request('initialize', { processId: process.pid, rootUri, workspaceFolders: [{ uri: rootUri, name: 'ws' }], capabilities: { workspace: { configuration: true } } });
    this.notify('initialized', {});
    return r;
  }

  async close(): Promise<void> {
    try {
      await Promise.race([this.request('shutdown', null), new Promise((r) => setTimeout(r, 2000))]);
      this.notify('exit', null);
    } catch {
      /* already gone */
    }
    setTimeout(() => this.proc.kill(), 500).unref();
  }
}
