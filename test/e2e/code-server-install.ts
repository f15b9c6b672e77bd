// Installs code-server (VS Code 1.100.3's workbench and extension host, served to a browser) from npm into
// a cache directory outside the project's dependency tree, following /work/shared/code-server.md: scripts
// are skipped (code-server's postinstall refuses root, @vscode/ripgrep would download a binary) and the
// native modules are rebuilt by hand, with Debian's rg standing in for the downloaded one.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync, copyFileSync, symlinkSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const CODE_SERVER_VERSION = '4.100.3';

export function cacheRoot(): string {
  return process.env.XENARM_CACHE ?? join(homedir(), '.cache', 'xenarm');
}

export function codeServerDir(): string {
  return join(cacheRoot(), 'code-server', CODE_SERVER_VERSION);
}

/** The code-server launcher script, or undefined if it is not installed. */
export function codeServerBin(): string | undefined {
  const bin = join(codeServerDir(), 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  return existsSync(join(codeServerDir(), '.complete')) && existsSync(bin) ? bin : undefined;
}

function which(cmd: string): string | undefined {
  try {
    return execFileSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Installs code-server if it is not there yet; returns the entry script. Throws with npm's output on failure. */
export function ensureCodeServer(log: (s: string) => void = () => {}): string {
  const ready = codeServerBin();
  if (ready) return ready;
  const rg = which('rg');
  if (!rg) throw new Error('ripgrep (Debian package ripgrep) is needed by code-server and is missing');
  const dir = codeServerDir();
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'xenarm-code-server', private: true }));
  const env = { ...process.env, npm_config_yes: 'true', npm_config_update_notifier: 'false' };
  const npm = (cwd: string, args: string[]) => {
    log(`npm ${args.join(' ')} (in ${cwd})`);
    execFileSync('npm', args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
  };
  const quiet = ['--ignore-scripts', '--no-audit', '--no-fund'];
  npm(dir, ['install', ...quiet, '--no-save', `code-server@${CODE_SERVER_VERSION}`]);
  const vsc = join(dir, 'node_modules', 'code-server', 'lib', 'vscode');
  npm(vsc, ['install', '--omit=dev', ...quiet]);
  npm(vsc, ['rebuild', '@parcel/watcher', '@vscode/spdlog', 'kerberos', 'native-watchdog', 'node-pty', '@vscode/deviceid']);
  const rgDir = join(vsc, 'node_modules', '@vscode', 'ripgrep', 'bin');
  mkdirSync(rgDir, { recursive: true });
  copyFileSync(rg, join(rgDir, 'rg'));
  rmSync(join(vsc, 'node_modules.asar'), { force: true });
  symlinkSync('node_modules', join(vsc, 'node_modules.asar'));
  npm(join(vsc, 'extensions'), ['install', '--omit=dev', ...quiet]);
  npm(dir, ['rebuild', 'argon2']);
  writeFileSync(join(dir, '.complete'), new Date().toISOString());
  const bin = codeServerBin();
  if (!bin) throw new Error(`code-server installed into ${dir} but its entry script is missing`);
  return bin;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(ensureCodeServer((s) => console.log(s)));
}
