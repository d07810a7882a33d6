/**
 * The response headers that make a page cross-origin isolated, so ONNX Runtime gets SharedArrayBuffer
 * and runs WebAssembly on several threads. One definition for the dev and preview servers
 * (vite.config.ts) and the service worker (src/pwa/sw.ts), which adds them where a host cannot.
 *
 * COEP `credentialless` lets cross-origin no-cors loads through without credentials; `require-corp`
 * would demand a CORP header on each. Ponder makes none today (the hub and servers are fetched with
 * CORS, which both allow), but `credentialless` keeps that true for whatever a host adds. Browsers
 * that do not know it ignore the header, so they get `require-corp`, which all of them support.
 */
export type IsolationHeaders = Record<'Cross-Origin-Opener-Policy' | 'Cross-Origin-Embedder-Policy', string>;

/**
 * Chromium 96 and Firefox 119 shipped COEP: credentialless; Safari (and every iOS browser, WebKit
 * underneath, whose tokens are CriOS/FxiOS rather than Chrome/Firefox) has not.
 */
export function supportsCredentialless(userAgent: string): boolean {
  const chromium = /\b(?:Chrome|Chromium|HeadlessChrome)\/(\d+)/.exec(userAgent);
  if (chromium) return Number(chromium[1]) >= 96;
  const firefox = /\bFirefox\/(\d+)/.exec(userAgent);
  return firefox ? Number(firefox[1]) >= 119 : false;
}

export function isolationHeaders(userAgent: string): IsolationHeaders {
  return {
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Embedder-Policy': supportsCredentialless(userAgent) ? 'credentialless' : 'require-corp',
  };
}
