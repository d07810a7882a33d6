/**
 * CLI: `npx tsx tools/engines/serve.ts --engine vllm [--reply vllm-both-fields] [--port 8000]
 *   [--origins http://127.0.0.1:4173,...] [--api-key KEY] [--first-byte-ms N] [--event-ms N] [--drop-after N]`.
 * Prints the server's URL as the first line on stdout; runs until SIGINT/SIGTERM.
 */
import { parseArgs } from 'node:util';
import { FIXTURES, type FixtureName } from '../../src/remote/fixtures.ts';
import { PRESETS, type EngineId } from '../../src/remote/presets.ts';
import { startEngineServer, type EngineFaults } from './server.ts';

const { values } = parseArgs({
  options: {
    engine: { type: 'string', default: 'vllm' },
    reply: { type: 'string' },
    port: { type: 'string', default: '0' },
    host: { type: 'string', default: '127.0.0.1' },
    origins: { type: 'string' },
    'api-key': { type: 'string' },
    'first-byte-ms': { type: 'string' },
    'event-ms': { type: 'string' },
    'drop-after': { type: 'string' },
  },
});

const engine = values.engine as EngineId;
if (!(engine in PRESETS)) {
  console.error(`Unknown --engine ${values.engine}; one of ${Object.keys(PRESETS).join(', ')}`);
  process.exit(2);
}
if (values.reply !== undefined && !(values.reply in FIXTURES)) {
  console.error(`Unknown --reply ${values.reply}; one of ${Object.keys(FIXTURES).join(', ')}`);
  process.exit(2);
}
const faults: EngineFaults = {};
if (values['first-byte-ms']) faults.firstByteDelayMs = Number(values['first-byte-ms']);
if (values['event-ms']) faults.eventDelayMs = Number(values['event-ms']);
if (values['drop-after']) faults.dropAfterEvents = Number(values['drop-after']);

const server = await startEngineServer({
  engine,
  port: Number(values.port),
  host: values.host,
  faults,
  ...(values.reply ? { reply: values.reply as FixtureName } : {}),
  ...(values.origins ? { allowedOrigins: values.origins.split(',') } : {}),
  ...(values['api-key'] ? { apiKey: values['api-key'] } : {}),
});
console.log(server.url);
console.error(`${PRESETS[engine].label} stand-in (control: POST ${server.url}/__control, GET ${server.url}/__control/requests)`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    void server.close().then(() => process.exit(0));
  });
}
