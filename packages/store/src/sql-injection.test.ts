/**
 * Modelled on kysely's test/node/src/sql-injection.test.ts: hostile text inside OData literals must
 * either be refused with ODataError or reach the database only as bound parameters. Checked twice:
 * on the compiled SQL (its text must not depend on the literal at all) and against a real
 * in-memory SQLite database (no rows beyond the legitimately matching ones, schema intact).
 */
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kysely, SqliteDialect } from 'kysely';
import { isDomainError, parseODataQuery, type FieldMap } from '@cordon/core';
import { applyODataFilter, applyODataOrderAndPage, type ColumnMap } from './odata-to-kysely.js';

interface Item {
  id: string;
  name: string | null;
  created_at: string;
}
interface Tag {
  item_id: string;
  value: string;
}
interface TestDb {
  items: Item;
  tags: Tag;
}

const FIELDS: FieldMap = {
  id: { type: 'string', filterable: true, sortable: true },
  name: { type: 'string', filterable: true, sortable: true },
  createdAt: { type: 'datetime', filterable: true, sortable: true },
  tags: { type: 'stringArray', filterable: true, sortable: false },
};
const COLUMNS: ColumnMap = {
  id: { kind: 'column', column: 'a.id', notNull: true },
  name: { kind: 'column', column: 'a.name' },
  createdAt: { kind: 'column', column: 'a.created_at', notNull: true },
  tags: { kind: 'tagTable', table: 'tags as t', valueColumn: 't.value', join: [['t.item_id', 'a.id']] },
};

const PAYLOADS = [
  "' OR '1'='1",
  "'; DROP TABLE items; --",
  "') or 1=1 --",
  "Robert'); DROP TABLE items;--",
  "' UNION SELECT name, name, name FROM sqlite_master --",
  '" or ""="',
  '\u2019 OR \u20191\u2019=\u20191', // right single quotation marks
  '\u02bc OR 1=1 --', // modifier letter apostrophe
  '\uff07 OR 1=1 --', // fullwidth apostrophe
  "\\' OR 1=1 --",
  '\\',
  '%',
  '_',
  '%%',
  'a\u0000b',
  "\u0000' OR 1=1 --",
  '*/ OR 1=1 /*',
  '1; SELECT * FROM sqlite_master',
  '$1',
  '?',
  "O'Brien",
];

const ROWS: Item[] = [
  { id: '1', name: 'alpha', created_at: '2020-01-01T00:00:00.0000000Z' },
  { id: '2', name: "O'Brien", created_at: '2020-01-02T00:00:00.0000000Z' },
  { id: '3', name: "' OR '1'='1", created_at: '2020-01-03T00:00:00.0000000Z' },
  { id: '4', name: 'back\\slash', created_at: '2020-01-04T00:00:00.0000000Z' },
  { id: '5', name: '50%_off', created_at: '2020-01-05T00:00:00.0000000Z' },
  { id: '6', name: null, created_at: '2020-01-06T00:00:00.0000000Z' },
];
const TAGS: Tag[] = [
  { item_id: '1', value: 'red' },
  { item_id: '3', value: "'; DROP TABLE items; --" },
];

const quote = (text: string) => `'${text.replaceAll("'", "''")}'`;
const lower = (text: string | null) => (text === null ? null : text.toLowerCase());

/** A filter template, and which seeded rows legitimately match it for literal `p`. */
const TEMPLATES: [string, (p: string) => string, (p: string, row: Item) => boolean][] = [
  ['eq', (p) => `name eq ${quote(p)}`, (p, row) => row.name === p],
  ['ne', (p) => `name ne ${quote(p)}`, (p, row) => row.name !== p],
  ['startswith', (p) => `startswith(name,${quote(p)})`, (p, row) => lower(row.name)?.startsWith(p.toLowerCase()) === true],
  ['endswith', (p) => `endswith(name,${quote(p)})`, (p, row) => lower(row.name)?.endsWith(p.toLowerCase()) === true],
  ['contains', (p) => `contains(name,${quote(p)})`, (p, row) => lower(row.name)?.includes(p.toLowerCase()) === true],
  ['in', (p) => `name in (${quote(p)}, 'alpha')`, (p, row) => row.name === p || row.name === 'alpha'],
  // OData's two-valued logic: `not (null eq 'x')` is true, so the null-name row matches.
  ['not eq', (p) => `not (name eq ${quote(p)})`, (p, row) => row.name !== p],
  ['not contains', (p) => `not contains(name,${quote(p)})`, (p, row) => !(lower(row.name)?.includes(p.toLowerCase()) === true)],
  ['any', (p) => `tags/any(t: t eq ${quote(p)})`, (p, row) => TAGS.some((tag) => tag.item_id === row.id && tag.value === p)],
];

// Created at load time: the describe blocks compile queries while collecting tests.
const db = new Kysely<TestDb>({ dialect: new SqliteDialect({ database: new Database(':memory:') }) });

beforeAll(async () => {
  await db.schema.createTable('items').addColumn('id', 'text', (c) => c.primaryKey()).addColumn('name', 'text').addColumn('created_at', 'text', (c) => c.notNull()).execute();
  await db.schema.createTable('tags').addColumn('item_id', 'text', (c) => c.notNull()).addColumn('value', 'text', (c) => c.notNull()).execute();
  await db.insertInto('items').values(ROWS).execute();
  await db.insertInto('tags').values(TAGS).execute();
});

afterAll(async () => {
  await db.destroy();
});

function select(filterText: string) {
  const query = parseODataQuery({ $filter: filterText, $orderby: 'id' }, FIELDS);
  const qb = applyODataFilter(db.selectFrom('items as a').select(['a.id']), query.filter, COLUMNS);
  return applyODataOrderAndPage(qb, query, COLUMNS, 'a.id');
}

async function assertSchemaIntact(): Promise<void> {
  expect(await db.selectFrom('items').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).toEqual({ n: ROWS.length });
  expect(await db.selectFrom('tags').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).toEqual({ n: TAGS.length });
}

describe('OData literals are parameters, never SQL', () => {
  describe.each(TEMPLATES)('in %s', (_name, template, matches) => {
    const harmless = select(template('x')).compile();

    it.each(PAYLOADS.filter((p) => !p.includes('\u0000')))('should bind %j as a parameter and return only matching rows', async (payload) => {
      const compiled = select(template(payload)).compile();
      // The SQL text must not depend on the literal: same text as for a harmless value.
      expect(compiled.sql).toBe(harmless.sql);
      expect(compiled.parameters.length).toBe(harmless.parameters.length);
      const rows = await select(template(payload)).execute();
      expect(rows.map((row) => row.id)).toEqual(ROWS.filter((row) => matches(payload, row)).map((row) => row.id));
    });

    it.each(PAYLOADS.filter((p) => p.includes('\u0000')))('should refuse %j (NUL) with ODataError', (payload) => {
      expect(() => select(template(payload))).toThrow(expect.objectContaining({ code: 'ODataError', message: expect.stringContaining('NUL character in string literal') }));
    });
  });

  afterAll(assertSchemaIntact);

  it('should find the seeded row whose name is an injection payload, and only it', async () => {
    expect(await select(`name eq ${quote("' OR '1'='1")}`).execute()).toEqual([{ id: '3' }]);
    expect(await select(`tags/any(t: t eq ${quote("'; DROP TABLE items; --")})`).execute()).toEqual([{ id: '3' }]);
  });

  it('should treat LIKE wildcards in function arguments literally', async () => {
    expect(await select("contains(name,'%')").execute()).toEqual([{ id: '5' }]);
    expect(await select("contains(name,'_')").execute()).toEqual([{ id: '5' }]);
    expect(await select("contains(name,'\\')").execute()).toEqual([{ id: '4' }]);
    expect(await select("startswith(name,'o''b')").execute()).toEqual([{ id: '2' }]);
  });
});

describe('unescaped payloads spliced into the query text', () => {
  const attempts: Record<string, string>[] = [
    ...PAYLOADS.map((p) => ({ $filter: `name eq '${p}'` })),
    ...PAYLOADS.map((p) => ({ $filter: `startswith(name,'${p}')` })),
    ...PAYLOADS.map((p) => ({ $filter: `name in ('${p}')` })),
    { $filter: "name eq 'a' or 1 eq 1" },
    { $filter: "name eq 'a'; DROP TABLE items" },
    { $filter: "name eq 'a' -- comment" },
    { $filter: "name eq 'a' /* comment */" },
    { $filter: 'name" = "name" or "1 eq 1' },
    { $filter: "\"a\".\"name\" eq 'x'" },
    { $filter: "sqlite_master eq 'x'" },
    { $filter: "createdAt gt '2020-01-01'' OR ''1''=''1'" },
    { $orderby: 'name; DROP TABLE items' },
    { $orderby: 'name desc, (select 1)' },
    { $orderby: 'name desc--' },
    { $select: 'name, (select 1)' },
    { $select: '"name"' },
    { $top: '1; DROP TABLE items' },
    { $skip: '0 OR 1=1' },
    { $count: "true'" },
  ];

  it.each(attempts)('should refuse %j or keep it out of the SQL text', async (params) => {
    let query;
    try {
      query = parseODataQuery(params, FIELDS);
    } catch (error) {
      expect(isDomainError(error) && error.code === 'ODataError').toBe(true);
      return;
    }
    // Parsed: then it is a well-formed query over whitelisted names, its literals parameters only.
    const qb = applyODataOrderAndPage(applyODataFilter(db.selectFrom('items as a').select(['a.id']), query.filter, COLUMNS), query, COLUMNS, 'a.id');
    const text = qb.compile().sql.toLowerCase();
    for (const fragment of ['drop', 'union', 'sqlite_master', '1=1', '--', ';', '/*', "'1'"]) expect(text).not.toContain(fragment);
    const ids = (await qb.execute()).map((row) => row.id);
    expect(ids.every((id) => ROWS.some((row) => row.id === id))).toBe(true);
  });

  afterAll(assertSchemaIntact);
});
