// Runs an installed code-server for the end-to-end tests: no authentication, on a free local port, with its
// own user-data and extensions directories, in its own process group so that stopping it stops its children.
import { spawn } from 'node:child_process';
import { freePort } from '../support/net';

export interface CodeServer {
  port: number;
  /** Everything code-server printed so far. */
  logs(): string;
  /** Stops code-server and its extension hosts (a no-op once it has exited). */
  stop(): void;
}

/** Starts code-server (`entry` is its launcher script) and resolves once it listens; 60 s at most. */
export async function startCodeServer(entry: string, userData: string, extensionsDir: string): Promise<CodeServer> {
  const port = await freePort();
  let out = '';
  const server = spawn(process.execPath, [entry, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--user-data-dir', userData, '--extensions-dir', extensionsDir], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  server.stdout!.on('data', (d) => (out += d));
  server.stderr!.on('data', (d) => (out += d));
  const stop = () => {
    if (server.pid && server.exitCode === null) {
      try {
        process.kill(-server.pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
    }
  };
  const t0 = Date.now();
  while (!/HTTP server listening/.test(out)) {
    if (server.exitCode !== null) throw new Error(`code-server exited (${server.exitCode}):\n${out}`);
    if (Date.now() - t0 > 60000) {
      stop();
      throw new Error(`code-server did not start in 60 s:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { port, logs: () => out, stop };
}
