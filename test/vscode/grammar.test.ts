// The DTS TextMate grammar, run through VS Code's own tokenizer (vscode-textmate with the
// oniguruma regex engine VS Code uses): each construct gets its scope, and nothing in a realistic
// file is left without one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vsctm from 'vscode-textmate';
import * as oniguruma from 'vscode-oniguruma';

const root = join(__dirname, '..', '..');

async function loadGrammar(): Promise<vsctm.IGrammar> {
  const wasm = readFileSync(join(root, 'node_modules', 'vscode-oniguruma', 'release', 'onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({ createOnigScanner: (p: string[]) => new oniguruma.OnigScanner(p), createOnigString: (s: string) => new oniguruma.OnigString(s) }),
    loadGrammar: async (scope) => (scope === 'source.dts' ? vsctm.parseRawGrammar(readFileSync(join(root, 'syntaxes', 'dts.tmLanguage.json'), 'utf8'), 'dts.tmLanguage.json') : null),
  });
  return (await registry.loadGrammar('source.dts'))!;
}

type Token = { text: string; scopes: string[]; line: number };

function tokenize(grammar: vsctm.IGrammar, text: string): Token[] {
  let state = vsctm.INITIAL;
  const out: Token[] = [];
  text.split('\n').forEach((line, n) => {
    const r = grammar.tokenizeLine(line, state);
    for (const t of r.tokens) out.push({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes, line: n + 1 });
    state = r.ruleStack;
  });
  return out;
}

const grammarPromise = loadGrammar();
const sample = readFileSync(join(__dirname, 'fixtures', 'grammar-sample.dts'), 'utf8');

test('each DTS construct gets its scope', async () => {
  const tokens = tokenize(await grammarPromise, sample);
  const scopeOf = (text: string, line?: number) => {
    const t = tokens.find((x) => x.text.trim() === text && (line === undefined || x.line === line));
    assert.ok(t, `no token '${text}'`);
    return t.scopes[t.scopes.length - 1];
  };
  assert.equal(scopeOf('SPDX-License-Identifier: GPL-2.0'), 'comment.line.double-slash.dts');
  assert.equal(scopeOf('/dts-v1/'), 'keyword.other.directive.dts');
  assert.equal(scopeOf('include', 3), 'keyword.control.directive.include.dts');
  assert.equal(scopeOf('<dt-bindings/interrupt-controller/arm-gic.h>'), 'string.quoted.other.lt-gt.include.dts');
  assert.equal(scopeOf('UART_IRQ', 5), 'entity.name.function.preprocessor.dts');
  assert.equal(scopeOf('/memreserve/'), 'keyword.other.directive.dts');
  assert.equal(scopeOf('model'), 'variable.other.property.dts');
  assert.equal(scopeOf('#address-cells'), 'variable.other.property.dts');
  assert.equal(scopeOf('0x2'), 'constant.numeric.hex.dts');
  assert.equal(scopeOf('2', 10), 'constant.numeric.decimal.dts');
  assert.equal(scopeOf('gic', 14), 'entity.name.label.dts');
  assert.equal(scopeOf('interrupt-controller', 14), 'entity.name.tag.node.dts');
  assert.equal(scopeOf('3001000'), 'constant.numeric.unit-address.dts');
  assert.equal(scopeOf('gic', 12), 'variable.other.reference.label.dts');
  assert.equal(scopeOf('distributor'), 'comment.block.dts');
  assert.equal(scopeOf('interrupt-controller', 18), 'variable.other.property.dts');
  assert.equal(scopeOf('GIC_SPI'), 'support.constant.macro.dts');
  assert.equal(scopeOf('-', 23), 'keyword.operator.dts');
  assert.equal(scopeOf('55'), 'constant.numeric.hex.dts');
  assert.equal(scopeOf('/chosen'), 'string.unquoted.path.dts');
  assert.equal(scopeOf('/bits/'), 'keyword.other.directive.dts');
  assert.equal(scopeOf("'a'"), 'constant.character.dts');
  assert.equal(scopeOf('\\n'), 'constant.character.escape.dts');
  assert.equal(scopeOf('uart0', 31), 'variable.other.reference.label.dts');
  assert.equal(scopeOf('/delete-property/'), 'keyword.other.directive.dts');
  assert.equal(scopeOf('/delete-node/'), 'keyword.other.directive.dts');
});

test('no visible character of a realistic file is left unscoped', async () => {
  const tokens = tokenize(await grammarPromise, sample);
  const bare = tokens.filter((t) => t.text.trim() !== '' && t.scopes.length === 1);
  assert.deepEqual(bare.map((t) => `${t.line}: ${JSON.stringify(t.text)}`), []);
});

test('the language configuration is valid and pairs the DTS brackets', () => {
  const conf = JSON.parse(readFileSync(join(root, 'syntaxes', 'dts.language-configuration.json'), 'utf8'));
  assert.deepEqual(conf.comments, { lineComment: '//', blockComment: ['/*', '*/'] });
  assert.ok(conf.brackets.some((b: string[]) => b[0] === '<' && b[1] === '>'));
  assert.ok(new RegExp(conf.folding.markers.start).test('\tnode@0 {'));
  assert.ok(new RegExp(conf.folding.markers.end).test('\t};'));
});
