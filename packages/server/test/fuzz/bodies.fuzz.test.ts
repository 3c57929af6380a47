/**
 * Property tests of every JSON-body endpoint: random JSON values, objects with the documented keys
 * in the wrong case or with wrong types, unknown and prototype-polluting keys, huge strings, deep
 * nesting, unicode and NUL, unreadable JSON and other content types, aimed at the caller's own
 * machines and actions, at another tenant's, and at ids that do not exist. Besides the shared
 * invariants (fuzz-app.ts): another tenant's machine or action always answers 400/404 and stays
 * untouched, and a 2xx only ever concerns the caller's own machines.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION_SPECS } from '@cordon/protocol';
import { fuzzParams, fuzzTimeout, nastyString, startFuzzApp, type FuzzApp } from './fuzz-app.js';

let f: FuzzApp;
beforeAll(async () => {
  f = await startFuzzApp();
});
afterAll(() => f.close());

/** Every route the generic response-action handler serves (live response has its own fuzz test). */
const ACTION_SEGMENTS = ACTION_SPECS.filter((s) => s.createdBy === 'responseAction').map((s) => s.segment);

const KEYS = ['Comment', 'IsolationType', 'ScanType', 'Sha1', 'ExternalId', 'Value', 'Action', 'MachineIds', 'machineTags', 'deviceValue'];

const key = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...KEYS) },
  { weight: 2, arbitrary: fc.constantFrom(...KEYS).map((k) => (k[0] === k[0]!.toUpperCase() ? k[0]!.toLowerCase() + k.slice(1) : k.toUpperCase())) },
  { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', 'prototype', 'tenantId', 'TenantId', 'status', 'id', '', ' Comment', 'Comment\u0000') },
  { weight: 1, arbitrary: nastyString() },
);

const goodValue = fc.oneof(
  fc.constantFrom('Full', 'Selective', 'UnManagedDevice', 'Quick', 'Full', 'Add', 'Remove', 'Low', 'Normal', 'High', 'fuzz comment'),
  fc.stringMatching(/^[0-9a-f]{40}$/),
  fc.string({ minLength: 1, maxLength: 30 }),
);

const value: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: goodValue },
  { weight: 3, arbitrary: nastyString() },
  { weight: 1, arbitrary: fc.constantFrom(null, true, false, 0, -1, 1e308, Number.MAX_SAFE_INTEGER, [], {}) },
  { weight: 1, arbitrary: fc.array(fc.oneof(goodValue, nastyString()), { maxLength: 5 }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
);

/** JSON text of the body, plus its content type. */
const body: fc.Arbitrary<{ payload: string; contentType: string }> = fc.oneof(
  { weight: 6, arbitrary: fc.dictionary(key, value, { maxKeys: 5 }).map((o) => json(o)) },
  { weight: 2, arbitrary: fc.jsonValue().map((v) => json(v)) },
  {
    weight: 1,
    arbitrary: fc.tuple(fc.integer({ min: 1, max: 20_000 }), fc.constantFrom('[', '{"a":')).map(([n, open]) => ({
      payload: open.repeat(n) + '1' + (open === '[' ? ']' : '}').repeat(n),
      contentType: 'application/json',
    })),
  },
  { weight: 1, arbitrary: fc.constantFrom(1_000, 100_000, 1_100_000).map((n) => json({ Comment: 'x'.repeat(n) })) },
  {
    weight: 1,
    arbitrary: fc.tuple(
      fc.oneof(nastyString(), fc.constantFrom('', '{', '{"Comment":', '{"Comment":"a",}', "{'Comment':'a'}", 'null', '[]', '"x"', '{"Comment":"\\ud800"}', '\u0000{}')),
      fc.constantFrom('application/json', 'application/json; charset=utf-16', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', ''),
    ).map(([payload, contentType]) => ({ payload, contentType })),
  },
);

function json(value: unknown) {
  return { payload: JSON.stringify(value) ?? 'null', contentType: 'application/json' };
}

/** Whose machine (or action) a request targets. */
const target = fc.constantFrom('own', 'own', 'own', 'other', 'missing') as fc.Arbitrary<'own' | 'other' | 'missing'>;

function pick(kind: 'own' | 'other' | 'missing', which: 'machineIds' | 'actionIds', index: number): string {
  if (kind === 'missing') return which === 'machineIds' ? 'ffffffffffffffffffffffffffffffffffffffff' : '00000000-0000-4000-8000-000000000000';
  const list = f[kind][which];
  return list[index % list.length]!;
}

async function send(method: 'POST' | 'PATCH', url: string, b: { payload: string; contentType: string }, kind: 'own' | 'other' | 'missing') {
  const res = await f.send({ method, url, payload: b.payload, headers: b.contentType ? { 'content-type': b.contentType } : {} });
  if (kind !== 'own') expect([400, 404, 413, 415]).toContain(res.statusCode);
  if (res.statusCode < 300) {
    const entity = res.json() as { machineId?: string; id?: string; value?: { id: string }[] };
    const ids = entity.value ? entity.value.map((m) => m.id) : [entity.machineId ?? entity.id];
    for (const id of ids) expect([...f.own.machineIds, ...f.own.actionIds]).toContain(id);
  }
  return res;
}

describe('JSON bodies of every write endpoint', () => {
  it(
    'should refuse or accept any body on POST /machines/{id}/<action> without 5xx or side effects on refusal',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...ACTION_SEGMENTS), target, fc.nat(), body, async (segment, kind, i, b) => {
          await send('POST', `/api/machines/${pick(kind, 'machineIds', i)}/${segment}`, b, kind);
        }),
        fuzzParams(2),
      );
    },
    fuzzTimeout(2),
  );

  it(
    'should refuse or accept any body on POST /machineactions/{id}/cancel',
    async () => {
      await fc.assert(
        fc.asyncProperty(target, fc.nat(), body, async (kind, i, b) => {
          await send('POST', `/api/machineactions/${pick(kind, 'actionIds', i)}/cancel`, b, kind);
        }),
        fuzzParams(1),
      );
    },
    fuzzTimeout(1),
  );

  it(
    'should refuse or accept any body on the tag and machine update endpoints',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.constantFrom('tags', 'patch', 'bulk'), target, fc.nat(), body, async (which, kind, i, b) => {
          const id = pick(kind, 'machineIds', i);
          if (which === 'tags') await send('POST', `/api/machines/${id}/tags`, b, kind);
          else if (which === 'patch') await send('PATCH', `/api/machines/${id}`, b, kind);
          else {
            // The bulk endpoint names machines in the body: splice the target's id into MachineIds.
            const withIds = b.payload.startsWith('{') && kind !== 'own' ? { ...b, payload: b.payload.replace('{', `{"MachineIds":["${id}"],`) } : b;
            const res = await send('POST', '/api/machines/AddOrRemoveTagForMultipleMachines', withIds, 'own');
            if (kind === 'other' && res.statusCode === 200) expect((res.json() as { value: unknown[] }).value).toEqual([]);
          }
        }),
        fuzzParams(1),
      );
    },
    fuzzTimeout(1),
  );
});
