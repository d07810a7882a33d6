/**
 * CLI: `npx tsx tools/hub/serve.ts [--root .cache/hub] [--port 8181] [--host 127.0.0.1]`.
 * Prints the hub's URL as the first line on stdout; runs until SIGINT/SIGTERM.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startHub } from './server.ts';

const { values } = parseArgs({
  options: {
    root: { type: 'string', default: '.cache/hub' },
    port: { type: 'string', default: '8181' },
    host: { type: 'string', default: '127.0.0.1' },
  },
});

const root = resolve(values.root);
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`Bad --port: ${values.port}`);
  process.exit(2);
}
if (!existsSync(root)) console.error(`warning: ${root} does not exist yet; every request will 404 until it does`);

const hub = await startHub({ root, port, host: values.host });
console.log(hub.url);
console.error(`serving ${root} (control: ${hub.url}/__control/faults, ${hub.url}/__control/requests)`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void hub.close().then(() => process.exit(0));
  });
}
