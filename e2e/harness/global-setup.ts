import { rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { build, preview, type PreviewServer } from 'vite';
import type { TestProject } from 'vitest/node';
import { generateFixtures } from '../../tools/fixture/generate.ts';

export const HUB_ROOT = resolve('.cache/hub');

declare module 'vitest' {
  export interface ProvidedContext {
    appUrl: string;
    hubRoot: string;
  }
}

let server: PreviewServer | null = null;

/** Once per e2e run: the fixture models, the production build, and a preview server for it. */
export async function setup(project: TestProject): Promise<void> {
  await generateFixtures(HUB_ROOT);
  await rm('dist', { recursive: true, force: true });
  await build({ logLevel: 'warn' });
  server = await preview({ preview: { host: '127.0.0.1', port: 0, strictPort: false }, logLevel: 'warn' });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('vite preview did not report its URL');
  project.provide('appUrl', url.replace(/\/$/, ''));
  project.provide('hubRoot', HUB_ROOT);
}

export async function teardown(): Promise<void> {
  await server?.close();
}
