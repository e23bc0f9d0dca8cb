// Minimal signed HTTP calls to the emulator for the protocol tests (real fetch over loopback).
import type { EmulatorHandle } from '../../../src/emulator/types.js';
import { signTikTok } from './sign.js';

export interface CallInput {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
  path: string;
  /** Extra query parameters (app_key, timestamp and sign are added unless overridden). */
  query?: Record<string, string>;
  /** Raw body text, sent and signed byte-for-byte. */
  body?: string;
  accessToken?: string | null;
  contentType?: string | null;
  /** Unix seconds for the timestamp parameter (default: now). */
  timestamp?: string;
  /** Replace the computed sign (null: send none). */
  sign?: string | null;
  /** Drop these query keys after signing. */
  omit?: string[];
}

export interface CallResult {
  status: number;
  headers: Headers;
  body: { code: number; message: string; request_id: string; data: unknown };
}

export function nowSeconds(): string {
  return String(Math.floor(Date.now() / 1000));
}

export async function call(emulator: EmulatorHandle, input: CallInput): Promise<CallResult> {
  const query: Record<string, string> = {
    app_key: emulator.appKey,
    timestamp: input.timestamp ?? nowSeconds(),
    ...input.query,
  };
  const sign = signTikTok(emulator.appSecret, input.path, query, input.body ?? '');
  if (input.sign !== null) query.sign = input.sign ?? sign;
  for (const key of input.omit ?? []) delete query[key];
  const headers: Record<string, string> = {};
  if (input.contentType !== null) headers['content-type'] = input.contentType ?? 'application/json';
  if (input.accessToken) headers['x-tts-access-token'] = input.accessToken;
  const response = await fetch(`${emulator.url}${input.path}?${new URLSearchParams(query)}`, {
    method: input.method ?? 'GET',
    headers,
    body: input.body,
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as CallResult['body'],
  };
}
