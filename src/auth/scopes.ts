// The gateway's own scopes: what a caller (API key or JWT) may do. Not TikTok's scopes, which
// are granted to the app by the seller and checked upstream.

export const GATEWAY_SCOPES = [
  'product.read',
  'order.read',
  'inventory.read',
  'inventory.write',
  'analytics.read',
  'content.read',
  'oauth.manage',
  'webhook.manage',
  'events.read',
] as const;

export type GatewayScope = (typeof GATEWAY_SCOPES)[number];

const KNOWN = new Set<string>(GATEWAY_SCOPES);

export function isGatewayScope(value: string): value is GatewayScope {
  return KNOWN.has(value);
}
