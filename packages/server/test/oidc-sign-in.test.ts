/**
 * OIDC sign-in against a tiny fake identity provider (node:http on 127.0.0.1, port 0): discovery,
 * a JWKS of a jose-generated key and a token endpoint that checks client auth, redirect_uri and the
 * PKCE verifier before issuing an ID token. /authorize is not needed: the test reads state, nonce
 * and code_challenge from the login redirect and calls the callback with a code the fake accepts.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { ConfigError, loadConfig } from '@cordon/server';
import { KyselyUserStore } from '@cordon/store';
import { createOidcClient, oidcUserName, type OidcFlow } from '../src/people/index.js';
import { startTestApp, type TestApp } from './helpers.js';

const CLIENT_ID = 'cordon-ui';
const CLIENT_SECRET = 's3cret/with+chars';

interface IssuedCode {
  challenge: string;
  claims: Record<string, unknown>;
}

class FakeIdp {
  readonly codes = new Map<string, IssuedCode>();
  readonly tokenRequests: { authorization: string | undefined; form: URLSearchParams }[] = [];
  /** The app's clock, so ID token times follow the test's fake time. */
  now: () => number = () => Date.now();
  issuer = '';
  #server: Server | undefined;
  #privateKey: CryptoKey | undefined;
  #jwk: JWK | undefined;

  async start(): Promise<void> {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    this.#privateKey = privateKey;
    this.#jwk = { ...(await exportJWK(publicKey)), kid: 'idp-key-1', alg: 'RS256', use: 'sig' };
    this.#server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        void this.#handle(req.method ?? 'GET', req.url ?? '/', req.headers.authorization, Buffer.concat(chunks).toString()).then(([status, body]) => {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(body));
        });
      });
    });
    await new Promise<void>((resolve) => this.#server!.listen(0, '127.0.0.1', resolve));
    this.issuer = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.#server?.close(() => resolve()));
  }

  async #handle(method: string, url: string, authorization: string | undefined, body: string): Promise<[number, unknown]> {
    if (method === 'GET' && url === '/.well-known/openid-configuration') {
      return [200, {
        issuer: this.issuer,
        authorization_endpoint: `${this.issuer}/authorize`,
        token_endpoint: `${this.issuer}/token`,
        jwks_uri: `${this.issuer}/jwks`,
        id_token_signing_alg_values_supported: ['RS256'],
        token_endpoint_auth_methods_supported: ['client_secret_basic'],
      }];
    }
    if (method === 'GET' && url === '/jwks') return [200, { keys: [this.#jwk] }];
    if (method === 'POST' && url === '/token') {
      const form = new URLSearchParams(body);
      this.tokenRequests.push({ authorization, form });
      const expectedAuth = `Basic ${Buffer.from(`${encodeURIComponent(CLIENT_ID)}:${encodeURIComponent(CLIENT_SECRET)}`).toString('base64')}`;
      if (authorization !== expectedAuth) return [401, { error: 'invalid_client' }];
      const issued = this.codes.get(form.get('code') ?? '');
      this.codes.delete(form.get('code') ?? '');
      if (!issued || form.get('grant_type') !== 'authorization_code' || form.get('redirect_uri') !== 'http://cordon.test/ui/oidc/callback') return [400, { error: 'invalid_grant' }];
      const verifier = form.get('code_verifier') ?? '';
      if (createHash('sha256').update(verifier).digest('base64url') !== issued.challenge) return [400, { error: 'invalid_grant', error_description: 'PKCE verification failed' }];
      const iat = Math.floor(this.now() / 1000);
      const idToken = await new SignJWT({ iss: this.issuer, aud: CLIENT_ID, iat, exp: iat + 300, ...issued.claims })
        .setProtectedHeader({ alg: 'RS256', kid: 'idp-key-1', typ: 'JWT' })
        .sign(this.#privateKey!);
      return [200, { access_token: 'opaque', token_type: 'Bearer', expires_in: 300, id_token: idToken }];
    }
    return [404, { error: 'not_found' }];
  }
}

const ROLE_MAP = { 'cordon-responders': ['View data', 'Active remediation actions'], 'cordon-viewers': 'View data' };

describe('OIDC sign-in', () => {
  const idp = new FakeIdp();
  let t: TestApp;
  beforeAll(async () => idp.start());
  afterAll(async () => idp.stop());
  beforeEach(async () => {
    t = await startTestApp({
      env: {
        CORDON_OIDC_ISSUER: idp.issuer,
        CORDON_OIDC_CLIENT_ID: CLIENT_ID,
        CORDON_OIDC_CLIENT_SECRET: CLIENT_SECRET,
        CORDON_OIDC_ROLE_MAP: JSON.stringify(ROLE_MAP),
      },
    });
    idp.now = () => t.clock.now();
  });
  afterEach(async () => t.close());

  const cookieOf = (setCookie: unknown, name: string) => [setCookie].flat().map(String).find((c) => c.startsWith(`${name}=`));

  async function startLogin() {
    const res = await t.app.inject({ method: 'GET', url: '/ui/oidc/login' });
    expect(res.statusCode).toBe(302);
    const location = new URL(String(res.headers.location));
    const flowCookie = cookieOf(res.headers['set-cookie'], 'cordon_oidc');
    expect(flowCookie).toBeDefined();
    return { res, location, state: location.searchParams.get('state')!, nonce: location.searchParams.get('nonce')!, challenge: location.searchParams.get('code_challenge')!, cookie: flowCookie!.split(';')[0]! };
  }

  /** The IdP "authorizes" `claims` for this login; the browser then lands on the callback. */
  async function callback(login: Awaited<ReturnType<typeof startLogin>>, claims: Record<string, unknown>, options: { state?: string; cookie?: string; accept?: string } = {}) {
    const code = randomUUID();
    idp.codes.set(code, { challenge: login.challenge, claims: { nonce: login.nonce, ...claims } });
    const query = new URLSearchParams({ code, state: options.state ?? login.state });
    return t.app.inject({ method: 'GET', url: `/ui/oidc/callback?${query}`, headers: { cookie: options.cookie ?? login.cookie, ...(options.accept ? { accept: options.accept } : {}) } });
  }

  const olivia = { sub: 'idp-user-0001', name: 'Olivia Operator', preferred_username: 'admin', roles: ['cordon-responders', 'unrelated-group'] };

  it('should tell the SPA to show "Sign in with <issuer host>"', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/ui/config' });
    expect(res.json()).toEqual({ oidc: { issuerHost: new URL(idp.issuer).host, loginUrl: '/ui/oidc/login' } });
  });

  it('should redirect to the IdP with state, nonce and an S256 PKCE challenge kept in a Lax HttpOnly cookie', async () => {
    const login = await startLogin();
    expect(`${login.location.origin}${login.location.pathname}`).toBe(`${idp.issuer}/authorize`);
    expect(Object.fromEntries(login.location.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: CLIENT_ID,
      redirect_uri: 'http://cordon.test/ui/oidc/callback',
      scope: 'openid profile email',
      code_challenge_method: 'S256',
    });
    expect(login.state).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(login.nonce).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(login.challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(cookieOf(login.res.headers['set-cookie'], 'cordon_oidc')).toMatch(/; Path=\/ui\/oidc; HttpOnly; SameSite=Lax; Max-Age=600$/);
    // The cookie is signed, not a plain copy of the values the browser could choose.
    expect(login.cookie).not.toContain(login.state);
  });

  it('should sign a mapped person in: session cookie, /ui/me, a delegated token, and actions carry their name', async () => {
    const login = await startLogin();
    const res = await callback(login, olivia);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/');
    const session = cookieOf(res.headers['set-cookie'], 'cordon_session');
    expect(session).toMatch(/^cordon_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=43200$/);
    expect(cookieOf(res.headers['set-cookie'], 'cordon_oidc')).toContain('Max-Age=0');
    // The token endpoint was called with client_secret_basic and the PKCE verifier (the fake checked both).
    expect(idp.tokenRequests.at(-1)!.form.get('code_verifier')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(idp.tokenRequests.at(-1)!.form.has('client_secret')).toBe(false);

    const cookie = session!.split(';')[0]!;
    const me = await t.app.inject({ method: 'GET', url: '/ui/me', headers: { cookie } });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({
      user: { name: oidcUserName(idp.issuer, olivia.sub), displayName: 'Olivia Operator', roles: ['View data', 'Active remediation actions'] },
      tenantId: t.tenantId,
    });
    // preferred_username 'admin' did not make this the local admin: the record is keyed by issuer + subject.
    expect(me.json().user.name).toMatch(/^oidc-[0-9a-f]{32}$/);

    const tokenRes = await t.app.inject({ method: 'POST', url: '/ui/session/token', headers: { cookie, 'x-cordon-csrf': me.json().csrfToken } });
    expect(tokenRes.statusCode).toBe(200);
    const token = tokenRes.json().access_token as string;
    const machine = await t.seedMachine();
    const isolate = await t.call({ method: 'POST', url: `/api/machines/${machine.id}/isolate`, token, payload: { Comment: 'contain', IsolationType: 'Full' } });
    expect(isolate.statusCode).toBe(201);
    expect(isolate.json()).toMatchObject({ type: 'Isolate', requestor: 'Olivia Operator', status: 'Pending' });
    const collect = await t.call({ method: 'POST', url: `/api/machines/${machine.id}/collectInvestigationPackage`, token, payload: { Comment: 'x' } });
    expect(collect.statusCode).toBe(403);
  });

  it('should refresh name and roles from the IdP at the next sign-in, keeping the same person', async () => {
    const first = await callback(await startLogin(), olivia);
    const firstMe = await t.app.inject({ method: 'GET', url: '/ui/me', headers: { cookie: cookieOf(first.headers['set-cookie'], 'cordon_session')!.split(';')[0]! } });
    const second = await callback(await startLogin(), { ...olivia, name: 'Olivia O.', roles: 'cordon-viewers' });
    expect(second.statusCode).toBe(303);
    const me = await t.app.inject({ method: 'GET', url: '/ui/me', headers: { cookie: cookieOf(second.headers['set-cookie'], 'cordon_session')!.split(';')[0]! } });
    expect(me.json().user).toMatchObject({ id: firstMe.json().user.id, displayName: 'Olivia O.', roles: ['View data'] });
  });

  const refusals: [string, (login: Awaited<ReturnType<typeof startLogin>>) => Promise<Awaited<ReturnType<typeof callback>>>, number][] = [
    ['a wrong nonce', (login) => callback(login, { ...olivia, nonce: 'some-other-flow' }), 401],
    ['a wrong audience', (login) => callback(login, { ...olivia, aud: 'another-client' }), 401],
    ['an expired ID token', (login) => callback(login, { ...olivia, iat: Math.floor(t.clock.now() / 1000) - 7200, exp: Math.floor(t.clock.now() / 1000) - 3600 }), 401],
    ['a bad state', (login) => callback(login, olivia, { state: 'forged-state-value' }), 400],
    ['a missing flow cookie', (login) => callback(login, olivia, { cookie: 'other=1' }), 400],
    ['a tampered flow cookie', (login) => callback(login, olivia, { cookie: `${login.cookie.slice(0, -4)}AAAA` }), 400],
    ['no mapped role', (login) => callback(login, { ...olivia, roles: ['unrelated-group'] }), 403],
    ['no roles claim at all', (login) => callback(login, { sub: olivia.sub, name: olivia.name }), 403],
  ];

  it.each(refusals)('should refuse %s and start no session', async (_what, run, status) => {
    const res = await run(await startLogin());
    expect(res.statusCode).toBe(status);
    expect(res.json().error.message).toEqual(expect.any(String));
    expect(cookieOf(res.headers['set-cookie'], 'cordon_session')).toBeUndefined();
    expect(cookieOf(res.headers['set-cookie'], 'cordon_oidc')).toContain('Max-Age=0');
    expect(await new KyselyUserStore(t.store.db).listUsers(t.tenantId)).toEqual([]);
  });

  it('should explain a refusal on an HTML page to a browser', async () => {
    const res = await callback(await startLogin(), { ...olivia, roles: ['unrelated-group'] }, { accept: 'text/html,application/xhtml+xml' });
    expect(res.statusCode).toBe(403);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain('Olivia Operator has no Cordon role');
    expect(res.body).toContain('the &#39;roles&#39; claim'); // escaped
  });

  it('should refuse an error answer from the IdP and a replayed code', async () => {
    const login = await startLogin();
    const denied = await t.app.inject({ method: 'GET', url: `/ui/oidc/callback?error=access_denied&state=${login.state}`, headers: { cookie: login.cookie } });
    expect(denied.statusCode).toBe(401);
    expect(denied.json().error.message).toContain('access_denied');

    const again = await startLogin();
    const code = randomUUID();
    idp.codes.set(code, { challenge: again.challenge, claims: { ...olivia, nonce: again.nonce } });
    const url = `/ui/oidc/callback?code=${code}&state=${again.state}`;
    expect((await t.app.inject({ method: 'GET', url, headers: { cookie: again.cookie } })).statusCode).toBe(303);
    // The fake IdP forgets a used code, as a real one must.
    expect((await t.app.inject({ method: 'GET', url, headers: { cookie: again.cookie } })).statusCode).toBe(401);
  });

  it('should refuse a person disabled in Cordon', async () => {
    await callback(await startLogin(), olivia);
    const users = new KyselyUserStore(t.store.db);
    const user = (await users.findUserByName(oidcUserName(idp.issuer, olivia.sub)))!;
    await users.updateUser(user.id, { disabled: true });
    const res = await callback(await startLogin(), olivia);
    expect(res.statusCode).toBe(403);
    expect(res.json().error.message).toContain('disabled');
  });

  it('should refuse when the flow outlives its ten minutes', async () => {
    const login = await startLogin();
    t.clock.advance(11 * 60_000);
    expect((await callback(login, olivia)).statusCode).toBe(400);
  });
});

describe('OIDC sign-in off and its configuration', () => {
  it('should say OIDC is off and answer 404 on the flow routes', async () => {
    const t = await startTestApp();
    try {
      expect((await t.app.inject({ method: 'GET', url: '/ui/config' })).json()).toEqual({ oidc: null });
      expect((await t.app.inject({ method: 'GET', url: '/ui/oidc/login' })).statusCode).toBe(404);
    } finally {
      await t.close();
    }
  });

  it('should validate the OIDC settings', () => {
    const base = { CORDON_OIDC_ISSUER: 'https://login.example.com/realms/x', CORDON_OIDC_CLIENT_ID: 'c', CORDON_OIDC_ROLE_MAP: '{"sec-team":"all","viewers":["view data"]}' };
    const oidc = loadConfig(base).oidc!;
    expect(oidc).toMatchObject({ issuer: base.CORDON_OIDC_ISSUER, clientId: 'c', clientSecret: undefined, rolesClaim: 'roles', tenantId: undefined });
    expect(oidc.roleMap.viewers).toEqual(['View data']);
    expect(oidc.roleMap['sec-team']).toHaveLength(6);
    expect(loadConfig({ ...base, CORDON_OIDC_ROLES_CLAIM: 'realm_access.roles', CORDON_OIDC_TENANT: 't1' }).oidc).toMatchObject({ rolesClaim: 'realm_access.roles', tenantId: 't1' });
    expect(loadConfig({}).oidc).toBeUndefined();
    expect(() => loadConfig({ ...base, CORDON_OIDC_ISSUER: 'http://login.example.com' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, CORDON_OIDC_CLIENT_ID: '' })).toThrow('CORDON_OIDC_CLIENT_ID is required');
    expect(() => loadConfig({ ...base, CORDON_OIDC_ROLE_MAP: '{"x":"Admin"}' })).toThrow("unknown role 'Admin'");
    expect(() => loadConfig({ ...base, CORDON_OIDC_ROLE_MAP: '' })).toThrow('CORDON_OIDC_ROLE_MAP is required');
  });
});

describe('createOidcClient refusal reasons', () => {
  const idp = new FakeIdp();
  const nowMs = Date.UTC(2026, 10, 21, 10, 0, 0);
  beforeAll(async () => {
    await idp.start();
    idp.now = () => nowMs;
  });
  afterAll(async () => idp.stop());

  const client = () =>
    createOidcClient({
      config: { issuer: idp.issuer, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, rolesClaim: 'realm_access.roles', roleMap: { ops: ['View data'] }, tenantId: undefined },
      redirectUri: 'http://cordon.test/ui/oidc/callback',
      clock: { now: () => nowMs },
    });
  async function complete(claims: Record<string, unknown>, flowOverride: Partial<OidcFlow> = {}) {
    const c = client();
    const { url, flow } = await c.begin();
    const code = randomUUID();
    idp.codes.set(code, { challenge: new URL(url).searchParams.get('code_challenge')!, claims: { sub: 's1', nonce: flow.nonce, ...claims } });
    return c.complete(code, { ...flow, ...flowOverride });
  }

  it('should map nested role claims and say exactly why a token is refused', async () => {
    await expect(complete({ realm_access: { roles: ['ops', 'x'] }, preferred_username: 'olivia' })).resolves.toMatchObject({ subject: 's1', displayName: 'olivia', idpRoles: ['ops', 'x'], roles: ['View data'] });
    await expect(complete({ nonce: 'other' })).rejects.toThrow('nonce does not match');
    await expect(complete({ aud: 'another-client' })).rejects.toThrow('unexpected "aud" claim value');
    await expect(complete({ exp: Math.floor(nowMs / 1000) - 3600 })).rejects.toThrow('"exp" claim timestamp check failed');
    await expect(complete({ iss: 'https://evil.example' })).rejects.toThrow('unexpected "iss" claim value');
    await expect(complete({ aud: [CLIENT_ID, 'other'], azp: 'other' })).rejects.toThrow('azp is not our client');
    await expect(complete({}, { codeVerifier: 'x'.repeat(43) })).rejects.toMatchObject({ reason: 'code', message: expect.stringContaining('PKCE verification failed') });
  });
});
