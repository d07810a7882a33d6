// XSS payloads for the share tests (unit and e2e): each would set window.__pwned, call alert, or
// request the attacker URL if any of it ran or loaded.

export const STEAL = 'http://127.0.0.1:9/steal';

export const PAYLOADS: readonly string[] = [
  '<script>window.__pwned=1</script>',
  `<img src=x onerror="window.__pwned=1;alert(1)">`,
  `<svg onload="window.__pwned=1"><script>alert(1)</script></svg>`,
  `<svg><a xlink:href="javascript:window.__pwned=1"><text y="20">svg link</text></a></svg>`,
  `<math><mtext><table><mglyph><style><img src=x onerror="window.__pwned=1">`,
  `<math href="javascript:window.__pwned=1">click</math>`,
  '[click me](javascript:window.__pwned=1)',
  '[data link](data:text/html,<script>alert(1)</script>)',
  `<a href="javascript:alert(1)">html link</a>`,
  `![img](${STEAL}/img.png)`,
  `<img src="${STEAL}/raw.png">`,
  `<iframe src="${STEAL}/frame"></iframe>`,
  `<object data="${STEAL}/obj"></object>`,
  `<link rel="stylesheet" href="${STEAL}/css">`,
  `</style><script>window.__pwned=1</script><style>`,
  `<style>@import url(${STEAL}/import); body{background:url(${STEAL}/bg)}</style>`,
  `</textarea></title></details><script>alert(1)</script>`,
  `$\\href{javascript:window.__pwned=1}{x}$`,
  `$\\url{javascript:alert(1)}$`,
  `$\\htmlData{foo=bar}{x}$ $\\htmlClass{x}{y}$ $\\htmlStyle{background:url(${STEAL}/katex)}{z}$`,
  `$\\includegraphics[height=1em]{${STEAL}/graphic.png}$`,
  `$$\\href{${STEAL}/href}{\\text{steal}}$$`,
  `\\boxed{\\href{javascript:alert(1)}{5}}`,
  '<details open ontoggle="window.__pwned=1">',
  `" onmouseover="window.__pwned=1" x="`,
  `<meta http-equiv="refresh" content="0;url=${STEAL}/meta">`,
  `<base href="${STEAL}/">`,
  '{{constructor.constructor("window.__pwned=1")()}}',
];

export const PAYLOAD_TEXT = PAYLOADS.join('\n\n');
