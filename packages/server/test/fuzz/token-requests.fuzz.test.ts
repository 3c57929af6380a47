/**
 * Property tests of the token endpoints (v2, v1 POST and v1 GET): random forms with the right and
 * wrong fields, repeated fields, random Basic headers, random tenants and content types. The token
 * endpoints answer in Entra's OAuth error shape, not the MDE envelope, so the invariants here are:
 * status < 500; an error body has exactly Entra's keys (or, for requests refused before routing,
 * the MDE envelope) with an RFC 6749 error name; a 200 happens
 * only with the real secret; no answer ever contains a client secret or a private key member; the
 * applications and signing keys in the store never change.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApplication } from '../../src/auth/index.js';
import { randomIds } from '@cordon/server';
import { expectErrorShape, fuzzParams, fuzzTimeout, nastyString, startFuzzApp, type FuzzApp } from './fuzz-app.js';

let f: FuzzApp;
let client: { clientId: string; clientSecret: string };
let privateParts: string[];
beforeAll(async () => {
  f = await startFuzzApp();
  client = await createApplication(f.t.store.identity, { tenantId: f.t.tenantId, name: 'fuzz client', roles: ['Machine.Read.All'] }, { clock: f.t.clock, ids: randomIds });
  const keys = await f.t.store.db.selectFrom('signing_keys').select('private_jwk').execute();
  privateParts = keys.flatMap((k) => {
    const jwk = JSON.parse(k.private_jwk) as Record<string, string>;
    return ['d', 'p', 'q', 'dp', 'dq', 'qi'].map((m) => jwk[m]).filter((v): v is string => typeof v === 'string');
  });
});
afterAll(() => f.close());

const OAUTH_ERRORS = ['invalid_request', 'invalid_client', 'invalid_grant', 'unauthorized_client', 'unsupported_grant_type', 'invalid_scope', 'server_error', 'temporarily_unavailable'];
const FIELDS = ['client_id', 'client_secret', 'grant_type', 'scope', 'resource', 'assertion', 'client_assertion', 'client_assertion_type', 'CLIENT_ID', 'username', 'password'];

const fieldValue = (name: string) =>
  fc.oneof(
    { weight: 3, arbitrary: nastyString() },
    {
      weight: 2,
      arbitrary:
        name === 'client_id'
          ? fc.constant('<client>')
          : name === 'grant_type'
            ? fc.constantFrom('client_credentials', 'password', 'authorization_code', 'CLIENT_CREDENTIALS', '')
            : name === 'scope'
              ? fc.constantFrom('https://api.securitycenter.microsoft.com/.default', '/.default', '.default', 'Machine.Read.All', '')
              : name === 'client_secret'
                ? fc.constantFrom('<secret-prefix>', 'x', '')
                : nastyString(),
    },
  );

const form = fc
  .array(fc.constantFrom(...FIELDS).chain((name) => fieldValue(name).map((v) => [name, v] as [string, string])), { maxLength: 7 })
  .map((pairs) => pairs.map(([k, v]) => [k, v.replace('<client>', client.clientId).replace('<secret-prefix>', client.clientSecret.slice(0, 20))] as [string, string]));

const basic = fc.oneof(
  fc.constant(undefined),
  nastyString().map((s) => `Basic ${Buffer.from(s).toString('base64')}`),
  nastyString().map((s) => `Basic ${s}`),
  fc.constant(null).map(() => `Basic ${Buffer.from(`${client.clientId}:wrong`).toString('base64')}`),
);

const tenant = fc.oneof({ weight: 4, arbitrary: fc.constant('<own>') }, { weight: 1, arbitrary: fc.constant('<other>') }, { weight: 1, arbitrary: nastyString().map(encodeSafe) });

const endpoint = fc.constantFrom(
  { method: 'POST', path: 'oauth2/v2.0/token' },
  { method: 'POST', path: 'oauth2/token' },
  { method: 'GET', path: 'oauth2/token' },
) as fc.Arbitrary<{ method: 'POST' | 'GET'; path: string }>;

const contentType = fc.constantFrom('application/x-www-form-urlencoded', 'application/x-www-form-urlencoded; charset=utf-8', 'application/json', 'text/plain', 'multipart/form-data', '');

describe('token endpoints under random requests', () => {
  it(
    'should answer every request with a token (real secret only) or an Entra-shaped OAuth error',
    async () => {
      const before = await identitySnapshot();
      await fc.assert(
        fc.asyncProperty(endpoint, tenant, form, basic, contentType, fc.boolean(), async (ep, tid, fields, auth, ctype, asJson) => {
          const tenantId = tid === '<own>' ? f.t.tenantId : tid === '<other>' ? f.otherTenantId : tid;
          const payload = asJson ? JSON.stringify(Object.fromEntries(fields)) : new URLSearchParams(fields).toString();
          const res = await f.t.app.inject({
            method: ep.method,
            url: `/${tenantId}/${ep.path}`,
            headers: { ...(ctype ? { 'content-type': ctype } : {}), ...(auth ? { authorization: auth } : {}) },
            payload,
          });
          expect(res.statusCode, res.body.slice(0, 300)).toBeLessThan(500);
          if (res.statusCode === 200) throw new Error(`a token without the real secret: ${payload}`);
          const body = JSON.parse(res.body) as Record<string, unknown>;
          if (typeof body.error === 'object') {
            // Refused before routing (e.g. a tenant segment over find-my-way's 100-character param
            // limit): the app-wide framework-error handler answers in the MDE envelope.
            expectErrorShape(res);
          } else {
            expect(Object.keys(body).sort()).toEqual(['correlation_id', 'error', 'error_codes', 'error_description', 'timestamp', 'trace_id']);
            expect(OAUTH_ERRORS).toContain(body.error);
          }
          expect(res.body).not.toContain(client.clientSecret);
          for (const part of privateParts) expect(res.body).not.toContain(part);
        }),
        fuzzParams(1),
      );
      expect(await identitySnapshot()).toBe(before);
    },
    fuzzTimeout(1),
  );
});

async function identitySnapshot(): Promise<string> {
  const apps = await f.t.store.db.selectFrom('apps').selectAll().orderBy('client_id').execute();
  const keys = await f.t.store.db.selectFrom('signing_keys').selectAll().orderBy('kid').execute();
  const tenants = await f.t.store.db.selectFrom('tenants').selectAll().orderBy('id').execute();
  return JSON.stringify([apps, keys, tenants]);
}

function encodeSafe(s: string): string {
  return encodeURIComponent(s.replace(/[\uD800-\uDFFF]/g, '\uFFFD')) || 'x';
}
