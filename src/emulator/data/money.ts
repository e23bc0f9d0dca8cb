// Money is kept in integer cents and only turned into decimal strings on the wire.

/** 12345 → "123.45" (always two decimals). */
export function formatCents(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(Math.round(cents));
  const units = Math.floor(abs / 100);
  const rest = abs % 100;
  return `${sign}${units}.${rest < 10 ? '0' : ''}${rest}`;
}

/**
 * Fixed conversion rates to USD used when analytics are asked for `currency=USD`. TikTok does
 * not publish its rate; ours is a constant so answers stay deterministic.
 */
export const USD_PER_UNIT: Readonly<Record<string, number>> = { USD: 1, GBP: 1.27 };

/** Converts an amount in a shop's currency to the requested analytics currency. */
export function convertCents(
  cents: number,
  shopCurrency: string,
  requested: 'LOCAL' | 'USD',
): { cents: number; currency: string } {
  if (requested === 'LOCAL' || shopCurrency === 'USD') return { cents, currency: shopCurrency };
  const rate = USD_PER_UNIT[shopCurrency] ?? 1;
  return { cents: Math.round(cents * rate), currency: 'USD' };
}

/** A ratio as TikTok's raw decimal string, e.g. 0.05281 → "0.0528"; 0 when undefined. */
export function formatRate(numerator: number, denominator: number): string {
  if (denominator <= 0) return '0.0000';
  return (numerator / denominator).toFixed(4);
}

/** A ratio as a percent string, as some LIVE fields are sent: 0.1825 → "18.25%". */
export function formatPercent(numerator: number, denominator: number): string {
  if (denominator <= 0) return '0.00%';
  return `${((numerator / denominator) * 100).toFixed(2)}%`;
}
