// The unit-test config has no `define`, so the constant may be missing outside a Vite build.
export const BUILD_ID: string = typeof __PONDER_BUILD_ID__ === 'string' ? __PONDER_BUILD_ID__ : 'dev';
