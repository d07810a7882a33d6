import { defineConfig } from 'vitest/config';

// End-to-end tests: the production build in Debian's Chromium, fixture models from a local hub.
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.ts'],
    globalSetup: ['e2e/harness/global-setup.ts'],
    environment: 'node',
    // One Chromium at a time: two cores, and WebGPU on SwiftShader is CPU-bound.
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
