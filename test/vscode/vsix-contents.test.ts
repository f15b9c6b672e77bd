// The packaged .vsix (vsce, as `npm run package` makes it) holds only what runs: the bundles, the grammar,
// the webview media and the metadata; no sources, tests, source maps or node_modules. And what runs is all
// there: every file package.json and the code point to, and no bundle requires a package left out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readZipEntries } from './support/zip';

const repo = join(__dirname, '..', '..');
const BUNDLES = ['extension.js', 'adapter.js', 'dts-server.js', 'extension-dtlib.js', 'extension-lsp.js'];

function packageVsix(dir: string): string {
  const out = join(dir, 'xenarm.vsix');
  const vsce = join(repo, 'node_modules', '@vscode', 'vsce', 'vsce');
  const r = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '-o', out], { cwd: repo, encoding: 'utf8' });
  assert.equal(r.status, 0, `vsce package failed:\n${r.stdout}\n${r.stderr}`);
  return out;
}

test('the .vsix holds the bundles, grammar, media and metadata, and nothing else', (t) => {
  if (!BUNDLES.every((b) => existsSync(join(repo, 'dist', b)))) {
    if (process.env.CI) assert.fail('dist/ bundles missing: npm test builds them first');
    t.skip('dist/ not built (run npm run build)');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'xenarm-vsix-'));
  try {
    const entries = readZipEntries(readFileSync(packageVsix(dir)));
    const names = entries.map((e) => e.name);
    const files = names.filter((n) => n.startsWith('extension/')).map((n) => n.slice('extension/'.length));

    // Nothing that does not run.
    const forbidden = files.filter((f) => /\.ts$|\.map$|^(src|test|bench|scripts|sample|node_modules|docs|\.cache|test-output)\/|(^|\/)\.|tsconfig|\.vsix$/.test(f));
    assert.deepEqual(forbidden, [], `files in the .vsix that do not run: ${forbidden.join(', ')}`);
    const allowed = /^(package\.json|readme\.md|LICENSE(\.txt)?|dist\/[a-z-]+\.js|syntaxes\/[A-Za-z.-]+\.json|media\/[a-z.-]+\.(js|css))$/i;
    const unexpected = files.filter((f) => !allowed.test(f));
    assert.deepEqual(unexpected, [], `unexpected files in the .vsix: ${unexpected.join(', ')}`);
    // No CLI bundle: the extension does not run it.
    assert.ok(!files.includes('dist/cli.js'), 'dist/cli.js is packaged');
    // The VSIX envelope vsce writes.
    assert.ok(names.includes('extension.vsixmanifest') && names.includes('[Content_Types].xml'), names.join(', '));

    // Everything package.json and the code point to is inside.
    const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));
    const strip = (p: string) => p.replace(/^\.\//, '');
    const needed = [
      strip(pkg.main),
      ...pkg.contributes.debuggers.map((d: { program: string }) => strip(d.program)),
      ...pkg.contributes.grammars.map((g: { path: string }) => strip(g.path)),
      ...pkg.contributes.languages.map((l: { configuration: string }) => strip(l.configuration)),
      ...BUNDLES.map((b) => `dist/${b}`),
      'media/preview.css',
      'media/preview.js',
      'media/dtb-viewer.js',
    ];
    for (const f of needed) assert.ok(files.includes(f), `${f} is missing from the .vsix`);

    // Bundles are self-contained: they require only Node's built-ins, vscode, and each other.
    const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
    for (const b of BUNDLES) {
      const code = readFileSync(join(repo, 'dist', b), 'utf8');
      const required = [...code.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]);
      const outside = required.filter((r) => r !== 'vscode' && !builtins.has(r) && !r.startsWith('./'));
      assert.deepEqual([...new Set(outside)], [], `dist/${b} requires packages that are not in the .vsix`);
    }
    // Compressed size stays small: everything is bundled and minified (~635 KB at the last count).
    const size = readFileSync(join(dir, 'xenarm.vsix')).length;
    assert.ok(size < 4 << 20, `.vsix is ${size} bytes`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
