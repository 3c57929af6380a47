import { afterEach, describe, expect, it } from 'vitest';
import Fastify, { type FastifyInstance } from 'fastify';
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, UnsecuredJWT, type JWTPayload } from 'jose';
import { buildTestApp, getToken, TEST_ISSUER_BASE, type TestApp } from '../testing/auth.js';

let t: TestApp;
afterEach(async () => t?.app.close());

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const isolate = (headers: Record<string, string>, payload: unknown = { Comment: 'c' }) =>
  t.app.inject({ method: 'POST', url: '/api/machines/m1/isolate', headers, payload: payload as object });

/** Signs claims with the app's own key (to build tokens the token endpoint would never issue). */
async function signLocal(claims: JWTPayload, header: Record<string, unknown> = {}): Promise<string> {
  const { kid, privateKey } = await t.keys.current();
  const now = Math.floor(t.clock.now() / 1000);
  return new SignJWT({
    aud: 'https://api.securitycenter.microsoft.com',
    iss: `${TEST_ISSUER_BASE}/${t.tenantId}/`,
    iat: now,
    nbf: now,
    exp: now + 3600,
    tid: t.tenantId,
    appid: t.clientId,
    roles: ['Machine.Isolate', 'Machine.Read.All'],
    ver: '1.0',
    ...claims,
  })
    .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT', ...header })
    .sign(privateKey);
}

function expect401(res: { statusCode: number; headers: Record<string, unknown>; body: string }, wwwAuthenticate = 'Bearer error="invalid_token"') {
  expect(res.statusCode).toBe(401);
  expect(res.headers['www-authenticate']).toBe(wwwAuthenticate);
  expect(JSON.parse(res.body)).toEqual({
    error: { code: 'Unauthorized', message: 'Authorization header is missing, invalid or expired', target: res.headers['request-id'] },
  });
}

describe('authPlugin', () => {
  it('should let a valid app token through and populate request.caller', async () => {
    t = await buildTestApp();
    const res = await isolate(bearer(await getToken(t)));
    expect(res.statusCode).toBe(200);
    const app = await t.identity.getApp(t.clientId);
    expect(res.json()).toEqual({
      caller: { tenantId: t.tenantId, kind: 'app', principalId: t.clientId, name: app!.name, permissions: ['Machine.Isolate', 'Machine.Read.All'] },
    });
  });

  it('should answer 401 with WWW-Authenticate: Bearer when the header is missing', async () => {
    t = await buildTestApp();
    expect401(await isolate({}), 'Bearer');
    expect401(await isolate({ authorization: 'Basic Zm9vOmJhcg==' }), 'Bearer');
  });

  it('should answer 401 before looking at the body', async () => {
    t = await buildTestApp();
    expect401(await isolate({}, { isolationType: 'nope' }), 'Bearer');
  });

  it('should answer 401 for a garbled token', async () => {
    t = await buildTestApp();
    expect401(await isolate(bearer('not.a.jwt')));
    expect401(await isolate(bearer('abc')));
  });

  it('should answer 401 for an expired token, allowing one minute of clock skew', async () => {
    t = await buildTestApp();
    const token = await getToken(t);
    t.clock.advance(3600_000 + 59_000);
    expect((await isolate(bearer(token))).statusCode).toBe(200);
    t.clock.advance(2_000);
    expect401(await isolate(bearer(token)));
  });

  it('should answer 401 for a token not valid yet', async () => {
    t = await buildTestApp();
    const now = Math.floor(t.clock.now() / 1000);
    expect401(await isolate(bearer(await signLocal({ nbf: now + 600, iat: now + 600 }))));
  });

  it('should answer 401 for an unsigned (alg: none) token', async () => {
    t = await buildTestApp();
    const now = Math.floor(t.clock.now() / 1000);
    const unsigned = new UnsecuredJWT({ aud: 'https://api.securitycenter.microsoft.com', iss: `${TEST_ISSUER_BASE}/${t.tenantId}/`, tid: t.tenantId, appid: t.clientId, roles: ['Machine.Isolate'], exp: now + 3600 }).encode();
    expect401(await isolate(bearer(unsigned)));
  });

  it('should answer 401 for a token signed with another algorithm or key', async () => {
    t = await buildTestApp();
    const hs = await new SignJWT({ aud: 'https://api.securitycenter.microsoft.com', iss: `${TEST_ISSUER_BASE}/${t.tenantId}/`, tid: t.tenantId, appid: t.clientId })
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('a-shared-secret-of-some-length!!'));
    expect401(await isolate(bearer(hs)));
    const { privateKey } = await generateKeyPair('RS256');
    const foreign = await new SignJWT({ aud: 'https://api.securitycenter.microsoft.com', iss: `${TEST_ISSUER_BASE}/${t.tenantId}/`, tid: t.tenantId, appid: t.clientId, roles: ['Machine.Isolate'] })
      .setProtectedHeader({ alg: 'RS256', kid: (await t.keys.current()).kid })
      .setIssuedAt(Math.floor(t.clock.now() / 1000))
      .setExpirationTime(Math.floor(t.clock.now() / 1000) + 3600)
      .sign(privateKey);
    expect401(await isolate(bearer(foreign)));
  });

  it('should answer 401 for a tampered token', async () => {
    t = await buildTestApp({ roles: ['Machine.Read.All'] });
    const [h, p, s] = (await getToken(t)).split('.');
    const claims = JSON.parse(Buffer.from(p!, 'base64url').toString()) as JWTPayload;
    const forged = Buffer.from(JSON.stringify({ ...claims, roles: ['Machine.Isolate'] })).toString('base64url');
    expect401(await isolate(bearer(`${h}.${forged}.${s}`)));
  });

  it('should answer 401 for a wrong audience, and accept the v2 (app id) form', async () => {
    t = await buildTestApp();
    expect401(await isolate(bearer(await signLocal({ aud: 'https://graph.microsoft.com' }))));
    expect((await isolate(bearer(await signLocal({ aud: 'fc780465-2017-40d4-a0c5-307022471b92' })))).statusCode).toBe(200);
    expect((await isolate(bearer(await signLocal({ aud: 'https://api.securitycenter.microsoft.com/' })))).statusCode).toBe(200);
  });

  it('should answer 401 for a wrong issuer', async () => {
    t = await buildTestApp();
    expect401(await isolate(bearer(await signLocal({ iss: `https://sts.windows.net/${t.tenantId}/` }))));
    expect401(await isolate(bearer(await signLocal({ iss: `${TEST_ISSUER_BASE}/someone-else/` }))));
  });

  it('should answer 401 for an unknown tenant', async () => {
    t = await buildTestApp();
    expect401(await isolate(bearer(await signLocal({ tid: 'ghost', iss: `${TEST_ISSUER_BASE}/ghost/` }))));
  });

  it('should answer 401 for an unknown or disabled application once the cache expires', async () => {
    t = await buildTestApp();
    expect401(await isolate(bearer(await signLocal({ appid: '99999999-0000-4000-8000-000000000000' }))));
    const token = await getToken(t);
    expect((await isolate(bearer(token))).statusCode).toBe(200);
    await t.identity.setAppDisabled(t.clientId, true);
    t.clock.advance(5_000);
    expect401(await isolate(bearer(token)));
  });

  it('should drop roles the application no longer holds', async () => {
    t = await buildTestApp({ roles: ['Machine.Read.All'] });
    const res = await isolate(bearer(await signLocal({ roles: ['Machine.Isolate', 'Machine.Read.All'] })));
    expect(res.statusCode).toBe(403);
  });

  it('should answer 403 with MDE’s wording when a permission is missing', async () => {
    t = await buildTestApp({ roles: ['Machine.Scan'] });
    const token = await getToken(t);
    const res = await t.app.inject({ method: 'GET', url: '/api/machineactions', headers: bearer(token) });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toEqual({
      error: {
        code: 'Forbidden',
        message: 'The application does not have any of the required application permissions (Machine.Read.All, Machine.ReadWrite.All) to access the resource.',
        target: res.headers['request-id'],
      },
    });
    const sqf = await t.app.inject({ method: 'POST', url: '/api/machines/m1/StopAndQuarantineFile', headers: bearer(token), payload: {} });
    expect((sqf.json() as { error: { message: string } }).error.message).toBe(
      'The application does not have any of the required application permissions (Machine.StopAndQuarantine) and (Machine.Read.All, Machine.ReadWrite.All) to access the resource.',
    );
  });

  it('should accept delegated tokens with scp and name the user', async () => {
    t = await buildTestApp();
    t.people.add('user-oid-1', t.tenantId);
    const token = await signLocal({ roles: undefined, scp: 'Machine.Read Machine.Isolate', oid: 'user-oid-1', upn: 'analyst@contoso.com', name: 'Ann Analyst' });
    const res = await isolate(bearer(token));
    expect(res.json()).toEqual({
      caller: { tenantId: t.tenantId, kind: 'delegated', principalId: 'user-oid-1', name: 'Ann Analyst', permissions: ['Machine.Read', 'Machine.Isolate'] },
    });
    const denied = await t.app.inject({ method: 'GET', url: '/api/machineactions/a1/getPackageUri', headers: bearer(token) });
    expect((denied.json() as { error: { message: string } }).error.message).toBe(
      "The user does not have any of the required delegated permissions (Machine.CollectForensics) to access the resource. People get them with the role 'Alerts investigation'.",
    );
  });

  it('should answer 401 for a delegated token of a person disabled, deleted or of another tenant, once the cache expires', async () => {
    t = await buildTestApp();
    const delegated = (oid: string) => signLocal({ roles: undefined, appid: undefined, scp: 'Machine.Isolate', oid, name: oid });
    t.people.add('ann', t.tenantId);
    t.people.add('bob', 'another-tenant');
    const ann = await delegated('ann');
    expect((await isolate(bearer(ann))).statusCode).toBe(200);
    expect401(await isolate(bearer(await delegated('bob'))));
    expect401(await isolate(bearer(await delegated('nobody'))));

    t.people.setDisabled('ann', true);
    t.clock.advance(5_000);
    expect401(await isolate(bearer(ann)));
  });

  it('should leave public routes alone', async () => {
    t = await buildTestApp();
    const res = await t.app.inject({ method: 'GET', url: '/api/public', headers: bearer('garbage') });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ caller: null });
  });
});

describe('authPlugin with a trusted external issuer', () => {
  /** An external IdP's key and a signer for its tokens. */
  async function externalIssuer(issuerOf: (tid: string) => string, aud = 'https://api.securitycenter.microsoft.com') {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'ext-1', alg: 'RS256', use: 'sig' };
    const sign = (tid: string, claims: JWTPayload) =>
      new SignJWT({ aud, iss: issuerOf(tid), tid, ...claims })
        .setProtectedHeader({ alg: 'RS256', kid: 'ext-1' })
        .setIssuedAt(Math.floor(t.clock.now() / 1000))
        .setExpirationTime(Math.floor(t.clock.now() / 1000) + 3600)
        .sign(privateKey);
    return { jwks: { keys: [jwk] }, sign };
  }

  it('should accept its tokens through an injected key set, tenant from tid', async () => {
    const ext = await externalIssuer((tid) => `https://sts.windows.net/${tid}/`);
    const seen: string[] = [];
    t = await buildTestApp({
      auth: {
        trustedIssuers: [{ issuer: 'https://sts.windows.net/{tenantid}/', audience: 'https://api.securitycenter.microsoft.com', jwksUri: 'https://login.example/common/discovery/keys' }],
        remoteKeySet: (url) => (seen.push(url.href), createLocalJWKSet(ext.jwks)),
      },
    });
    const token = await ext.sign(t.tenantId, { appid: 'entra-app', app_displayname: 'Sentinel playbook', roles: ['Machine.Isolate'] });
    const res = await isolate(bearer(token));
    expect(res.json()).toEqual({ caller: { tenantId: t.tenantId, kind: 'app', principalId: 'entra-app', name: 'Sentinel playbook', permissions: ['Machine.Isolate'] } });
    expect(seen).toEqual(['https://login.example/common/discovery/keys']);
    expect401(await isolate(bearer(await ext.sign('ghost-tenant', { appid: 'entra-app', roles: ['Machine.Isolate'] }))));
  });

  it('should find the keys by OIDC discovery over HTTP when no jwksUri is configured', async () => {
    const idp: FastifyInstance = Fastify();
    let base = '';
    let ext: Awaited<ReturnType<typeof externalIssuer>> | undefined;
    idp.get('/:tid/.well-known/openid-configuration', async () => ({ jwks_uri: `${base}/keys` }));
    idp.get('/keys', async () => ext!.jwks);
    base = await idp.listen({ port: 0, host: '127.0.0.1' });
    try {
      ext = await externalIssuer((tid) => `${base}/${tid}/`, 'api://cordon');
      t = await buildTestApp({ auth: { trustedIssuers: [{ issuer: `${base}/{tenantid}/`, audience: 'api://cordon' }] } });
      const res = await isolate(bearer(await ext.sign(t.tenantId, { appid: 'x', roles: ['Machine.Isolate'] })));
      expect(res.statusCode).toBe(200);
      expect401(await isolate(bearer(await ext.sign(t.tenantId, { appid: 'x', roles: ['Machine.Isolate'], aud: 'api://other' }))));
    } finally {
      await idp.close();
    }
  });
});
