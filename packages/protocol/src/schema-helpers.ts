/** Small TypeBox builders every schema module of the protocol uses (one definition, not a copy per file). */
import { Type, type TSchema } from '@sinclair/typebox';

/** A string schema accepting exactly `values`, typed as their union. */
export const literalUnion = <T extends readonly string[]>(values: T) => Type.Unsafe<T[number]>(Type.Union(values.map((v) => Type.Literal(v))));

/** `schema` or null. */
export const nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** Object options refusing properties the schema does not name. */
export const strict = { additionalProperties: false } as const;
