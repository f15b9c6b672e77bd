// The files the language server knows: open documents (their live text) over files on disk, each scanned
// once per version, and include resolution the way dtc and cpp do it (beside the including file first for
// "x" and /include/, then each include path; only the include paths for <x>).
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { scanDts, LineMap, type ScanResult, type IncludeUse } from './scan';

export interface FileInfo {
  path: string;
  text: string;
  scan: ScanResult;
  lines: LineMap;
}

export interface FileSystem {
  readFile(path: string): string | undefined;
}

export class DtsWorkspace {
  private readonly open = new Map<string, string>();
  private readonly cache = new Map<string, FileInfo>();

  constructor(
    private readonly fs: FileSystem,
    /** Absolute include directories for a file (from the setting, resolved against its workspace folder). */
    public includePaths: (file: string) => string[],
  ) {}

  setOpen(path: string, text: string): void {
    this.open.set(path, text);
  }

  close(path: string): void {
    this.open.delete(path);
  }

  isOpen(path: string): boolean {
    return this.open.has(path);
  }

  readText(path: string): string | undefined {
    return this.open.get(path) ?? this.fs.readFile(path);
  }

  get(path: string): FileInfo | undefined {
    const text = this.readText(path);
    if (text === undefined) return undefined;
    const hit = this.cache.get(path);
    if (hit && hit.text === text) return hit;
    const info: FileInfo = { path, text, scan: scanDts(text), lines: new LineMap(text) };
    this.cache.set(path, info);
    return info;
  }

  resolveInclude(from: string, inc: Pick<IncludeUse, 'file' | 'system'>): string | undefined {
    if (isAbsolute(inc.file)) return this.readText(inc.file) !== undefined ? inc.file : undefined;
    const dirs = inc.system ? this.includePaths(from) : [dirname(from), ...this.includePaths(from)];
    for (const d of dirs) {
      const p = resolve(join(d, inc.file));
      if (this.readText(p) !== undefined) return p;
    }
    return undefined;
  }

  /** The file and every file it includes, transitively, in first-inclusion order. */
  unit(path: string): FileInfo[] {
    const out: FileInfo[] = [];
    const seen = new Set<string>();
    const visit = (p: string, depth: number) => {
      if (seen.has(p) || depth > 64) return;
      seen.add(p);
      const f = this.get(p);
      if (!f) return;
      out.push(f);
      for (const inc of f.scan.includes) {
        const r = this.resolveInclude(p, inc);
        if (r) visit(r, depth + 1);
      }
    };
    visit(path, 0);
    return out;
  }

  /** Open files that include `path` (directly or not): a .dtsi's labels are used there. */
  includers(path: string): FileInfo[] {
    const out: FileInfo[] = [];
    for (const p of this.open.keys()) {
      if (p === path) continue;
      if (this.unit(p).some((f) => f.path === path)) out.push(this.get(p)!);
    }
    return out;
  }
}
