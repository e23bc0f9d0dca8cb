// Sort inputs: `{ field, direction }` over an enum of TikTok's `sort_field` values, one builder
// for every list that sorts.
import type { ArgBuilder } from '@pothos/core';
import { type BuilderTypes, builder } from './builder.js';

export const SortDirection = builder.enumType('SortDirection', {
  description: 'Sort order.',
  values: {
    ASC: { description: 'Smallest or oldest first.' },
    DESC: { description: 'Largest or newest first.' },
  },
});

type SortDirectionValue = (typeof SortDirection)['$inferType'];

/**
 * A sort input `<name> { field: <name>Field, direction: SortDirection }` whose keys stand for
 * TikTok's `sort_field` values. `arg` declares an argument of it; `of` reads that argument with
 * the defaults the input declares (largest first), which also apply when it is omitted.
 */
export function sortInput<Field extends string>(
  name: string,
  options: {
    description: string;
    fieldDescription: string;
    fields: Record<string, { value: Field; description: string }>;
    defaultField: NoInfer<Field>;
  },
) {
  // Typed by hand: Pothos cannot work out a generic enum's value type.
  const SortField = builder.enumType(`${name}Field`, {
    description: options.fieldDescription,
    values: options.fields,
  }) as PothosSchemaTypes.EnumRef<BuilderTypes, Field>;
  const input = builder.inputType(name, {
    description: options.description,
    fields: (t) => ({
      field: t.field({ type: SortField, defaultValue: options.defaultField, description: 'Key.' }),
      direction: t.field({ type: SortDirection, defaultValue: 'DESC', description: 'Direction.' }),
    }),
  });
  const of = (
    sort: { field?: Field | null; direction?: SortDirectionValue | null } | null | undefined,
  ) => ({
    sortField: sort?.field ?? options.defaultField,
    sortOrder: sort?.direction ?? 'DESC',
  });
  const arg = (args: ArgBuilder<BuilderTypes>, description: string) =>
    args({ type: input, description });
  return { arg, of };
}
