import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, openSession } from './harness/browser';
import { launchProfile, waitForServiceWorkerControl } from './pwa-support';

interface ManifestIcon {
  src: string;
  sizes: string;
  type: string;
  purpose?: string;
}

describe('installable app', () => {
  let profile: Awaited<ReturnType<typeof launchProfile>>;

  beforeAll(async () => {
    profile = await launchProfile();
  });

  afterAll(async () => {
    await profile?.close();
  });

  it('links a valid manifest, is controlled by the service worker, and Chromium finds it installable', async () => {
    const appUrl = inject('appUrl');
    const { context } = profile;
    const page = await context.newPage();
    await page.goto(appUrl);

    const href = await page.locator('link[rel="manifest"]').getAttribute('href');
    expect(href).toBe('/manifest.webmanifest');
    const manifest = await page.evaluate(async (url) => {
      const response = await fetch(url);
      return { type: response.headers.get('content-type'), body: (await response.json()) as Record<string, unknown> };
    }, href!);
    expect(manifest.body).toMatchObject({
      name: expect.stringContaining('Ponder'),
      short_name: 'Ponder',
      description: expect.stringMatching(/\S/),
      start_url: '/',
      scope: '/',
      display: 'standalone',
      theme_color: expect.stringMatching(/^#[0-9a-f]{6}$/i),
      background_color: expect.stringMatching(/^#[0-9a-f]{6}$/i),
    });

    // Every PNG icon is served, is a PNG, and has the size the manifest claims; a maskable one exists.
    const icons = manifest.body.icons as ManifestIcon[];
    const pngs = icons.filter((i) => i.type === 'image/png');
    expect(pngs.map((i) => i.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']));
    expect(pngs.some((i) => i.purpose === 'maskable' && i.sizes === '512x512')).toBe(true);
    for (const icon of pngs) {
      const actual = await page.evaluate(async (src) => {
        const blob = await (await fetch(src)).blob();
        const bitmap = await createImageBitmap(blob);
        return { type: blob.type, sizes: `${bitmap.width}x${bitmap.height}` };
      }, icon.src);
      expect(actual, icon.src).toEqual({ type: 'image/png', sizes: icon.sizes });
    }

    expect(await waitForServiceWorkerControl(page)).toBe(`${appUrl}/sw.js`);

    const cdp = await context.newCDPSession(page);
    const parsed = (await cdp.send('Page.getAppManifest')) as { url: string; errors: unknown[] };
    expect(parsed.url).toBe(`${appUrl}/manifest.webmanifest`);
    expect(parsed.errors).toEqual([]);
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    expect(installabilityErrors).toEqual([]);

    // A real profile gets Chromium's install offer, which the sidebar turns into a button.
    await page.getByRole('button', { name: 'Install Ponder' }).waitFor();
  });

  it('explains how to install where the browser makes no offer', async () => {
    // The harness's fresh contexts are incognito-like: Chromium offers no install there.
    const browser = await launchBrowser();
    try {
      const { page } = await openSession(browser, inject('appUrl'));
      await page.getByText('Install as an app').click();
      expect(await page.getByText('Share → Add to Home Screen').isVisible()).toBe(true);
      expect(await page.getByRole('button', { name: 'Install Ponder' }).count()).toBe(0);
    } finally {
      await browser.close();
    }
  });
});
