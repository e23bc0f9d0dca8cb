// A bounded pool: a bulk stock write's calls wait in the rate limiter's queue at most `limit` at a
// time, so none waits past TIKTOK_SHOP_RATE_MAX_WAIT_MS.

/** Runs `work` over `items`, at most `limit` at a time. */
export async function forEachLimited<T>(
  items: T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next] as T;
      next += 1;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
