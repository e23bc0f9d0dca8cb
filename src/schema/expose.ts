// Fields exposed from a table of name → description: an object type's counts and amounts, which
// the domain shapes already carry as the schema shows them (issue 9).
import type { Money as MoneyShape } from '../datasources/tiktok/types.js';
import type { BuilderTypes } from './builder.js';
import { Money } from './common.js';

/** The fields of `T` whose values are `V`. */
type FieldsOf<T, V> = { [K in keyof T]-?: T[K] extends V ? K : never }[keyof T] & string;

/**
 * `T`'s field builder seen as one over a record of `V`s. Pothos cannot check a field name
 * against a generic parent; `FieldsOf<T, V>` has checked the names exposed through this view.
 */
const viewAsRecordOf = <V, T>(t: PothosSchemaTypes.ObjectFieldBuilder<BuilderTypes, T>) =>
  t as unknown as PothosSchemaTypes.ObjectFieldBuilder<BuilderTypes, Record<string, V>>;

/** One field per entry of a name → description map, so counts and amounts read as a table. */
const fieldsFrom = <K extends string, F>(
  descriptions: Record<K, string>,
  field: (name: string, description: string) => F,
) =>
  Object.fromEntries(
    Object.entries<string>(descriptions).map(([name, description]) => [
      name,
      field(name, description),
    ]),
  ) as Record<K, F>;

/** Counts, exposed as they are as `NonNegativeInt`. */
export const exposeCounts = <T, K extends FieldsOf<T, number>>(
  t: PothosSchemaTypes.ObjectFieldBuilder<BuilderTypes, T>,
  descriptions: Record<K, string>,
) =>
  fieldsFrom(descriptions, (name, description) =>
    viewAsRecordOf<number, T>(t).expose(name, { type: 'NonNegativeInt', description }),
  );

/** Amounts, exposed as they are as `Money`. */
export const exposeAmounts = <T, K extends FieldsOf<T, MoneyShape>>(
  t: PothosSchemaTypes.ObjectFieldBuilder<BuilderTypes, T>,
  descriptions: Record<K, string>,
) =>
  fieldsFrom(descriptions, (name, description) =>
    viewAsRecordOf<MoneyShape, T>(t).expose(name, { type: Money, description }),
  );
