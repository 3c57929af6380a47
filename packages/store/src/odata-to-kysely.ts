/**
 * Compiles the validated OData AST (core/odata/ast.ts) to Kysely expressions. Identifiers come
 * only from the caller's ColumnMap whitelist and every literal becomes a bound parameter: no SQL
 * text is ever built from client input (house-style 8.4; sql-injection.test.ts).
 *
 * Kysely's typed builders want column names known at compile time; ours come from a runtime
 * whitelist, so the internals work on `ExpressionBuilder<any, any>` and the public functions keep
 * the caller's query-builder type.
 */
import { sql, type Expression, type ExpressionBuilder, type OrderByItemBuilder, type SelectQueryBuilder, type SqlBool } from 'kysely';
import { DomainError, type ComparisonOperator, type FilterNode, type ODataLiteral, type ODataQuery, type StringFunction } from '@cordon/core';

/** Where a canonical OData property lives. */
export type ColumnSpec =
  /**
   * A column of the main query, e.g. `'a.status'`. `notNull: true` lets `ne` and `$orderby` skip
   * the NULL handling (simpler SQL that can use an index); leave it unset for nullable columns.
   */
  | { readonly kind: 'column'; readonly column: string; readonly notNull?: boolean }
  /** A string array stored as rows of another table; `any()` becomes an EXISTS subquery. */
  | {
      readonly kind: 'tagTable';
      readonly table: string;
      readonly valueColumn: string;
      readonly join: ReadonlyArray<readonly [tableColumn: string, mainColumn: string]>;
    };

/** Canonical OData property name (as in core's FieldMap) -> where it lives. */
export type ColumnMap = Readonly<Record<string, ColumnSpec>>;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see the file comment
type AnyBuilder = ExpressionBuilder<any, any>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see the file comment
type AnySelect<O> = SelectQueryBuilder<any, any, O>;

const SQL_OPERATORS = { eq: '=', ne: '<>', gt: '>', ge: '>=', lt: '<', le: '<=' } as const satisfies Record<ComparisonOperator, string>;

/**
 * Adds the filter as a WHERE clause (unchanged query when there is none).
 * @example applyODataFilter(db.selectFrom('actions as a').selectAll(), query.filter, ACTION_COLUMNS)
 */
export function applyODataFilter<DB, TB extends keyof DB, O>(qb: SelectQueryBuilder<DB, TB, O>, filter: FilterNode | undefined, columns: ColumnMap): SelectQueryBuilder<DB, TB, O> {
  if (filter === undefined) return qb;
  const typeless = qb as unknown as AnySelect<O>;
  return typeless.where((eb) => compileODataFilter(eb, filter, columns)) as unknown as SelectQueryBuilder<DB, TB, O>;
}

/**
 * Adds ORDER BY (the query's order, then `tiebreak` so pages are stable), LIMIT `$top` and OFFSET
 * `$skip`. OData sorts nulls first in ascending order; SQLite does that by default, PostgreSQL
 * does not, so nullable columns get explicit NULLS FIRST / NULLS LAST.
 */
export function applyODataOrderAndPage<DB, TB extends keyof DB, O>(qb: SelectQueryBuilder<DB, TB, O>, query: ODataQuery, columns: ColumnMap, tiebreak: string): SelectQueryBuilder<DB, TB, O> {
  let typeless = qb as unknown as AnySelect<O>;
  const used = new Set<string>();
  for (const { field, direction } of query.orderBy) {
    const spec = columnOf(columns, field);
    if (spec.kind !== 'column') unmapped(field);
    if (used.has(spec.column)) continue;
    used.add(spec.column);
    typeless = typeless.orderBy(spec.column, (ob) => orderModifiers(ob, direction, spec.notNull === true));
  }
  if (!used.has(tiebreak)) {
    // The tiebreak follows the leading direction so "newest first" also lists equal times newest id first.
    typeless = typeless.orderBy(tiebreak, query.orderBy[0]?.direction ?? 'asc');
  }
  return typeless.limit(query.top).offset(query.skip) as unknown as SelectQueryBuilder<DB, TB, O>;
}

function orderModifiers(ob: OrderByItemBuilder, direction: 'asc' | 'desc', notNull: boolean): OrderByItemBuilder {
  const directed = direction === 'asc' ? ob.asc() : ob.desc();
  if (notNull) return directed;
  return direction === 'asc' ? directed.nullsFirst() : directed.nullsLast();
}

/** The filter as a boolean expression, for callers that compose it themselves. */
export function compileODataFilter(eb: AnyBuilder, node: FilterNode, columns: ColumnMap): Expression<SqlBool> {
  switch (node.kind) {
    case 'and':
    case 'or': {
      // Flatten `a or b or c` (a left-deep tree from the parser) into one list: flat SQL, and
      // no recursion proportional to the length of the chain.
      const parts = flattenChain(node).map((part) => compileODataFilter(eb, part, columns));
      return node.kind === 'and' ? eb.and(parts) : eb.or(parts);
    }
    case 'not':
      return notTwoValued(compileODataFilter(eb, node.operand, columns));
    case 'compare':
      return compileCompare(eb, plainColumn(columns, node.field), node.op, node.value);
    case 'in':
      return eb(eb.ref(plainColumn(columns, node.field).column), 'in', node.values.map(parameterValue));
    case 'function':
      return likeCaseInsensitive(eb.ref(plainColumn(columns, node.field).column), node.name, node.value);
    case 'any':
      return compileAny(eb, node.field, columnOf(columns, node.field), node.op, node.value);
  }
}

/**
 * OData logic is two-valued (`null eq 'x'` is false, so `not (name eq 'x')` matches null names);
 * SQL's is three-valued (`NOT (NULL = 'x')` is NULL, which WHERE drops). Folding the operand's
 * NULL to false before negating restores the OData meaning; `coalesce(..., false)` reads the same
 * on both engines.
 */
function notTwoValued(operand: Expression<SqlBool>): Expression<SqlBool> {
  return sql<SqlBool>`not coalesce(${operand}, false)`;
}

function flattenChain(node: Extract<FilterNode, { kind: 'and' | 'or' }>): FilterNode[] {
  const parts: FilterNode[] = [];
  const stack: FilterNode[] = [node];
  while (stack.length > 0) {
    const current = stack.pop() as FilterNode;
    if (current.kind === node.kind) stack.push(current.right, current.left);
    else parts.push(current);
  }
  return parts;
}

function compileCompare(eb: AnyBuilder, spec: { column: string; notNull?: boolean }, op: ComparisonOperator, value: ODataLiteral): Expression<SqlBool> {
  const ref = eb.ref(spec.column);
  if (value.kind === 'null') return eb(ref, op === 'eq' ? 'is' : 'is not', null);
  const operand = value.kind === 'boolean' ? booleanLiteral(value.value) : parameterValue(value);
  const comparison = eb(ref, SQL_OPERATORS[op], operand);
  // OData: `null ne 'x'` is true, SQL's `NULL <> 'x'` is unknown; include the NULL rows.
  if (op === 'ne' && spec.notNull !== true) return eb.or([comparison, eb(ref, 'is', null)]);
  return comparison;
}

/**
 * Booleans are compared against the SQL keywords TRUE/FALSE, not a bound parameter: better-sqlite3
 * cannot bind JS booleans, and PostgreSQL will not compare a BOOLEAN column with 1/0. The keyword
 * works on both (SQLite >= 3.23 reads TRUE as 1 for its 0/1 INTEGER booleans). A constant, never
 * client text.
 */
function booleanLiteral(value: boolean): Expression<boolean> {
  return sql.lit(value);
}

function parameterValue(value: ODataLiteral): string | number | null {
  switch (value.kind) {
    case 'string':
    case 'datetime': // stored as fixed-width ISO text that sorts as it compares (core normalised it)
    case 'number':
      return value.value;
    case 'boolean':
      return value.value ? 1 : 0;
    case 'null':
      return null;
  }
}

/** Escapes LIKE wildcards so the client's text matches literally (`\` is the escape character). */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (ch) => `\\${ch}`);
}

/**
 * startswith/endswith/contains, case-insensitive on both engines: lower() on both sides (so each
 * engine folds case the same way for column and pattern), wildcards escaped, pattern bound.
 * `escape '\'` is the same one-character string in SQLite and in PostgreSQL (standard strings).
 */
function likeCaseInsensitive(target: Expression<unknown>, fn: StringFunction, text: string): Expression<SqlBool> {
  const escaped = escapeLike(text);
  const pattern = fn === 'startswith' ? `${escaped}%` : fn === 'endswith' ? `%${escaped}` : `%${escaped}%`;
  return sql<SqlBool>`(lower(${target}) like lower(${pattern}) escape '\\')`;
}

function compileAny(eb: AnyBuilder, field: string, spec: ColumnSpec, op: 'eq' | StringFunction, value: string): Expression<SqlBool> {
  if (spec.kind !== 'tagTable') {
    throw new DomainError('ODataError', `Property '${field}' cannot be used with any() in $filter`);
  }
  let sub = eb.selectFrom(spec.table).select(sql.lit(1).as('one'));
  for (const [tableColumn, mainColumn] of spec.join) sub = sub.whereRef(tableColumn, '=', mainColumn);
  sub = sub.where((inner: AnyBuilder) => (op === 'eq' ? inner(inner.ref(spec.valueColumn), '=', value) : likeCaseInsensitive(inner.ref(spec.valueColumn), op, value)));
  return eb.exists(sub);
}

function columnOf(columns: ColumnMap, field: string): ColumnSpec {
  const spec = Object.hasOwn(columns, field) ? columns[field] : undefined;
  if (spec === undefined) unmapped(field);
  return spec;
}

function plainColumn(columns: ColumnMap, field: string): { column: string; notNull?: boolean } {
  const spec = columnOf(columns, field);
  if (spec.kind !== 'column') unmapped(field);
  return spec;
}

/**
 * A field the entity's FieldMap allows but this store does not map: a server gap, reported as the
 * same 400 the client would get for an unsupported property.
 */
function unmapped(field: string): never {
  throw new DomainError('ODataError', `Property '${field}' is not supported in this query`);
}
