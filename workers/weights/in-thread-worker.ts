// Test support: the browser's module Worker, for Node, running file-hash.worker.ts in this thread.
// Messages pass through structuredClone (transfers detach, as between threads) and arrive as later
// tasks. One at a time: the worker module's `self` is the global one.
import { vi } from 'vitest';

export class InThreadWorker {
  onmessage: ((event: MessageEvent) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  terminated = false;
  private readonly scope: { onmessage: ((event: { data: unknown }) => void) | null; postMessage: (message: unknown) => void } = {
    onmessage: null,
    postMessage: (message) => {
      const copy = structuredClone(message);
      setTimeout(() => this.terminated || this.onmessage?.({ data: copy } as MessageEvent));
    },
  };
  private readonly loaded: Promise<unknown>;

  constructor(url: URL) {
    if (!url.pathname.endsWith('/file-hash.worker.ts')) throw new Error(`no in-thread stand-in for ${url.pathname}`);
    vi.stubGlobal('self', this.scope);
    vi.resetModules();
    this.loaded = import('./file-hash.worker');
  }

  postMessage(message: unknown, transfer: Transferable[] = []): void {
    const copy = structuredClone(message, { transfer });
    void this.loaded.then(() => setTimeout(() => this.terminated || this.scope.onmessage?.({ data: copy })));
  }

  terminate(): void {
    this.terminated = true;
  }
}
