// Bundles each entry point with esbuild into dist/. Entries whose source does not exist yet are skipped.
import { build } from 'esbuild';
import { existsSync, chmodSync } from 'node:fs';
import { join, dirname } from 'node:path';

// While the project grows, a subcommand whose module is not written yet builds into one that says so,
// instead of breaking the whole bundle.
const missingCommands = {
  name: 'missing-commands',
  setup(b) {
    b.onResolve({ filter: /^\.\/cmd-[a-z-]+$/ }, (args) => {
      const file = join(args.resolveDir, args.path + '.ts');
      if (existsSync(file)) return undefined;
      return { path: args.path, namespace: 'missing-command' };
    });
    b.onLoad({ filter: /.*/, namespace: 'missing-command' }, (args) => ({
      contents: `export async function run() { process.stderr.write("xenarm: '${args.path.slice(6)}' is not part of this build\\n"); return 70; }`,
      loader: 'js',
    }));
  },
};

const entries = [
  { in: 'src/cli/main.ts', out: 'dist/cli.js', banner: '#!/usr/bin/env node' },
  { in: 'src/debug/adapter-main.ts', out: 'dist/adapter.js' },
  { in: 'src/dts-server/main.ts', out: 'dist/dts-server.js' },
  { in: 'src/vscode/extension.ts', out: 'dist/extension.js', external: ['vscode'] },
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
    plugins: [missingCommands],
  });
  if (e.banner) chmodSync(e.out, 0o755);
}
