// vitest globalSetup: the suite needs the shared Redis (test/redis/helpers/redis.ts); without it
// every Redis test would time out one by one. Ping it once and stop the run with one message.
import { connect } from 'node:net';
import { SHARED_REDIS_URL } from './redis/helpers/redis.js';

const START_REDIS =
  "redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save '' --appendonly no";

/** Resolves when Redis at `url` answers PING within `timeoutMs`; else rejects saying how to start it. */
export function requireRedis(url = SHARED_REDIS_URL, timeoutMs = 2_000): Promise<void> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const fail = (reason: string) => {
      socket.destroy();
      const error = new Error(
        `The tests need Redis at ${hostname}:${port}, and it ${reason}. Start it with\n` +
          `  ${START_REDIS}\n(.ci/run does this when it is not answering), then run the tests again.`,
      );
      // The message is the whole story: no stack and code frame under it.
      error.stack = `Error: ${error.message}`;
      reject(error);
    };
    socket.setTimeout(timeoutMs, () => fail(`did not answer PING within ${timeoutMs} ms`));
    socket.once('error', (error: NodeJS.ErrnoException) =>
      fail(`is not answering (${error.code})`),
    );
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (reply) => {
      const line = reply.toString('utf8').trim();
      if (line === '+PONG') {
        socket.end();
        resolve();
      } else {
        fail(`answered PING with ${JSON.stringify(line.slice(0, 80))}`);
      }
    });
  });
}

export default function setup(): Promise<void> {
  return requireRedis();
}
