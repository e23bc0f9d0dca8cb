// Bounds a metric label whose values come from outside (operation names callers choose, TikTok's
// codes): every series costs memory in this process and in Prometheus for good, so past a limit a
// new value is counted as `other` instead of starting a series of its own.

/** Distinct values a guarded label keeps before new ones become `other`. */
export const DEFAULT_LABEL_VALUES = 200;
/** Longer values are `other`: no name worth a series is this long. */
const MAX_VALUE_LENGTH = 100;

export function createLabelGuard(maxValues = DEFAULT_LABEL_VALUES): (value: string) => string {
  const seen = new Set<string>();
  return (value) => {
    if (seen.has(value)) return value;
    if (value.length > MAX_VALUE_LENGTH || seen.size >= maxValues) return 'other';
    seen.add(value);
    return value;
  };
}
