// Rates from recorded timestamps: how tests prove a limit without timing assertions.

/** The most timestamps (ms) that fall in any window [t, t + windowMs). */
export function busiestWindow(timestampsMs: number[], windowMs = 1_000): number {
  const sorted = [...timestampsMs].sort((a, b) => a - b);
  let busiest = 0;
  let end = 0;
  for (let start = 0; start < sorted.length; start++) {
    while (end < sorted.length && (sorted[end] as number) < (sorted[start] as number) + windowMs) {
      end++;
    }
    busiest = Math.max(busiest, end - start);
  }
  return busiest;
}

/** Events per second between the first and the last timestamp (for reports, not assertions). */
export function rateOf(timestampsMs: number[]): number {
  const sorted = [...timestampsMs].sort((a, b) => a - b);
  const spanMs = (sorted.at(-1) as number) - (sorted[0] as number);
  return ((sorted.length - 1) / spanMs) * 1_000;
}
