const channel = new MessageChannel();
const waiting: Array<() => void> = [];
channel.port1.onmessage = () => waiting.shift()?.();
// In Node (tests) an open port would keep the process alive; browsers have no unref.
for (const port of [channel.port1, channel.port2]) (port as { unref?: () => void }).unref?.();

/**
 * Lets queued messages (Stop) run. On WASM, session.run resolves through microtasks only, so a
 * generate() loop never returns to the event loop and an interrupt would wait for the whole
 * reply. A MessageChannel round trip is a macrotask without setTimeout's 4 ms clamp.
 */
export function yieldToEvents(): Promise<void> {
  return new Promise((resolve) => {
    waiting.push(resolve);
    channel.port2.postMessage(null);
  });
}
