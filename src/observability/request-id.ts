// The id of a request (issue 12): the caller's `x-request-id` when it is a sane token, else a new
// UUID. Bounded in length and characters because it is written into every log line and span of
// the request; never sent to TikTok.
import { randomUUID } from 'node:crypto';

export const REQUEST_ID_HEADER = 'x-request-id';

/** Up to 128 of the characters ids are made of (UUIDs, ULIDs, base64, `trace:span` pairs). */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:+/=-]{1,128}$/;

export function requestIdOf(headers: Headers): string {
  const given = headers.get(REQUEST_ID_HEADER);
  return given !== null && SANE_REQUEST_ID.test(given) ? given : randomUUID();
}
