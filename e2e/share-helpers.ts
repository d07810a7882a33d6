// Helpers for the share and CSP e2e tests: a page watched from its first byte for CSP violations,
// dialogs (alert/confirm), the XSS canary and requests to the attacker URL.

import type { Browser, BrowserContext, Page } from 'playwright-core';

export interface Watched {
  context: BrowserContext;
  page: Page;
  requests: string[];
  dialogs: string[];
  errors: string[];
  /** CSP violations seen in the page so far (directive and blocked URI). */
  violations(): Promise<string[]>;
  /** Whether any payload set the canary. */
  pwned(): Promise<boolean>;
}

export async function openWatched(browser: Browser, url: string, options: { width?: number; colorScheme?: 'light' | 'dark' } = {}): Promise<Watched> {
  const context = await browser.newContext({
    viewport: { width: options.width ?? 1280, height: 900 },
    colorScheme: options.colorScheme ?? 'light',
    acceptDownloads: true,
  });
  // Before any page script: a CSP violation during the first load counts too.
  await context.addInitScript(() => {
    const w = window as unknown as { __csp: string[] };
    w.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => w.__csp.push(`${e.effectiveDirective} ${e.blockedURI}`));
  });
  const requests: string[] = [];
  const dialogs: string[] = [];
  const errors: string[] = [];
  context.on('request', (r) => requests.push(r.url()));
  const page = await context.newPage();
  page.on('dialog', (d) => {
    dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto(url);
  return {
    context,
    page,
    requests,
    dialogs,
    errors,
    violations: () => page.evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? []),
    pwned: () => page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned !== undefined),
  };
}

/** Reads a download triggered by `click` as text. */
export async function downloadText(page: Page, click: () => Promise<void>): Promise<{ name: string; text: string; path: string }> {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  const path = await download.path();
  const { readFile } = await import('node:fs/promises');
  return { name: download.suggestedFilename(), text: await readFile(path, 'utf8'), path };
}
