// Webview safety: every page gets a Content-Security-Policy that allows only our own local scripts and styles
// (with a fresh nonce) and no network; every string that comes from a guest or a file is escaped.
import { randomBytes } from 'node:crypto';

export function nonce(): string {
  return randomBytes(18).toString('base64').replace(/[+/=]/g, '');
}

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESC[c]);
}

/** `cspSource` is the webview's own origin (webview.cspSource): local resources only. */
export function contentSecurityPolicy(cspSource: string, scriptNonce: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource} data:`,
    `style-src ${cspSource} 'nonce-${scriptNonce}'`,
    `script-src 'nonce-${scriptNonce}'`,
    `font-src ${cspSource}`,
  ].join('; ');
}

export interface PageParts {
  title: string;
  cspSource: string;
  nonce: string;
  styleUris: string[];
  scriptUris: string[];
  /** Already-escaped HTML. */
  body: string;
}

export function page(p: PageParts): string {
  const styles = p.styleUris.map((u) => `<link rel="stylesheet" href="${escapeHtml(u)}">`).join('\n');
  const scripts = p.scriptUris.map((u) => `<script nonce="${p.nonce}" src="${escapeHtml(u)}"></script>`).join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(p.cspSource, p.nonce)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${escapeHtml(p.title)}</title>
${styles}
</head>
<body>
${p.body}
${scripts}
</body>
</html>`;
}
