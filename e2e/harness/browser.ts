import { chromium, type Browser, type BrowserContext, type Page, type Request } from 'playwright-core';

// Debian's Chromium; WebGPU runs on SwiftShader (CPU) here. The background-networking flags keep
// Chromium itself from calling home, so any request we see came from the app.
const ARGS = [
  '--enable-unsafe-webgpu',
  '--use-webgpu-adapter=swiftshader',
  '--no-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Launch options shared by every test browser, including persistent-profile ones. */
export const LAUNCH_OPTIONS = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  headless: true,
  args: ARGS,
};

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch(LAUNCH_OPTIONS);
}

export interface Session {
  context: BrowserContext;
  page: Page;
  /** Every URL the page or its workers requested. */
  requests: string[];
  /** Console errors and uncaught page errors, for failure messages. */
  errors: string[];
}

export async function openSession(
  browser: Browser,
  url: string,
  options: { width?: number; height?: number; colorScheme?: 'light' | 'dark'; serviceWorkers?: 'allow' | 'block' } = {},
): Promise<Session> {
  const context = await browser.newContext({
    viewport: { width: options.width ?? 1280, height: options.height ?? 900 },
    colorScheme: options.colorScheme ?? 'light',
    serviceWorkers: options.serviceWorkers ?? 'allow',
  });
  const requests: string[] = [];
  const errors: string[] = [];
  // Context-level events include dedicated workers' fetches, so the model download is seen too.
  context.on('request', (r: Request) => requests.push(r.url()));
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto(url);
  return { context, page, requests, errors };
}

/** The URLs that left the machine: anything but loopback, data: and blob:. */
export function externalRequests(requests: readonly string[]): string[] {
  return requests.filter((u) => {
    if (u.startsWith('data:') || u.startsWith('blob:')) return false;
    const host = new URL(u).hostname;
    return host !== '127.0.0.1' && host !== 'localhost' && host !== '[::1]';
  });
}
