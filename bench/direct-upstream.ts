// Times a signed call straight to the emulator from the load generator: the upstream round trip
// the gateway cannot avoid, to set its latency figures against (and to find its own overhead).
import { signRequest } from '../src/datasources/tiktok/signer.js';
import { summarizeLatency } from './load.js';
import type { Upstream } from './stack.js';

export interface DirectCall {
  method: 'GET' | 'POST';
  path: string;
  query?: Record<string, string>;
  body?: string;
}

/** p50 of `times` sequential calls (after three unmeasured ones), ms. */
export async function directCallP50Ms(
  upstream: Upstream,
  call: DirectCall,
  times = 20,
): Promise<number> {
  const { accessToken } = await upstream.admin.issueTokens(upstream.openId);
  const once = async () => {
    const query: Record<string, string> = {
      ...call.query,
      app_key: upstream.app.appKey,
      timestamp: String(Math.floor(Date.now() / 1000)),
      shop_cipher: upstream.shopCipher,
    };
    const sign = signRequest({
      appSecret: upstream.app.appSecret,
      path: call.path,
      query,
      body: call.body,
    });
    const url = `${upstream.service.url}${call.path}?${new URLSearchParams({ ...query, sign })}`;
    const started = performance.now();
    const response = await fetch(url, {
      method: call.method,
      headers: { 'content-type': 'application/json', 'x-tts-access-token': accessToken },
      body: call.body,
    });
    const envelope = (await response.json()) as { code?: number };
    if (envelope.code !== 0) throw new Error(`direct ${call.path} answered code ${envelope.code}`);
    return performance.now() - started;
  };
  for (let i = 0; i < 3; i += 1) await once();
  const samples: number[] = [];
  for (let i = 0; i < times; i += 1) samples.push(await once());
  return summarizeLatency(samples).p50;
}
