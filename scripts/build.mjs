// Bundles each entry point with esbuild into dist/. Entries whose source does not exist yet are skipped.
import { build } from 'esbuild';
import { existsSync, chmodSync } from 'node:fs';
const entries = [
  { in: 'src/cli/main.ts', out: 'dist/cli.js', banner: '#!/usr/bin/env node' },
  { in: 'src/debug/adapter-main.ts', out: 'dist/adapter.js' },
  { in: 'src/dts-server/main.ts', out: 'dist/dts-server.js' },
  { in: 'src/vscode/extension.ts', out: 'dist/extension.js', external: ['vscode'] },
  // Loaded by the extension on first use, so activation does not pay for the device-tree library or the LSP client.
  { in: 'src/vscode/dtlib.ts', out: 'dist/extension-dtlib.js', external: ['vscode'] },
  { in: 'src/vscode/lsp-client.ts', out: 'dist/extension-lsp.js', external: ['vscode'] },
];

for (const e of entries) {
  if (!existsSync(e.in)) continue;
  await build({
    entryPoints: [e.in],
    outfile: e.out,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: true,
    external: e.external ?? [],
    banner: e.banner ? { js: e.banner } : undefined,
    logLevel: 'warning',
  });
  if (e.banner) chmodSync(e.out, 0o755);
}
