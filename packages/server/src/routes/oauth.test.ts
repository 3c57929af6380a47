import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import { buildTestApp, getToken, TEST_ISSUER_BASE, TEST_PUBLIC_URL, type TestApp } from '../testing/auth.js';

let t: TestApp;
afterEach(async () => t?.app.close());

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const SCOPE = 'https://api.securitycenter.microsoft.com/.default';

function v2(fields: Record<string, string>, tenant = t.tenantId, remoteAddress = '127.0.0.1') {
  return t.app.inject({ method: 'POST', url: `/${tenant}/oauth2/v2.0/token`, headers: FORM, payload: form(fields), remoteAddress });
}
const good = () => ({ client_id: t.clientId, client_secret: t.clientSecret, grant_type: 'client_credentials', scope: SCOPE });

/** Entra's error shape, with the AADSTS code and RFC 6749 error name. */
function expectOAuthError(res: { statusCode: number; body: string }, status: number, error: string, aadsts: number) {
  expect(res.statusCode).toBe(status);
  const body = JSON.parse(res.body) as Record<string, unknown>;
  expect(body).toEqual({
    error,
    error_description: expect.stringMatching(new RegExp(`^AADSTS${aadsts}: `)),
    error_codes: [aadsts],
    timestamp: '2025-01-15 10:00:00Z',
    trace_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
    correlation_id: expect.any(String),
  });
  return body;
}

describe('oauthRoutes token endpoints', () => {
  it('should issue a v2 client-credentials token in Entra’s exact shape', async () => {
    t = await buildTestApp();
    const res = await v2(good());
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const body = res.json() as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(['token_type', 'expires_in', 'ext_expires_in', 'access_token']);
    expect(body).toEqual({ token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: expect.any(String) });
  });

  it('should put Entra v1 app-token claims in the token and sign it RS256 with a kid', async () => {
    t = await buildTestApp({ roles: ['Machine.Isolate', 'Machine.Read.All'] });
    const token = await getToken(t);
    const keys = (await t.app.inject({ method: 'GET', url: '/discovery/keys' })).json() as JSONWebKeySet;
    const { payload, protectedHeader } = await jwtVerify(token, createLocalJWKSet(keys), { currentDate: new Date(t.clock.now()) });
    expect(protectedHeader).toEqual({ typ: 'JWT', alg: 'RS256', kid: keys.keys[0]!.kid });
    const iat = Math.floor(t.clock.now() / 1000);
    const name = payload.app_displayname as string;
    expect(payload).toEqual({
      aud: 'https://api.securitycenter.microsoft.com',
      iss: `${TEST_ISSUER_BASE}/${t.tenantId}/`,
      iat,
      nbf: iat,
      exp: iat + 3600,
      app_displayname: name,
      appid: t.clientId,
      appidacr: '1',
      azp: t.clientId,
      idp: `${TEST_ISSUER_BASE}/${t.tenantId}/`,
      idtyp: 'app',
      oid: t.clientId,
      roles: ['Machine.Isolate', 'Machine.Read.All'],
      sub: t.clientId,
      tid: t.tenantId,
      uti: expect.any(String),
      ver: '1.0',
    });
    expect(name).toMatch(/^Test app \d+$/);
  });

  it('should publish only the public parts of the key', async () => {
    t = await buildTestApp();
    await getToken(t);
    const { keys } = (await t.app.inject({ method: 'GET', url: '/discovery/keys' })).json() as JSONWebKeySet;
    expect(keys).toHaveLength(1);
    expect(Object.keys(keys[0]!).sort()).toEqual(['alg', 'e', 'kid', 'kty', 'n', 'use']);
    const tenantKeys = (await t.app.inject({ method: 'GET', url: `/${t.tenantId}/discovery/v2.0/keys` })).json();
    expect(tenantKeys).toEqual({ keys });
  });

  it('should keep the signing key across app instances on one store', async () => {
    t = await buildTestApp();
    const first = decodeProtectedHeader(await getToken(t)).kid;
    const second = await buildTestApp({ identity: t.identity, clock: t.clock });
    try {
      expect(decodeProtectedHeader(await getToken(second)).kid).toBe(first);
      expect(await t.identity.listSigningKeys('jwt')).toHaveLength(1);
    } finally {
      await second.app.close();
    }
  });

  it('should accept any scope ending in /.default', async () => {
    t = await buildTestApp();
    expect((await v2({ ...good(), scope: 'https://securitycenter.onmicrosoft.com/windowsatpservice/.default' })).statusCode).toBe(200);
    expect((await v2({ ...good(), scope: 'api://whatever/.default' })).statusCode).toBe(200);
    expectOAuthError(await v2({ ...good(), scope: 'Machine.Read.All' }), 400, 'invalid_scope', 1002012);
    expectOAuthError(await v2({ ...good(), scope: '' }), 400, 'invalid_request', 900144);
  });

  it('should issue v1 tokens with resource, expires_on and not_before as strings', async () => {
    t = await buildTestApp();
    const res = await t.app.inject({
      method: 'POST',
      url: `/${t.tenantId}/oauth2/token`,
      headers: FORM,
      payload: form({ resource: 'https://api.securitycenter.windows.com', client_id: t.clientId, client_secret: t.clientSecret, grant_type: 'client_credentials' }),
    });
    expect(res.statusCode).toBe(200);
    const iat = Math.floor(t.clock.now() / 1000);
    expect(res.json()).toEqual({
      token_type: 'Bearer',
      expires_in: 3599,
      ext_expires_in: 3599,
      expires_on: String(iat + 3600),
      not_before: String(iat),
      resource: 'https://api.securitycenter.windows.com',
      access_token: expect.any(String),
    });
    expect(Object.keys(res.json() as object)).toEqual(['token_type', 'expires_in', 'ext_expires_in', 'expires_on', 'not_before', 'resource', 'access_token']);
  });

  it('should serve the v1 endpoint as GET with a form body', async () => {
    t = await buildTestApp();
    const res = await t.app.inject({
      method: 'GET',
      url: `/${t.tenantId}/oauth2/token`,
      headers: FORM,
      payload: form({ resource: 'https://api.securitycenter.microsoft.com', client_id: t.clientId, client_secret: t.clientSecret, grant_type: 'client_credentials' }),
    });
    expect(res.statusCode).toBe(200);
    const token = (res.json() as { access_token: string }).access_token;
    const ok = await t.app.inject({ method: 'GET', url: '/api/machineactions', headers: { authorization: `Bearer ${token}` } });
    expect(ok.statusCode).toBe(200);
  });

  it('should accept a form content type with parameters and any case', async () => {
    t = await buildTestApp();
    const res = await t.app.inject({
      method: 'POST',
      url: `/${t.tenantId}/oauth2/v2.0/token`,
      headers: { 'content-type': 'Application/X-WWW-Form-URLEncoded; charset=utf-8' },
      payload: form(good()),
    });
    expect(res.statusCode).toBe(200);
  });

  it('should accept client_secret_basic', async () => {
    t = await buildTestApp();
    const basic = Buffer.from(`${t.clientId}:${encodeURIComponent(t.clientSecret)}`).toString('base64');
    const res = await t.app.inject({
      method: 'POST',
      url: `/${t.tenantId}/oauth2/v2.0/token`,
      headers: { ...FORM, authorization: `Basic ${basic}` },
      payload: form({ grant_type: 'client_credentials', scope: SCOPE }),
    });
    expect(res.statusCode).toBe(200);
  });

  it('should answer 401 invalid_client for a wrong secret', async () => {
    t = await buildTestApp();
    const body = expectOAuthError(await v2({ ...good(), client_secret: `${t.clientSecret}x` }), 401, 'invalid_client', 7000215);
    expect(body.error_description).toContain(`Invalid client secret provided.`);
    expect(body.error_description).not.toContain(t.clientSecret);
  });

  it('should answer 401 invalid_client for a missing secret', async () => {
    t = await buildTestApp();
    expectOAuthError(await v2({ client_id: t.clientId, grant_type: 'client_credentials', scope: SCOPE }), 401, 'invalid_client', 7000218);
  });

  it('should answer 400 unauthorized_client for an unknown client or one of another tenant', async () => {
    t = await buildTestApp();
    const body = expectOAuthError(await v2({ ...good(), client_id: '99999999-0000-4000-8000-000000000000' }), 400, 'unauthorized_client', 700016);
    expect(body.error_description).toContain("Application with identifier '99999999-0000-4000-8000-000000000000' was not found in the directory");
    await t.identity.createTenant({ id: 'other-tenant', name: 'o', createdAt: '2025-01-01T00:00:00.0000000Z' });
    expectOAuthError(await v2(good(), 'other-tenant'), 400, 'unauthorized_client', 700016);
  });

  it('should answer 400 invalid_request for an unknown tenant', async () => {
    t = await buildTestApp();
    const body = expectOAuthError(await v2(good(), 'no-such-tenant'), 400, 'invalid_request', 90002);
    expect(body.error_description).toContain("Tenant 'no-such-tenant' not found.");
  });

  it('should answer 400 unsupported_grant_type for another grant', async () => {
    t = await buildTestApp();
    expectOAuthError(await v2({ ...good(), grant_type: 'password' }), 400, 'unsupported_grant_type', 70003);
    expectOAuthError(await v2({ client_id: t.clientId, client_secret: t.clientSecret, scope: SCOPE }), 400, 'invalid_request', 900144);
  });

  it('should refuse a disabled application after checking its secret', async () => {
    t = await buildTestApp();
    await t.identity.setAppDisabled(t.clientId, true);
    expectOAuthError(await v2({ ...good(), client_secret: 'wrong' }), 401, 'invalid_client', 7000215);
    expectOAuthError(await v2(good()), 400, 'unauthorized_client', 7000112);
  });

  it('should refuse a client id after 20 failures a minute from one address, before looking it up, and only there', async () => {
    t = await buildTestApp();
    const guesser = '203.0.113.9';
    for (let i = 0; i < 20; i++) expectOAuthError(await v2({ ...good(), client_secret: `guess-${i}` }, t.tenantId, guesser), 401, 'invalid_client', 7000215);
    const lookups = vi.spyOn(t.identity, 'getApp');
    const refused = await v2(good(), t.tenantId, guesser);
    const body = expectOAuthError(refused, 429, 'temporarily_unavailable', 50196);
    expect(body.error_description).toContain('Too many failed attempts for this client from this address; retry after 60 seconds.');
    expect(refused.headers['retry-after']).toBe('60');
    expect(lookups).not.toHaveBeenCalled(); // so no scrypt either
    expect((await v2(good(), t.tenantId, '198.51.100.30')).statusCode).toBe(200);
    t.clock.advance(60_000);
    expect((await v2(good(), t.tenantId, guesser)).statusCode).toBe(200);
  });

  it('should refuse an address after 100 failures a minute across client ids', async () => {
    t = await buildTestApp();
    const guesser = '203.0.113.10';
    for (let i = 0; i < 100; i++) expectOAuthError(await v2({ ...good(), client_id: `client-${i}` }, t.tenantId, guesser), 400, 'unauthorized_client', 700016);
    expect((await v2(good(), t.tenantId, guesser)).statusCode).toBe(429);
    expect((await v2(good(), t.tenantId, '198.51.100.31')).statusCode).toBe(200);
  });

  it('should treat a JSON body as carrying no form fields, as Entra does', async () => {
    t = await buildTestApp();
    const res = await t.app.inject({ method: 'POST', url: `/${t.tenantId}/oauth2/v2.0/token`, payload: good() });
    expectOAuthError(res, 400, 'invalid_request', 900144);
  });

  it('should answer unreadable bodies with an OAuth error, not the MDE envelope', async () => {
    t = await buildTestApp();
    const res = await t.app.inject({ method: 'POST', url: `/${t.tenantId}/oauth2/v2.0/token`, headers: { 'content-type': 'text/plain' }, payload: 'x' });
    expectOAuthError(res, 400, 'invalid_request', 900144);
  });
});

describe('oauthRoutes discovery', () => {
  it('should describe a tenant’s issuer, token endpoint and keys', async () => {
    t = await buildTestApp();
    const v2doc = (await t.app.inject({ method: 'GET', url: `/${t.tenantId}/v2.0/.well-known/openid-configuration` })).json() as Record<string, unknown>;
    expect(v2doc).toMatchObject({
      issuer: `${TEST_ISSUER_BASE}/${t.tenantId}/`,
      token_endpoint: `${TEST_PUBLIC_URL}/${t.tenantId}/oauth2/v2.0/token`,
      jwks_uri: `${TEST_PUBLIC_URL}/${t.tenantId}/discovery/v2.0/keys`,
      id_token_signing_alg_values_supported: ['RS256'],
      grant_types_supported: ['client_credentials'],
    });
    const root = (await t.app.inject({ method: 'GET', url: '/.well-known/openid-configuration' })).json() as Record<string, unknown>;
    expect(root).toMatchObject({ issuer: `${TEST_ISSUER_BASE}/{tenantid}/`, jwks_uri: `${TEST_PUBLIC_URL}/discovery/keys` });
    const unknown = await t.app.inject({ method: 'GET', url: '/nope/v2.0/.well-known/openid-configuration' });
    expectOAuthError(unknown, 400, 'invalid_request', 90002);
  });
});
