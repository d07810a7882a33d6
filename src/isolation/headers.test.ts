import { describe, expect, it } from 'vitest';
import { isolationHeaders, supportsCredentialless } from './headers';

const UA = {
  chrome: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  headless: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/140.0.0.0 Safari/537.36',
  oldChrome: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/95.0.4638.69 Safari/537.36',
  edge: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 Edg/130.0.0.0',
  firefox: 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
  oldFirefox: 'Mozilla/5.0 (X11; Linux x86_64; rv:115.0) Gecko/20100101 Firefox/115.0',
  safari: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
  iosChrome: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0.6778.73 Mobile/15E148 Safari/604.1',
  iosFirefox: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) FxiOS/133.0 Mobile/15E148 Safari/605.1.15',
};

describe('cross-origin isolation headers', () => {
  it('use COEP credentialless where the engine supports it (Chromium 96+, Firefox 119+)', () => {
    for (const ua of [UA.chrome, UA.headless, UA.edge, UA.firefox]) expect(supportsCredentialless(ua), ua).toBe(true);
  });

  it('fall back to require-corp for Safari, every iOS browser (WebKit), older engines and unknown agents', () => {
    for (const ua of [UA.oldChrome, UA.oldFirefox, UA.safari, UA.iosChrome, UA.iosFirefox, '']) {
      expect(isolationHeaders(ua)['Cross-Origin-Embedder-Policy'], ua).toBe('require-corp');
    }
  });

  it('always pair COEP with COOP same-origin', () => {
    expect(isolationHeaders(UA.firefox)).toEqual({ 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'credentialless' });
    expect(isolationHeaders(UA.safari)['Cross-Origin-Opener-Policy']).toBe('same-origin');
  });
});
