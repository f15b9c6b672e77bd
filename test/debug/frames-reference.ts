// readelf --debug-dump=frames-interp as the reference for the call-frame decoder: its FDEs and rule
// rows, and ours printed in the same shape (shared by the .debug_frame and .eh_frame tests).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import type { RegRule, CfaRule, Fde } from '../../src/debug/dwarf/frame';
import { CROSS } from '../support/tools';

const READELF = CROSS.readelf;

export const cfaText = (c: CfaRule) => (c.kind === 'regOffset' ? `r${c.reg}+${c.offset}` : 'exp');
export function ruleText(r: RegRule | undefined): string {
  if (!r || r.kind === 'undefined') return 'u';
  switch (r.kind) {
    case 'same': return 's';
    case 'offset': return `c${r.offset >= 0 ? '+' : ''}${r.offset}`;
    case 'valOffset': return `v${r.offset >= 0 ? '+' : ''}${r.offset}`;
    case 'register': return `r${r.reg}`;
    case 'expression': return 'exp';
    case 'valExpression': return 'vexp';
  }
}

/** Our FDEs in readelf's shape: header, then rows of "loc cfa rules…" over the columns readelf chose. */
export function ours(fde: Fde, columns: string[]): string[] {
  const out = [`FDE ${fde.offset.toString(16)} pc=${fde.pcBegin.toString(16)}..${fde.pcEnd.toString(16)}`];
  for (const row of fde.rows) {
    const cells = columns.map((c) => ruleText(row.regs.get(c === 'ra' ? fde.cie.raReg : Number(c.slice(1)))));
    out.push([row.loc.toString(16).padStart(8, '0'), cfaText(row.cfa), ...cells].join(' '));
  }
  return out;
}

export function readelfFdes(elf: string): { lines: string[]; columns: string[] }[] {
  const r = spawnSync(READELF, ['--debug-dump=frames-interp', elf], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const fdes: { lines: string[]; columns: string[] }[] = [];
  let cur: { lines: string[]; columns: string[] } | null = null;
  for (const l of r.stdout.split('\n')) {
    const h = /^([0-9a-f]{8}) [0-9a-f]{8,16} [0-9a-f]{8,16} FDE cie=[0-9a-f]+ pc=([0-9a-f]+)\.\.([0-9a-f]+)/.exec(l);
    if (h) { cur = { lines: [`FDE ${parseInt(h[1], 16).toString(16)} pc=${parseInt(h[2], 16).toString(16)}..${parseInt(h[3], 16).toString(16)}`], columns: [] }; fdes.push(cur); continue; }
    if (/CIE/.test(l)) { cur = null; continue; }
    if (!cur) continue;
    if (/^\s+LOC\s+CFA/.test(l)) { cur.columns = l.trim().split(/\s+/).slice(2); continue; }
    if (/^[0-9a-f]{8} /.test(l)) cur.lines.push(l.trim().split(/\s+/).join(' '));
  }
  return fdes;
}
