/// <reference types="vite-plugin-pwa/vanillajs" />

/** Set by `define` in vite.config.ts: the deployment's version (package version or PONDER_BUILD_ID). */
declare const __PONDER_BUILD_ID__: string;
