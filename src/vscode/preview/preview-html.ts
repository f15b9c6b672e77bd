// The DTS preview's content: the compiled tree's problems, a picture of its address map (one bar per reg
// region on a compressed address axis, overlaps marked), the interrupt routing, and the compiled tree as
// dtc prints it. Everything from the file is escaped; the result is plain HTML + SVG with no script.
import { escapeHtml } from '../webview/html';
import { formatSize } from '../devicetree/dt-outline';

export interface PreviewRegion {
  path: string;
  index: number;
  cpuAddress: bigint | undefined;
  busAddress: bigint;
  size: bigint;
  overlapsWith: string[];
}

export interface PreviewInterrupt {
  path: string;
  index: number;
  controllerPath: string | undefined;
  specifier: number[];
  via: string[];
}

export interface PreviewModel {
  file: string;
  diagnostics: { severity: 'error' | 'warning'; message: string; where: string; check?: string }[];
  regions: PreviewRegion[];
  interrupts: PreviewInterrupt[];
  /** The compiled tree printed as DTS, absent when it did not compile. */
  dts?: string;
}

const hex = (v: bigint) => `0x${v.toString(16)}`;
const ROW = 22;
const LABEL_W = 300;
const BAR_W = 420;

/** Bars on a compressed axis: each distinct region boundary gets its own column, so 4 KiB and 1 GiB regions are both visible. */
export function addressMapSvg(regions: PreviewRegion[]): string {
  const placed = regions.filter((r) => r.cpuAddress !== undefined && r.size > 0n) as (PreviewRegion & { cpuAddress: bigint })[];
  if (placed.length === 0) return '<p class="empty">No translatable reg regions.</p>';
  const bounds = [...new Set(placed.flatMap((r) => [r.cpuAddress, r.cpuAddress + r.size]))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const col = new Map(bounds.map((b, i) => [b, i]));
  const unit = BAR_W / Math.max(1, bounds.length - 1);
  const h = placed.length * ROW + 10;
  const rows = placed.map((r, i) => {
    const x0 = LABEL_W + col.get(r.cpuAddress)! * unit;
    const x1 = LABEL_W + col.get(r.cpuAddress + r.size)! * unit;
    const y = i * ROW + 4;
    const cls = r.overlapsWith.length ? 'region overlap' : 'region';
    const name = r.index > 0 ? `${r.path}#${r.index}` : r.path;
    const tip = `${name}: ${hex(r.cpuAddress)}..${hex(r.cpuAddress + r.size - 1n)} (${formatSize(r.size)})${r.overlapsWith.length ? ` overlaps ${r.overlapsWith.join(', ')}` : ''}`;
    return `<g class="${cls}"><title>${escapeHtml(tip)}</title>` +
      `<text x="0" y="${y + 14}" class="addr">${escapeHtml(hex(r.cpuAddress))}</text>` +
      `<text x="110" y="${y + 14}" class="name">${escapeHtml(name.length > 30 ? `…${name.slice(-29)}` : name)}</text>` +
      `<rect x="${x0.toFixed(1)}" y="${y}" width="${Math.max(2, x1 - x0).toFixed(1)}" height="${ROW - 6}" rx="2"></rect>` +
      `<text x="${(LABEL_W + BAR_W + 8).toFixed(0)}" y="${y + 14}" class="size">${escapeHtml(formatSize(r.size))}${r.overlapsWith.length ? ' ⚠ overlap' : ''}</text></g>`;
  });
  return `<svg class="addrmap" role="img" aria-label="Address map" width="100%" viewBox="0 0 ${LABEL_W + BAR_W + 140} ${h}">${rows.join('')}</svg>`;
}

export function interruptTable(irqs: PreviewInterrupt[]): string {
  if (irqs.length === 0) return '<p class="empty">No interrupts.</p>';
  const rows = irqs.map((i) =>
    `<tr><td>${escapeHtml(i.index > 0 ? `${i.path}#${i.index}` : i.path)}</td><td>&lt;${escapeHtml(i.specifier.map((c) => `0x${(c >>> 0).toString(16)}`).join(' '))}&gt;</td>` +
    `<td>${escapeHtml(i.controllerPath ?? '(none)')}</td><td>${escapeHtml(i.via.join(' → '))}</td></tr>`);
  return `<table class="irqs"><thead><tr><th>device</th><th>specifier</th><th>controller</th><th>via interrupt-map</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

export function previewBody(m: PreviewModel): string {
  const errors = m.diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = m.diagnostics.length - errors;
  const diag = m.diagnostics.length
    ? `<ul class="diags">${m.diagnostics.map((d) => `<li class="${d.severity}">${escapeHtml(d.where)}: ${d.severity}${d.check ? ` (${escapeHtml(d.check)})` : ''}: ${escapeHtml(d.message)}</li>`).join('')}</ul>`
    : '';
  const overlaps = m.regions.filter((r) => r.overlapsWith.length).length;
  return `<header><h1>${escapeHtml(m.file)}</h1><p class="summary">${errors} error(s), ${warnings} warning(s); ${m.regions.length} region(s)${overlaps ? `, ${overlaps} overlapping` : ''}; ${m.interrupts.length} interrupt(s)</p>${diag}</header>
<section id="address-map"><h2>Address map</h2>${addressMapSvg(m.regions)}</section>
<section id="interrupts"><h2>Interrupt routing</h2>${interruptTable(m.interrupts)}</section>
<section id="tree"><h2>Compiled tree</h2>${m.dts === undefined ? '<p class="empty">The source does not compile; see the problems above.</p>' : `<pre class="dts">${escapeHtml(m.dts)}</pre>`}</section>`;
}
