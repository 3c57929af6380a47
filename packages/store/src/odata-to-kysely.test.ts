import { describe, expect, it } from 'vitest';
import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler } from 'kysely';
import { parseODataQuery, type FieldMap, type ODataQuery } from '@cordon/core';
import { applyODataFilter, applyODataOrderAndPage, escapeLike, type ColumnMap } from './odata-to-kysely.js';

type AnyDb = Kysely<any>;

const DIALECTS: Record<'sqlite' | 'postgres', AnyDb> = {
  sqlite: new Kysely({
    dialect: { createAdapter: () => new SqliteAdapter(), createDriver: () => new DummyDriver(), createIntrospector: (db) => new SqliteIntrospector(db), createQueryCompiler: () => new SqliteQueryCompiler() },
  }),
  postgres: new Kysely({
    dialect: { createAdapter: () => new PostgresAdapter(), createDriver: () => new DummyDriver(), createIntrospector: (db) => new PostgresIntrospector(db), createQueryCompiler: () => new PostgresQueryCompiler() },
  }),
};

const FIELDS: FieldMap = {
  id: { type: 'guid', filterable: true, sortable: true },
  name: { type: 'string', filterable: true, sortable: true },
  status: { type: 'enum', values: ['Pending', 'Succeeded'], filterable: true, sortable: true },
  createdAt: { type: 'datetime', filterable: true, sortable: true },
  size: { type: 'number', filterable: true, sortable: true },
  enabled: { type: 'boolean', filterable: true, sortable: true },
  tags: { type: 'stringArray', filterable: true, sortable: false },
};

const COLUMNS: ColumnMap = {
  id: { kind: 'column', column: 'a.id', notNull: true },
  name: { kind: 'column', column: 'a.name' },
  status: { kind: 'column', column: 'a.status', notNull: true },
  createdAt: { kind: 'column', column: 'a.created_at', notNull: true },
  size: { kind: 'column', column: 'a.size' },
  enabled: { kind: 'column', column: 'a.enabled' },
  tags: { kind: 'tagTable', table: 'tags as t', valueColumn: 't.value', join: [['t.item_id', 'a.id']] },
};

const BASE = 'select "a"."id" from "items" as "a"';

function where(db: AnyDb, filter: string): { sql: string; parameters: readonly unknown[] } {
  const query = parseODataQuery({ $filter: filter }, FIELDS);
  const compiled = applyODataFilter(db.selectFrom('items as a').select('a.id'), query.filter, COLUMNS).compile();
  expect(compiled.sql.startsWith(`${BASE} where `)).toBe(true);
  return { sql: compiled.sql.slice(BASE.length + ' where '.length), parameters: compiled.parameters };
}

/** `?` placeholders as SQLite writes them; PostgreSQL numbers them. */
function numbered(sqliteSql: string): string {
  let n = 0;
  return sqliteSql.replace(/\?/g, () => `$${++n}`);
}

// [filter, SQLite WHERE text, parameters]; the PostgreSQL text is the same with $n placeholders.
const CASES: [string, string, unknown[]][] = [
  ["name eq 'a'", '"a"."name" = ?', ['a']],
  ["name ne 'a'", '("a"."name" <> ? or "a"."name" is null)', ['a']],
  ["status ne 'Pending'", '"a"."status" <> ?', ['Pending']],
  ['size gt 1', '"a"."size" > ?', [1]],
  ['size ge 1.5', '"a"."size" >= ?', [1.5]],
  ['size lt -2', '"a"."size" < ?', [-2]],
  ['size le 3', '"a"."size" <= ?', [3]],
  ['createdAt gt 2019-11-22T00:00:00Z', '"a"."created_at" > ?', ['2019-11-22T00:00:00.0000000Z']],
  ["createdAt le '2024-01-01T10:00:00+02:00'", '"a"."created_at" <= ?', ['2024-01-01T08:00:00.0000000Z']],
  ['name eq null', '"a"."name" is null', []],
  ['name ne null', '"a"."name" is not null', []],
  ['enabled eq true', '"a"."enabled" = true', []],
  ['enabled ne false', '("a"."enabled" <> false or "a"."enabled" is null)', []],
  ["status in ('pending','Succeeded')", '"a"."status" in (?, ?)', ['Pending', 'Succeeded']],
  ['size in (1, 2)', '"a"."size" in (?, ?)', [1, 2]],
  ["startswith(name,'ab')", `(lower("a"."name") like lower(?) escape '\\')`, ['ab%']],
  ["endswith(name,'ab')", `(lower("a"."name") like lower(?) escape '\\')`, ['%ab']],
  ["contains(name,'5%_\\x')", `(lower("a"."name") like lower(?) escape '\\')`, ['%5\\%\\_\\\\x%']],
  ["startswith(name,'ab') eq false", `not coalesce((lower("a"."name") like lower(?) escape '\\'), false)`, ['ab%']],
  ["name eq 'a' or size eq 1 and size eq 2", '("a"."name" = ? or ("a"."size" = ? and "a"."size" = ?))', ['a', 1, 2]],
  ["(name eq 'a' or size eq 1) and size eq 2", '(("a"."name" = ? or "a"."size" = ?) and "a"."size" = ?)', ['a', 1, 2]],
  ["name eq 'a' or name eq 'b' or name eq 'c'", '("a"."name" = ? or "a"."name" = ? or "a"."name" = ?)', ['a', 'b', 'c']],
  ["not name eq 'a'", 'not coalesce("a"."name" = ?, false)', ['a']],
  ["not (name eq 'a' and size eq 1)", 'not coalesce(("a"."name" = ? and "a"."size" = ?), false)', ['a', 1]],
  ["tags/any(t: t eq 'x')", 'exists (select 1 as "one" from "tags" as "t" where "t"."item_id" = "a"."id" and "t"."value" = ?)', ['x']],
  ["tags eq 'x'", 'exists (select 1 as "one" from "tags" as "t" where "t"."item_id" = "a"."id" and "t"."value" = ?)', ['x']],
  [
    "tags/any(t: contains(t,'x'))",
    `exists (select 1 as "one" from "tags" as "t" where "t"."item_id" = "a"."id" and (lower("t"."value") like lower(?) escape '\\'))`,
    ['%x%'],
  ],
  ["not tags/any(t: t eq 'x')", 'not coalesce(exists (select 1 as "one" from "tags" as "t" where "t"."item_id" = "a"."id" and "t"."value" = ?), false)', ['x']],
];

describe('applyODataFilter', () => {
  describe.each(Object.keys(DIALECTS) as (keyof typeof DIALECTS)[])('on %s', (dialect) => {
    it.each(CASES)('should compile %j', (filter, sqliteSql, parameters) => {
      const compiled = where(DIALECTS[dialect], filter);
      expect(compiled).toEqual({ sql: dialect === 'sqlite' ? sqliteSql : numbered(sqliteSql), parameters });
    });
  });

  it('should leave the query unchanged without a filter', () => {
    const qb = DIALECTS.sqlite.selectFrom('items as a').select('a.id');
    expect(applyODataFilter(qb, undefined, COLUMNS)).toBe(qb);
  });

  it('should flatten a long chain without deep recursion', () => {
    const text = Array.from({ length: 500 }, (_, i) => `size eq ${i}`).join(' or ');
    const compiled = where(DIALECTS.sqlite, text);
    expect(compiled.parameters).toHaveLength(500);
    expect(compiled.sql).toBe(`(${Array.from({ length: 500 }, () => '"a"."size" = ?').join(' or ')})`);
  });

  it('should refuse a field the column map does not cover, as an ODataError', () => {
    const query = parseODataQuery({ $filter: "name eq 'a'" }, FIELDS);
    expect(() => applyODataFilter(DIALECTS.sqlite.selectFrom('items as a').select('a.id'), query.filter, { id: COLUMNS.id }).compile()).toThrow(
      expect.objectContaining({ code: 'ODataError', message: "Property 'name' is not supported in this query" }),
    );
  });

  it('should refuse any() on a field not stored as a tag table', () => {
    const query = parseODataQuery({ $filter: "tags/any(t: t eq 'a')" }, FIELDS);
    const columns: ColumnMap = { ...COLUMNS, tags: { kind: 'column', column: 'a.tags' } };
    expect(() => applyODataFilter(DIALECTS.sqlite.selectFrom('items as a').select('a.id'), query.filter, columns).compile()).toThrow(
      expect.objectContaining({ code: 'ODataError' }),
    );
  });
});

describe('applyODataOrderAndPage', () => {
  const page = (db: AnyDb, query: ODataQuery) => applyODataOrderAndPage(db.selectFrom('items as a').select('a.id'), query, COLUMNS, 'a.id').compile();

  it.each<[string, Record<string, string>, string, unknown[]]>([
    ['the tiebreak and default paging', {}, 'order by "a"."id" asc limit ? offset ?', [10000, 0]],
    ['a not-null column, tiebreak following its direction', { $orderby: 'createdAt desc', $top: '2' }, 'order by "a"."created_at" desc, "a"."id" desc limit ? offset ?', [2, 0]],
    ['nullable columns with OData null placement', { $orderby: 'name, size desc', $skip: '20' }, 'order by "a"."name" asc nulls first, "a"."size" desc nulls last, "a"."id" asc limit ? offset ?', [10000, 20]],
    ['no duplicate tiebreak', { $orderby: 'id desc', $top: '0' }, 'order by "a"."id" desc limit ? offset ?', [0, 0]],
  ])('should compile %s', (_name, params, tail, parameters) => {
    const query = parseODataQuery(params, FIELDS);
    const sqlite = page(DIALECTS.sqlite, query);
    expect(sqlite).toMatchObject({ sql: `${BASE} ${tail}`, parameters });
    const postgres = page(DIALECTS.postgres, query);
    expect(postgres).toMatchObject({ sql: `${BASE} ${numbered(tail)}`, parameters });
  });

  it('should use the default order given to the parser', () => {
    const query = parseODataQuery({}, FIELDS, { defaultOrderBy: [{ field: 'createdAt', direction: 'desc' }] });
    expect(page(DIALECTS.sqlite, query).sql).toBe(`${BASE} order by "a"."created_at" desc, "a"."id" desc limit ? offset ?`);
  });

  it('should refuse ordering by a tag table', () => {
    const query: ODataQuery = { filter: undefined, orderBy: [{ field: 'tags', direction: 'asc' }], top: 1, skip: 0, select: undefined, count: false };
    expect(() => page(DIALECTS.sqlite, query)).toThrow(expect.objectContaining({ code: 'ODataError' }));
  });
});

describe('escapeLike', () => {
  it.each([
    ['plain', 'plain'],
    ['50%', '50\\%'],
    ['a_b', 'a\\_b'],
    ['back\\slash', 'back\\\\slash'],
    ['%_\\', '\\%\\_\\\\'],
  ])('should escape %j', (input, expected) => {
    expect(escapeLike(input)).toBe(expected);
  });
});
