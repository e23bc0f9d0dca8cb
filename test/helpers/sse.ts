// A GraphQL-over-SSE client for the subscription tests, the way a browser's fetch reads Yoga's
// distinct connections mode: POST the operation with `Accept: text/event-stream` over real HTTP,
// then read `event: next` / `event: complete` messages and their `data:` lines as they stream in
// (`:` lines are Yoga's keep-alive pings). A reply that is not a stream (401, a refused query) is
// kept as JSON.
import type { GraphQLReply } from './gateway.js';

// biome-ignore lint/suspicious/noExplicitAny: assertions walk untyped reply JSON.
export type Payload = GraphQLReply<any>['body'];

export interface SseMessage {
  event: 'next' | 'complete';
  /** The `next` payload; undefined for `complete`. */
  payload?: Payload;
  /** performance.timeOrigin + performance.now() when the message was parsed, ms (sub-ms). */
  receivedAtMs: number;
}

export interface SseStream {
  status: number;
  contentType: string;
  /** The body of a reply that is not an event stream. */
  json?: Payload;
  /** The next message; undefined once the stream has ended (after `complete`, or cut). */
  next(): Promise<SseMessage | undefined>;
  /** The next `next` payload; throws if the stream completes first. */
  nextPayload(): Promise<Payload>;
  /** Reads until the stream ends; answers what came, `complete` included. */
  rest(): Promise<SseMessage[]>;
  /** Leaves (aborts the request). */
  close(): void;
}

export interface SubscribeRequest {
  /** The gateway's base URL, e.g. http://127.0.0.1:4000. */
  url: string;
  query: string;
  variables?: Record<string, unknown>;
  /** Sent as `Authorization: Bearer`; null sends none. */
  apiKey: string | null;
}

export const nowMs = () => performance.timeOrigin + performance.now();

export async function subscribe(request: SubscribeRequest): Promise<SseStream> {
  const controller = new AbortController();
  const response = await fetch(`${request.url}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'text/event-stream',
      ...(request.apiKey === null ? {} : { authorization: `Bearer ${request.apiKey}` }),
    },
    body: JSON.stringify({ query: request.query, variables: request.variables ?? {} }),
    signal: controller.signal,
  });
  const contentType = response.headers.get('content-type') ?? '';
  const base = { status: response.status, contentType, close: () => controller.abort() };
  if (!contentType.startsWith('text/event-stream')) {
    const json = (await response.json()) as Payload;
    const ended = async () => undefined;
    return {
      ...base,
      json,
      next: ended,
      nextPayload: () => Promise.reject(new Error(`Not a stream: HTTP ${response.status}`)),
      rest: async () => [],
    };
  }

  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffered = '';
  let isDone = false;
  /** The next complete message block (up to a blank line), or undefined at the end. */
  const nextBlock = async (): Promise<string | undefined> => {
    for (;;) {
      const end = buffered.indexOf('\n\n');
      if (end >= 0) {
        const block = buffered.slice(0, end);
        buffered = buffered.slice(end + 2);
        return block;
      }
      if (isDone) return undefined;
      const chunk = await reader.read().catch(() => ({ done: true, value: undefined }));
      if (chunk.done) isDone = true;
      else buffered += decoder.decode(chunk.value, { stream: true });
    }
  };
  const next = async (): Promise<SseMessage | undefined> => {
    for (;;) {
      const block = await nextBlock();
      if (block === undefined) return undefined;
      const lines = block.split('\n');
      const event = lines
        .find((line) => line.startsWith('event:'))
        ?.slice(6)
        .trim();
      if (event === undefined) continue; // a ping
      const data = lines
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(5).trimStart())
        .join('\n');
      const receivedAtMs = nowMs();
      if (event === 'complete') return { event, receivedAtMs };
      return { event: 'next', payload: JSON.parse(data) as Payload, receivedAtMs };
    }
  };
  return {
    ...base,
    next,
    async nextPayload() {
      const message = await next();
      if (message?.event !== 'next') {
        throw new Error(`The stream ended (${message?.event ?? 'cut'}) before an event came`);
      }
      return message.payload as Payload;
    },
    async rest() {
      const messages: SseMessage[] = [];
      for (let message = await next(); message; message = await next()) messages.push(message);
      return messages;
    },
  };
}

/** The event bus of the gateway a stream is opened on (App.liveUpdates.events). */
export interface Listened {
  readonly subscribers: number;
}

export interface ListeningStream extends SseStream {
  /** Closes the stream and waits until the gateway no longer counts it. */
  leave(): Promise<void>;
}

/**
 * Opens a stream and waits until it listens on `bus`, so an event sent next reaches it. Streams
 * on one bus are opened and left one at a time (the count tells them apart).
 */
export async function listen(
  request: SubscribeRequest & { bus: Listened },
): Promise<ListeningStream> {
  const { bus } = request;
  const before = bus.subscribers;
  const stream = await subscribe(request);
  if (!stream.contentType.startsWith('text/event-stream')) {
    throw new Error(`Not a stream: HTTP ${stream.status} ${JSON.stringify(stream.json)}`);
  }
  await until(() => bus.subscribers === before + 1);
  return {
    ...stream,
    async leave() {
      stream.close();
      await until(() => bus.subscribers === before);
    },
  };
}

/**
 * A subscription's answer shaped as a query's reply, for the matrices: its refusal (401, or the
 * `next` carrying the errors), else, once the stream listens on `bus`, what `trigger` makes it
 * send first. The stream is then left, and no longer counted when this resolves.
 */
export async function firstReply(
  request: SubscribeRequest & { bus: Listened; trigger: () => Promise<unknown> },
): Promise<GraphQLReply<Record<string, unknown>>> {
  const { bus } = request;
  const before = bus.subscribers;
  const stream = await subscribe(request);
  if (stream.json) return { status: stream.status, body: stream.json };
  let isAnswered = false;
  const first = stream.next().finally(() => {
    isAnswered = true;
  });
  await until(() => isAnswered || bus.subscribers > before);
  const isListening = !isAnswered;
  if (isListening) await request.trigger();
  const message = await first;
  stream.close();
  if (isListening) await until(() => bus.subscribers === before);
  return { status: stream.status, body: message?.payload ?? {} };
}

/** Polls `condition` every 10 ms until it holds (no deadline: the test's timeout is one). */
export async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
}
