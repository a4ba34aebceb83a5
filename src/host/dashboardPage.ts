/**
 * The dashboard's page: an empty `#app` the bundle fills in, the stylesheets and the scripts, under a
 * strict Content Security Policy (nothing but our own nonce-tagged scripts; styles, images and fonts only
 * from where the webview may load them). One function for the VS Code panel (dashboardPanel.ts) and the
 * preview harness (scripts/preview/), so the harness tests the page users get. No `vscode` import.
 */
import { randomBytes } from 'node:crypto';

export interface DashboardPageParts {
  /** Where styles, images and fonts may come from (`webview.cspSource`; the preview server's origin). */
  cspSource: string;
  /** The page's language (`vscode.env.language`). */
  language: string;
  title: string;
  /** Stylesheets, in order. */
  styles: string[];
  /** Scripts, in order (the dashboard bundle last). */
  scripts: string[];
  /** The body's class (VS Code sets its own theme class; the preview names one). */
  bodyClass?: string;
  /** Fixed for tests; a fresh, unguessable one per page load otherwise. */
  nonce?: string;
}

/** The Content Security Policy of a page whose scripts and styles carry `nonce`. */
export function dashboardCsp(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource} data: blob:`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `script-src 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
  ].join('; ');
}

export function dashboardPageHtml(parts: DashboardPageParts): string {
  const nonce = parts.nonce ?? randomBytes(18).toString('hex');
  const styles = parts.styles.map((href) => `  <link rel="stylesheet" href="${escapeAttribute(href)}" nonce="${nonce}">`).join('\n');
  const scripts = parts.scripts.map((src) => `  <script nonce="${nonce}" src="${escapeAttribute(src)}"></script>`).join('\n');
  const bodyClass = parts.bodyClass === undefined ? '' : ` class="${escapeAttribute(parts.bodyClass)}"`;
  return `<!DOCTYPE html>
<html lang="${escapeAttribute(parts.language)}">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${escapeAttribute(dashboardCsp(parts.cspSource, nonce))}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
${styles}
  <title>${escapeText(parts.title)}</title>
</head>
<body${bodyClass}>
  <div id="app"></div>
${scripts}
</body>
</html>`;
}

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeAttribute(text: string): string {
  return escapeText(text).replace(/"/g, '&quot;');
}
