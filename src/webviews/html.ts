import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

/**
 * The page of a panel: a strict CSP (no inline script or style, no eval), one nonce per render
 * from the OS CSPRNG, scripts and styles only from the extension's dist/webview folder.
 * Lit (under @vscode-elements/elements) styles its shadow roots with adoptedStyleSheets and sets
 * inline styles through CSSOM (`.style=` property bindings), neither of which CSP's style-src
 * governs, so 'unsafe-inline' is not needed.
 */
export function pageHtml(webview: vscode.Webview, extensionUri: vscode.Uri, page: string, title: string): string {
  const nonce = randomBytes(16).toString('base64');
  const asset = (file: string) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', file)).toString();
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${webview.cspSource} 'nonce-${nonce}'`,
    `font-src ${webview.cspSource}`,
    `img-src ${webview.cspSource}`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="${escapeAttr(vscode.env.language)}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${asset('codicons.css')}" nonce="${nonce}" id="vscode-codicon-stylesheet">
<link rel="stylesheet" href="${asset('webview.css')}" nonce="${nonce}">
<title>${escapeText(title)}</title>
</head>
<body>
<main id="app" aria-busy="true"></main>
<script type="module" nonce="${nonce}" src="${asset(`${page}.js`)}"></script>
</body>
</html>`;
}

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    // Forms keep their state in the page while hidden (a reload restores from vscode.setState).
    retainContextWhenHidden: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview')],
    enableFindWidget: true,
  };
}

function escapeAttr(s: string): string {
  return s.replace(/[&"<>]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function escapeText(s: string): string {
  return s.replace(/[&<>]/g, (c) => `&#${c.charCodeAt(0)};`);
}
