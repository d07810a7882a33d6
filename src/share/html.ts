// Self-contained HTML export: one file, no script, opens offline. Model text reaches the file only
// through React's escaping and KaTeX (trust:false); the file's own CSP forbids scripts and requests
// anyway, so a renderer bug still could not run code or call out.

import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { TranscriptBody } from './TranscriptBody.tsx';
import type { Transcript } from './transcript.ts';

export const EXPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; font-src data:; img-src data:; base-uri 'none'; form-action 'none'";

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

/** `css` is the app's stylesheet text. Every `<` becomes a CSS escape, so nothing in it can end the <style> element. */
export function toHtml(t: Transcript, css: string): string {
  const body = renderToStaticMarkup(createElement(TranscriptBody, { t, live: false }));
  const style = css.replace(/</g, '\\3c ');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${EXPORT_CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="generator" content="Ponder">
<title>${escapeHtml(t.title)}</title>
<style>${style}
body { height: auto; }
.thinking > summary { list-style: revert; cursor: pointer; }
</style>
</head>
<body>
<main>${body}</main>
</body>
</html>
`;
}
