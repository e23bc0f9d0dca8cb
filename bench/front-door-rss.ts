// `npx tsx bench/front-door-rss.ts`: the gateway's RSS before and after unauthenticated 24 MB
// bodies sent to path variants Yoga would once have served as GraphQL (issue 10: 10 such bodies
// took RSS from 281 to 635 MiB). Starts `npm start` in sandbox mode as its own process; prints,
// asserts nothing.
//
//   --bodies <n>      bodies per path (default 10)
//   --mb <n>          size of each body, MB (default 24)
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { freePort, type Service, startService } from './processes.js';

const MIB = 1024 * 1024;
const PATHS = ['/x/graphql', '/graphql/', '/healthz?a=/graphql', '/graphql'];

const { values } = parseArgs({
  options: { bodies: { type: 'string', default: '10' }, mb: { type: 'string', default: '24' } },
});
const bodies = Number(values.bodies);
const body = `{"query":"{ shops { id } }","variables":{"padding":"${'x'.repeat(Number(values.mb) * 1_000_000)}"}}`;

/** POSTs `body` without a credential; answers the status. */
function post(service: Service, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const url = new URL(service.url);
    const outgoing = request(
      {
        host: url.hostname,
        port: url.port,
        method: 'POST',
        path,
        agent: false,
        headers: { 'content-type': 'application/json' },
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      },
    );
    // Refused early (404, 401), the server may close before the whole body is written: the
    // socket then fails the rest of the write, also after the answer came.
    const isCutShort = (error: NodeJS.ErrnoException) =>
      error.code === 'EPIPE' || error.code === 'ECONNRESET';
    outgoing.on('socket', (socket) => socket.on('error', () => undefined));
    outgoing.on('error', (error: NodeJS.ErrnoException) => {
      if (!isCutShort(error)) reject(error);
    });
    outgoing.end(body);
  });
}

const workDir = mkdtempSync(join(tmpdir(), 'front-door-rss-'));
const port = await freePort();
const gateway = await startService({
  name: 'gateway',
  entry: 'src/server.ts',
  env: { PORT: String(port), LOG_LEVEL: 'silent' },
  port,
  readyPath: '/healthz',
  core: null,
  workDir,
});
const rssMiB = () => Math.round((gateway.rssBytes() ?? 0) / MIB);
try {
  const start = rssMiB();
  process.stdout.write(`gateway RSS at start: ${start} MiB\n`);
  for (const path of PATHS) {
    const before = rssMiB();
    const statuses = new Set<number>();
    for (let index = 0; index < bodies; index += 1) statuses.add(await post(gateway, path));
    process.stdout.write(
      `${bodies} × ${values.mb} MB unauthenticated to ${path.padEnd(20)} → HTTP ` +
        `${[...statuses].join(',')}; RSS ${before} → ${rssMiB()} MiB\n`,
    );
  }
} finally {
  await gateway.stop();
  rmSync(workDir, { recursive: true, force: true });
}
