// Calendar helpers. The emulator treats every shop's timezone as UTC, so a "day" is a UTC day.

export const DAY_SECONDS = 86_400;
export const DAY_MS = DAY_SECONDS * 1000;

/** Days since the Unix epoch of a Unix-seconds instant. */
export function dayOfSeconds(seconds: number): number {
  return Math.floor(seconds / DAY_SECONDS);
}

/** Days since the epoch of a ms instant. */
export function dayOfMs(ms: number): number {
  return Math.floor(ms / DAY_MS);
}

/** 19000 → "2022-01-08". */
export function formatDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** "2022-01-08" → days since the epoch, or null when not a real YYYY-MM-DD date. */
export function parseDay(text: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return null;
  const ms = Date.parse(`${text}T00:00:00Z`);
  if (Number.isNaN(ms)) return null;
  const day = dayOfMs(ms);
  // Date.parse rolls 2024-02-30 over to March; reject anything that does not round-trip.
  return formatDay(day) === text ? day : null;
}

/** "YYYY-MM-DD HH:MM:SS" in UTC, the way video_post_time is sent. */
export function formatDateTime(seconds: number): string {
  return new Date(seconds * 1000).toISOString().slice(0, 19).replace('T', ' ');
}
