// Child process of otel-loading.test.ts: builds the app in sandbox mode (the in-process
// emulator), answers one query and closes; OTEL_EXPORTER_OTLP_ENDPOINT as its argument, if any.
import { createApp } from '../../../src/app.js';
import { loadSettings } from '../../../src/settings.js';

const endpoint = process.argv[2];
const app = await createApp(
  loadSettings({
    LOG_LEVEL: 'silent',
    ...(endpoint ? { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint } : {}),
  }),
  { redirectUri: 'http://127.0.0.1/oauth/callback', sandbox: { name: 'doctor', scale: 0.05 } },
);
const response = await app.gateway.fetch('http://127.0.0.1/graphql', {
  method: 'POST',
  headers: { 'content-type': 'application/json', authorization: `Bearer ${app.developmentKey}` },
  body: JSON.stringify({ query: '{ products(first: 1) { totalCount } }' }),
});
process.stdout.write(`${response.status} ${await response.text()}\n`);
await app.close();
// At once: the OTLP exporter's keep-alive socket would hold the process until the collector drops it.
process.exit(0);
