/**
 * Property tests of path ids: every route with an `{id}` gets random strings, dot segments,
 * percent-encoded NUL and slashes, malformed escapes, unicode, SQL payloads and very long ids,
 * both percent-encoded (as clients send them) and raw. Shared invariants as in fuzz-app.ts, plus:
 * an id that is not one of the caller's own never answers 2xx.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fuzzParams, fuzzTimeout, nastyString, startFuzzApp, type FuzzApp } from './fuzz-app.js';

let f: FuzzApp;
beforeAll(async () => {
  f = await startFuzzApp();
});
afterAll(() => f.close());

const ROUTES: readonly { method: 'GET' | 'POST' | 'PATCH'; path: (id: string) => string; body?: unknown }[] = [
  { method: 'GET', path: (id) => `/api/machines/${id}` },
  { method: 'GET', path: (id) => `/api/v1.0/machines/${id}` },
  { method: 'GET', path: (id) => `/api/machineactions/${id}` },
  { method: 'GET', path: (id) => `/api/machines/${id}/alerts` },
  { method: 'GET', path: (id) => `/api/machines/${id}/logonusers` },
  { method: 'GET', path: (id) => `/api/machines/${id}/timeline` },
  { method: 'PATCH', path: (id) => `/api/machines/${id}`, body: { deviceValue: 'High' } },
  { method: 'POST', path: (id) => `/api/machines/${id}/tags`, body: { Value: 'fuzz', Action: 'Add' } },
  { method: 'POST', path: (id) => `/api/machines/${id}/isolate`, body: { Comment: 'fuzz', IsolationType: 'Selective' } },
  { method: 'POST', path: (id) => `/api/machines/${id}/runAntiVirusScan`, body: { Comment: 'fuzz', ScanType: 'Quick' } },
  { method: 'POST', path: (id) => `/api/machines/${id}/StopAndQuarantineFile`, body: { Comment: 'fuzz', Sha1: 'a'.repeat(40) } },
  { method: 'POST', path: (id) => `/api/machineactions/${id}/cancel`, body: { Comment: 'fuzz' } },
];

/** Raw path text: what a hostile client can put between two slashes without an encoder. */
const rawId = fc.oneof(
  fc.constantFrom('..', '.', '%2e%2e', '%2E%2E%2F', '..%2f..%2fetc%2fpasswd', '%00', 'a%00b', '%', '%zz', '%e0%a4%a', '%ff%fe', '%c0%ae%c0%ae', '%2f', 'a/b', '%5c..%5c', ';', '*', '~', '%20', '%u0027', '%25', 'findbyip(ip=\'1.2.3.4\',timestamp=2020-01-01T00:00:00Z)', "findbyip(ip='999.1.1.1',timestamp=x)", "findbyip(ip='::1',timestamp='2019-09-22T08:44:05Z')"),
  fc.string({ unit: fc.constantFrom(...'abcdef0123456789%./-_~:@!$&\'()*+,;='.split('')), maxLength: 60 }),
  fc.integer({ min: 200, max: 12_000 }).map((n) => 'a'.repeat(n)),
);

/** Any string, percent-encoded as a client library would. */
const encodedId = nastyString().map((s) => {
  try {
    return encodeURIComponent(s);
  } catch {
    return encodeURIComponent(s.replace(/[\uD800-\uDFFF]/g, '\uFFFD'));
  }
});

describe('path ids on every {id} route', () => {
  it(
    'should answer any id with a catalog 4xx or the caller’s own entity',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...ROUTES), fc.oneof(rawId, encodedId), async (route, id) => {
          if (id === '') return; // `/machines/` is the collection, tested by the OData properties
          const res = await f.send({ method: route.method, url: route.path(id), ...(route.body ? { payload: route.body as Record<string, unknown> } : {}) });
          if (res.statusCode < 300) {
            // A list comes back for `findbyip(...)` (a function call in the id segment) and for dot
            // segments that resolve to the collection; its rows must all be the caller's own.
            const body = res.json() as { id?: string; machineId?: string; value?: { id: string }[] };
            const own = [...f.own.machineIds, ...f.own.actionIds].map((x) => x.toLowerCase());
            for (const got of body.value ? body.value.map((v) => v.id) : [body.machineId ?? body.id]) expect(own).toContain(String(got).toLowerCase());
            if (!body.value) expect(own).toContain(safeDecode(id).toLowerCase());
          }
        }),
        fuzzParams(2),
      );
    },
    fuzzTimeout(2),
  );

  it(
    'should never reach another tenant’s machine or action by id, however it is spelled',
    async () => {
      const spell = fc.constantFrom(
        (id: string) => id,
        (id: string) => id.toUpperCase(),
        (id: string) => `${id}%00`,
        (id: string) => `${id}%20`,
        (id: string) => `%20${id}`,
        (id: string) => `${id}'%20OR%20'1'='1`,
        (id: string) => `..%2f${id}`,
        (id: string) => encodeURIComponent(id).replace(/[0-9a-f]/g, (c) => `%${c.charCodeAt(0).toString(16)}`),
      );
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...ROUTES), fc.constantFrom(...f.other.machineIds, ...f.other.actionIds), spell, async (route, id, how) => {
          const res = await f.send({ method: route.method, url: route.path(how(id)), ...(route.body ? { payload: route.body as Record<string, unknown> } : {}) });
          expect([400, 404]).toContain(res.statusCode);
        }),
        fuzzParams(0.5),
      );
    },
    fuzzTimeout(0.5),
  );
});

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
