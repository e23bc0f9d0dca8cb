// API-host request pipeline: admission checks, rate limit, faults, route handler, envelope, log.
import { setTimeout as sleep } from 'node:timers/promises';
import { type ApiCheckDeps, checkApiRequest } from './api-checks.js';
import {
  type ApiFailure,
  CODES,
  createRequestId,
  failure,
  sendEnvelope,
  successEnvelope,
} from './envelope.js';
import type { FaultInjector } from './faults.js';
import { type ArrivedRequest, splitUrl } from './http-io.js';
import { type RateLimiter, rateClassOf } from './rate-limit.js';
import { answerLogger, type LoggedAnswer, type RequestLog } from './request-log.js';
import type { FaultKind } from './types.js';
import { applyUnknownEnums } from './unknown-enums.js';

export interface ApiHandlerDeps extends ApiCheckDeps {
  /** Emulator clock, ms since the epoch. */
  now: () => number;
  /** Per (app, shop, class); a class limited `false` passes. */
  rateLimiter: RateLimiter;
  faults: FaultInjector;
  log: RequestLog;
  /** Aborted when the emulator closes, cutting injected latency short. */
  shutdown: AbortSignal;
}

const TOO_MANY_REQUESTS = 'Too many requests. Please retry later.';
const INTERNAL_ERROR = 'Internal error. Please retry later.';

export function createApiHandler(deps: ApiHandlerDeps) {
  return async function handleApiRequest(arrived: ArrivedRequest): Promise<void> {
    const { req, res, body } = arrived;
    const method = req.method ?? 'GET';
    const { path, search } = splitUrl(req.url);
    const nowMs = deps.now();
    const requestId = createRequestId(nowMs);
    const logAnswer = answerLogger(deps.log, arrived);
    // The log keeps what was signed and sent (§4), so tests can check the client's bytes.
    const received = { query: Object.fromEntries(search), body: body.toString('utf8') };
    const record = (logged: LoggedAnswer) => logAnswer({ ...logged, received });

    const answer = (
      endpoint: string,
      shopId: string | null,
      outcome: ApiFailure | { data: unknown },
      fault: FaultKind | null = null,
    ): void => {
      record({ endpoint, shopId, ...sendEnvelope(res, requestId, outcome), fault });
    };

    const checked = checkApiRequest(deps, {
      method,
      path,
      search,
      contentType: req.headers['content-type'],
      accessToken: headerValue(req.headers['x-tts-access-token']),
      body,
      nowMs,
    });
    if (!checked.ok) {
      answer(checked.endpoint, checked.shopId, checked.failure);
      return;
    }
    const { route, params, query, seller, shop } = checked.request;
    const shopId = shop?.id ?? null;

    // §7: isolation is per (app × shop × class); seller-level routes have no shop, so the
    // seller is the key.
    const key = shop ? `${deps.appKey} shop ${shop.id}` : `${deps.appKey} seller ${seller.openId}`;
    const decision = deps.rateLimiter.take(key, rateClassOf(path));
    if (!decision.ok) {
      const retryAfterSeconds = deps.faults.get().retryAfterSeconds ?? decision.retryAfterSeconds;
      answer(route.endpoint, shopId, tooManyRequests(retryAfterSeconds));
      return;
    }

    /** Runs the route: its data, or its own error (a route bug answers like TikTok's 500). */
    const handle = (): ApiFailure | { data: unknown } => {
      try {
        const result = route.handle({
          params,
          query,
          body: checked.request.body,
          shop,
          seller,
          now: nowMs,
          faults: deps.faults.get(),
        });
        if ('error' in result) {
          const { httpStatus, code, message } = result.error;
          return failure(httpStatus, code, message);
        }
        const unknownEnums = deps.faults.unknownEnums({ path, shopId });
        if (unknownEnums) {
          applyUnknownEnums(route.endpoint, result.data, unknownEnums.fields, unknownEnums.value);
        }
        return { data: result.data };
      } catch (error) {
        // Say which route, never the request.
        process.stderr.write(
          `emulator: route ${route.endpoint} threw: ${error instanceof Error ? error.message : String(error)}\n`,
        );
        return failure(500, CODES.internalError, INTERNAL_ERROR);
      }
    };

    const fault = deps.faults.decide({ path, shopId });
    // handleFirst: the route runs before the latency and the fault, so a write takes effect and
    // only its answer is late, lost or garbled (the ambiguous case a client cannot tell apart).
    const handledFirst = fault && deps.faults.get().handleFirst ? handle() : undefined;
    if (fault && fault.latencyMs > 0) {
      try {
        await sleep(fault.latencyMs, undefined, { signal: deps.shutdown });
      } catch {
        return; // The emulator is closing; its sockets are being destroyed.
      }
    }
    if (fault?.kind) {
      const recordNoEnvelope = (status: number) =>
        record({ endpoint: route.endpoint, shopId, status, code: null, fault: fault.kind });
      switch (fault.kind) {
        case 'error': {
          const status = deps.faults.get().errorStatus ?? 500;
          answer(
            route.endpoint,
            shopId,
            failure(status, CODES.internalError, INTERNAL_ERROR),
            'error',
          );
          return;
        }
        case 'rate_limit':
          answer(
            route.endpoint,
            shopId,
            tooManyRequests(deps.faults.get().retryAfterSeconds ?? 1),
            'rate_limit',
          );
          return;
        case 'code': {
          // validateFaultConfig guarantees the answer whenever a `code` fault can be drawn.
          const { status, code, message } = deps.faults.get().codeAnswer!;
          answer(
            route.endpoint,
            shopId,
            failure(status, code, message ?? `Injected error ${code}.`),
            'code',
          );
          return;
        }
        case 'drop':
          req.socket.destroy();
          recordNoEnvelope(0);
          return;
        case 'malformed': {
          // A success envelope cut short: valid HTTP, 200, content-type JSON, unparseable body.
          const text = JSON.stringify(successEnvelope(null, requestId)).replace(/null}$/, '{"');
          res.writeHead(200, {
            'content-type': 'application/json; charset=utf-8',
            'content-length': Buffer.byteLength(text),
          });
          res.end(text);
          recordNoEnvelope(200);
          return;
        }
        case 'stall': {
          // Headers promise a longer body than is ever written; the client must time out.
          const partial = `{"code":0,"message":"Success","request_id":"${requestId}","data":{`;
          res.writeHead(200, {
            'content-type': 'application/json; charset=utf-8',
            'content-length': Buffer.byteLength(partial) + 256,
          });
          res.write(partial);
          recordNoEnvelope(200);
          return;
        }
      }
    }
    answer(route.endpoint, shopId, handledFirst ?? handle());
  };
}

function tooManyRequests(retryAfterSeconds: number): ApiFailure {
  return failure(429, CODES.tooManyRequests, TOO_MANY_REQUESTS, {
    'retry-after': String(retryAfterSeconds),
  });
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
