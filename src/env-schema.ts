// Zod readers for environment variables, shared by every config module. Messages state the rule
// broken and never the value received, so a misplaced secret is not echoed back.
import { type ZodError, z } from 'zod';

/** Blank or missing → undefined; otherwise the trimmed text. */
export const optionalText = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()));

const withFallback = (fallback: unknown) => (value: unknown) =>
  value === undefined || value === '' ? fallback : Number(value);

/** A whole number > 0; blank or missing → `fallback`. */
export const positiveInt = (fallback: number) =>
  z.preprocess(
    withFallback(fallback),
    z
      .number({ invalid_type_error: 'must be a number' })
      .int('must be a whole number')
      .positive('must be greater than 0'),
  );

/** A whole number ≥ 0; blank or missing → `fallback`. */
export const nonNegativeInt = (fallback: number) =>
  z.preprocess(
    withFallback(fallback),
    z
      .number({ invalid_type_error: 'must be a number' })
      .int('must be a whole number')
      .min(0, 'must be 0 or more'),
  );

/** A number > 0 (fractions allowed); blank or missing → `fallback`. */
export const positiveNumber = (fallback: number) =>
  z.preprocess(
    withFallback(fallback),
    z.number({ invalid_type_error: 'must be a number' }).positive('must be greater than 0'),
  );

/** An absolute http(s) URL without trailing slashes; blank or missing → `fallback`. */
export const httpUrl = (fallback: string) =>
  z.preprocess(
    (value) => (value === undefined || value === '' ? fallback : value),
    z
      .string()
      .url('must be an absolute http(s) URL')
      .refine((value) => /^https?:\/\//.test(value), 'must be an absolute http(s) URL')
      .transform((value) => value.replace(/\/+$/, '')),
  );

/** true/false, 1/0 or yes/no (any case); blank or missing → `fallback`. */
export const booleanFlag = (fallback: boolean) =>
  z.preprocess(
    (value) =>
      value === undefined || value === '' ? String(fallback) : String(value).toLowerCase(),
    z
      .enum(['true', 'false', '1', '0', 'yes', 'no'], {
        errorMap: () => ({ message: 'must be true or false' }),
      })
      .transform((value) => value === 'true' || value === '1' || value === 'yes'),
  );

/** One `VARIABLE: rule` line per issue, for ConfigError. */
export function describeIssues(error: ZodError): string[] {
  return error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}
