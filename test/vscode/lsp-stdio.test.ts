// The bundled language server (dist/dts-server.js) spoken to over stdio as any LSP editor would: it announces
// its capabilities, publishes dtc's diagnostics on open and after each edit, and answers the requests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspProcess } from './support/lsp-stdio';

const dist = join(__dirname, '..', '..', 'dist', 'dts-server.js');
const dir = join(__dirname, 'fixtures', 'lsp');

test('dts-server over stdio: capabilities, diagnostics on open and edit, definition, hover, symbols, rename', async (t) => {
  if (!existsSync(dist)) {
    if (process.env.CI) assert.fail('dist/dts-server.js missing: npm test builds it first');
    t.skip('dist/dts-server.js not built (run npm run build)');
    return;
  }
  const lsp = new LspProcess(dist, { includePaths: [] });
  try {
    const init = await lsp.initialize(pathToFileURL(dir).toString());
    const caps = init.capabilities;
    for (const c of ['documentSymbolProvider', 'definitionProvider', 'referencesProvider', 'hoverProvider']) assert.equal(caps[c], true, c);
    assert.deepEqual(caps.renameProvider, { prepareProvider: true });
    assert.ok(caps.completionProvider.triggerCharacters.includes('&'));

    const uri = pathToFileURL(join(dir, 'broken-ref.dts')).toString();
    const text = readFileSync(join(dir, 'broken-ref.dts'), 'utf8');
    const first = lsp.next((m) => m.method === 'textDocument/publishDiagnostics' && m.params.uri === uri);
    lsp.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'dts', version: 1, text } });
    const d1 = (await first).params.diagnostics;
    const ref = d1.find((d: any) => d.code === 'phandle_references');
    assert.ok(ref, JSON.stringify(d1));
    assert.equal(ref.source, 'dtc');
    assert.match(ref.message, /Reference to non-existent node or label "missing_clock"/);
    // dtc: broken-ref.dts:13.15-18.4 -> 0-based line 12, character 14.
    assert.deepEqual(ref.range.start, { line: 12, character: 14 });

    // Fix the reference as a user would (an incremental edit): the error goes away.
    const line = text.split('\n').findIndex((l) => l.includes('&missing_clock'));
    const col = text.split('\n')[line].indexOf('&missing_clock');
    const second = lsp.next((m) => m.method === 'textDocument/publishDiagnostics' && m.params.uri === uri);
    lsp.notify('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ range: { start: { line, character: col }, end: { line, character: col + '&missing_clock'.length } }, text: '&intc' }] });
    const d2 = (await second).params.diagnostics;
    assert.equal(d2.filter((d: any) => d.code === 'phandle_references').length, 0, JSON.stringify(d2));

    const def = await lsp.request('textDocument/definition', { textDocument: { uri }, position: { line, character: col + 2 } });
    assert.deepEqual(def, [{ uri, range: { start: { line: 5, character: 1 }, end: { line: 5, character: 5 } } }]);
    const hover = await lsp.request('textDocument/hover', { textDocument: { uri }, position: { line, character: col + 2 } });
    assert.match(hover.contents.value, /\/interrupt-controller@8000000/);
    assert.match(hover.contents.value, /phandle: 1 \(0x1\)/);
    const syms = await lsp.request('textDocument/documentSymbol', { textDocument: { uri } });
    assert.deepEqual(syms[0].children.filter((s: any) => s.kind !== 7).map((s: any) => s.name), ['interrupt-controller@8000000', 'uart@9000000']);
    const rename = await lsp.request('textDocument/rename', { textDocument: { uri }, position: { line, character: col + 2 }, newName: 'gic' });
    assert.equal(rename.changes[uri].length, 3);
    await assert.rejects(lsp.request('textDocument/rename', { textDocument: { uri }, position: { line, character: col + 2 }, newName: '9x' }), /not a valid label/);
  } finally {
    await lsp.close();
  }
});
