/**
 * Property tests of the OData query options on both collections: grammar-shaped, mutated and
 * garbage `$filter`, `$orderby`, `$select`, `$top`, `$skip`, `$count`, through the real app.
 * Besides the shared invariants (fuzz-app.ts): a 2xx page holds only the caller's own rows, never
 * more than `$top`, and `@odata.count` is a count when asked for.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MACHINE_ACTION_FIELDS, MACHINE_FIELDS, type FieldMap } from '@cordon/core';
import { fuzzParams, fuzzTimeout, startFuzzApp, type FuzzApp } from './fuzz-app.js';
import { filterText, queryOptions, toQueryString } from './odata-generators.js';

let f: FuzzApp;
beforeAll(async () => {
  f = await startFuzzApp();
});
afterAll(() => f.close());

const COLLECTIONS: readonly { path: string; fields: FieldMap; ownIds: () => string[] }[] = [
  { path: '/api/machineactions', fields: MACHINE_ACTION_FIELDS, ownIds: () => f.own.actionIds },
  { path: '/api/machines', fields: MACHINE_FIELDS, ownIds: () => f.own.machineIds },
];

async function query(path: string, qs: string, ownIds: string[]) {
  const url = qs ? `${path}?${qs}` : path;
  const res = await f.send({ method: 'GET', url });
  if (res.statusCode === 200) {
    const body = res.json() as { value: Record<string, unknown>[]; '@odata.count'?: unknown };
    expect(Array.isArray(body.value)).toBe(true);
    const top = new URLSearchParams(qs).get('$top');
    if (top !== null && /^\d+$/.test(top)) expect(body.value.length).toBeLessThanOrEqual(Number(top));
    for (const row of body.value) if ('id' in row) expect(ownIds).toContain(row.id);
    if (body['@odata.count'] !== undefined) expect(Number.isInteger(body['@odata.count'])).toBe(true);
  } else {
    expect([400, 404, 405, 414]).toContain(res.statusCode);
  }
}

describe.each(COLLECTIONS)('OData query options on $path', ({ path, fields, ownIds }) => {
  it(
    'should answer any $filter with 200 or a catalog 400, never 5xx, never other tenants’ rows',
    async () => {
      await fc.assert(
        fc.asyncProperty(filterText(fields), fc.boolean(), async (filter, plus) => {
          await query(path, toQueryString([['$filter', filter]], plus), ownIds());
        }),
        fuzzParams(1),
      );
    },
    fuzzTimeout(1),
  );

  it(
    'should answer any combination of $filter/$orderby/$select/$top/$skip/$count safely',
    async () => {
      await fc.assert(
        fc.asyncProperty(queryOptions(fields), fc.boolean(), async (options, plus) => {
          await query(path, toQueryString(options, plus), ownIds());
        }),
        fuzzParams(1),
      );
    },
    fuzzTimeout(1),
  );

  it(
    'should survive raw, unencoded and badly percent-encoded query strings',
    async () => {
      const raw = fc.string({ unit: fc.constantFrom(...'$filter=orderby&top%25%2%zz%00+ \'"()=,?#/\\'.split('')), maxLength: 80 });
      await fc.assert(
        fc.asyncProperty(raw, async (qs) => {
          await query(path, qs.replaceAll('#', '%23').replaceAll(' ', '+'), ownIds());
        }),
        fuzzParams(0.5),
      );
    },
    fuzzTimeout(0.5),
  );
});
