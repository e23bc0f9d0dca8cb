// GraphQL enums of values TikTok sends (datasources/tiktok/enums.ts): the known values, each
// described, plus UNKNOWN for a value this gateway does not know yet, whose record keeps TikTok's
// string in a `<field>Raw` sibling (issue 11). Filters never send UNKNOWN upstream.
import {
  type EnumValue,
  type Known,
  type TikTokEnumField,
  UNKNOWN,
} from '../datasources/tiktok/enums.js';
import { builder } from './builder.js';
import { badUserInput } from './errors.js';

/** The enum `name` of a TikTok field `F`: every known value described, and UNKNOWN. */
export function tiktokEnum<F extends TikTokEnumField>(
  name: string,
  options: {
    description: string;
    /** The sibling field holding TikTok's string, e.g. `statusRaw`. */
    rawField: string;
    values: Record<Known<EnumValue<F>>, { description: string }>;
  },
) {
  const values = {
    ...options.values,
    [UNKNOWN]: {
      description: `A value this gateway does not know yet; see \`${options.rawField}\`.`,
    },
  } as Record<EnumValue<F>, { description: string }>;
  return builder.enumType(name, {
    description: `${options.description} New values TikTok adds read UNKNOWN.`,
    values,
  });
}

/**
 * A filter's enum value as TikTok can take it. UNKNOWN names no value TikTok has, so it is
 * BAD_USER_INPUT (argument `filter`) rather than a search that can only come back empty.
 */
export function knownFilterValue<T extends string>(
  value: T | null | undefined,
  fieldName: string,
): Known<T> | null | undefined {
  if (value === UNKNOWN) {
    throw badUserInput(
      `${fieldName}: UNKNOWN stands for values this gateway does not know yet and cannot be ` +
        'searched for; name a known value, or leave the condition out.',
      'filter',
    );
  }
  return value as Known<T> | null | undefined;
}
