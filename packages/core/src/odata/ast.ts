/**
 * The OData query AST: an immutable discriminated union on `kind`. Produced by the parser,
 * checked by the validator against an entity's field map, compiled to SQL only in the store.
 */

export type ODataLiteral =
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'boolean'; readonly value: boolean }
  | { readonly kind: 'null' }
  /** An unquoted datetime literal, normalised to the stored form (7 fractional digits, `Z`). */
  | { readonly kind: 'datetime'; readonly value: string };

export type ComparisonOperator = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';
export type StringFunction = 'startswith' | 'endswith' | 'contains';

export type FilterNode =
  | { readonly kind: 'compare'; readonly op: ComparisonOperator; readonly field: string; readonly value: ODataLiteral }
  | { readonly kind: 'in'; readonly field: string; readonly values: readonly ODataLiteral[] }
  | { readonly kind: 'and' | 'or'; readonly left: FilterNode; readonly right: FilterNode }
  | { readonly kind: 'not'; readonly operand: FilterNode }
  | { readonly kind: 'function'; readonly name: StringFunction; readonly field: string; readonly value: string }
  /** `machineTags/any(t: t eq 'x')` over a string-array field. */
  | { readonly kind: 'any'; readonly field: string; readonly op: 'eq' | StringFunction; readonly value: string };

export interface OrderBy {
  readonly field: string;
  readonly direction: 'asc' | 'desc';
}

/**
 * A validated query: field names are canonical (as in the entity's field map), values typed.
 * `top` is always set (defaulted by the validator).
 */
export interface ODataQuery {
  readonly filter: FilterNode | undefined;
  readonly orderBy: readonly OrderBy[];
  readonly top: number;
  readonly skip: number;
  readonly select: readonly string[] | undefined;
  readonly count: boolean;
}

/** The types a field may have; the validator checks literals and operators against them. */
export type FieldType = 'string' | 'guid' | 'enum' | 'datetime' | 'number' | 'boolean' | 'stringArray';

export interface FieldSpec {
  readonly type: FieldType;
  /** Allowed values for enum fields, canonical spelling. */
  readonly values?: readonly string[];
  readonly filterable: boolean;
  readonly sortable: boolean;
}

/** Per-entity map: canonical property name -> spec. Matching of names is case-insensitive. */
export type FieldMap = Readonly<Record<string, FieldSpec>>;

/** Largest page MDE serves (`$top` max, mde-api.md §2.4). */
export const MAX_TOP = 10_000;
