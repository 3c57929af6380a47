/**
 * Secrets never leak: client secrets, their scrypt hashes, the token signing key's private
 * members, enrollment secrets, user passwords and bearer tokens appear in no log line (the real
 * logger options of main.ts, at trace level, into memory), in no error message, and in no response
 * after the one that created them (including the OpenAPI document). Plus the redaction rules
 * themselves (logging.ts), on the shapes they must censor.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import Fastify, { type InjectOptions, type LightMyRequestResponse } from 'fastify';
import { openStore, type Store } from '@cordon/store';
import { toMdeTimestamp } from '@cordon/protocol';
import { buildApp, createUser, loadConfig, randomIds, userStoreOf, wireDispatch, type CordonApp } from '@cordon/server';
import { createApplication } from '../src/auth/index.js';
import { createOnboardingPackage } from '../src/dispatch/enrollment.js';
import { loggerOptions, redactUrl, REDACTED } from '../src/logging.js';
import { openApiPlugin } from '../src/plugins/openapi.js';
import { machineActionRoutes } from '../src/routes/machine-actions.js';
import { oauthRoutes } from '../src/routes/oauth.js';
import { FakeClock } from './helpers.js';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const SCOPE = 'https://api.securitycenter.microsoft.com/.default';

let store: Store;
let built: CordonApp;
const clock = new FakeClock();
const logLines: string[] = [];
const responses: string[] = [];
/** Values that must appear nowhere but in the one response that created them. */
const secrets: Record<string, string> = {};
let tenantId: string;

beforeAll(async () => {
  store = await openStore({ sqlitePath: ':memory:' });
  const config = loadConfig({ CORDON_PORT: '0', CORDON_PUBLIC_URL: 'http://cordon.test' });
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      logLines.push(chunk.toString());
      done();
    },
  });
  built = await buildApp({ config, store, clock, ids: randomIds, logger: { ...loggerOptions('trace'), stream } });
  const dispatcher = await wireDispatch({ built, store, clock, heartbeatIntervalMs: 30_000 });
  tenantId = randomIds.uuid();
  await store.identity.createTenant({ id: tenantId, name: 'secrets', createdAt: toMdeTimestamp(clock.now()) });

  const app = await createApplication(store.identity, { tenantId, name: 'leaky?', roles: ['Machine.Read.All', 'Machine.Isolate'] }, { clock, ids: randomIds });
  secrets.clientSecret = app.clientSecret;
  const password = 'correct horse battery staple';
  secrets.password = password;
  await createUser(userStoreOf(store), { tenantId, name: 'analyst', password, roles: ['View data'] }, { clock, ids: randomIds });
  const pkg = await createOnboardingPackage({ agents: store.agents, signer: dispatcher.signer, clock }, { tenantId, serverUrls: ['http://cordon.test'], tlsCertPem: undefined });
  secrets.enrollmentSecret = pkg.enrollmentSecret;
  secrets.enrollmentSecretPart = pkg.enrollmentSecret.split('.')[1]!;

  await exercise(app.clientId, app.clientSecret, password);

  const appRow = await store.db.selectFrom('apps').select('secret_hash').where('client_id', '=', app.clientId).executeTakeFirstOrThrow();
  secrets.secretHash = appRow.secret_hash;
  secrets.secretHashDigest = appRow.secret_hash.split('$').at(-1)!;
  const userRow = await store.db.selectFrom('users' as never).selectAll().executeTakeFirstOrThrow();
  const hash = (userRow as Record<string, string>).password_hash!;
  secrets.passwordHashDigest = hash.split('$').at(-1)!;
  for (const row of await store.db.selectFrom('signing_keys').select(['kid', 'private_jwk']).execute()) {
    const jwk = JSON.parse(row.private_jwk) as Record<string, unknown>;
    for (const m of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k']) if (typeof jwk[m] === 'string') secrets[`${row.kid}.${m}`] = jwk[m];
  }
});
afterAll(async () => {
  await built.app.close();
  await store.close();
});

/** Every way a credential travels in, good and bad, plus errors of every kind. */
async function exercise(clientId: string, clientSecret: string, password: string) {
  const inject = async (opts: InjectOptions, creates = false): Promise<LightMyRequestResponse> => {
    const res = await built.app.inject(opts);
    // The token response carries the token (a credential made for the caller): kept out of the corpus.
    if (!creates) responses.push(JSON.stringify(res.headers) + res.body);
    return res;
  };
  const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
  const good = await inject({ method: 'POST', url: `/${tenantId}/oauth2/v2.0/token`, headers: FORM, payload: form({ client_id: clientId, client_secret: clientSecret, grant_type: 'client_credentials', scope: SCOPE }) }, true);
  const token = (good.json() as { access_token: string }).access_token;
  secrets.accessToken = token;
  secrets.accessTokenSignature = token.split('.')[2]!;

  await inject({ method: 'POST', url: `/${tenantId}/oauth2/v2.0/token`, headers: FORM, payload: form({ client_id: clientId, client_secret: `${clientSecret}x`, grant_type: 'client_credentials', scope: SCOPE }) });
  await inject({ method: 'POST', url: `/${tenantId}/oauth2/v2.0/token`, headers: FORM, payload: form({ client_id: clientId, client_secret: clientSecret, grant_type: 'password', scope: SCOPE }) });
  await inject({ method: 'POST', url: `/${tenantId}/oauth2/v2.0/token`, headers: FORM, payload: form({ client_id: clientId, client_secret: clientSecret, grant_type: 'client_credentials', scope: 'bad' }) });
  await inject({ method: 'POST', url: `/no-such-tenant/oauth2/v2.0/token`, headers: FORM, payload: form({ client_id: clientId, client_secret: clientSecret, grant_type: 'client_credentials', scope: SCOPE }) });
  await inject({ method: 'POST', url: `/${tenantId}/oauth2/v2.0/token`, payload: { client_id: clientId, client_secret: clientSecret } });
  await inject({ method: 'POST', url: `/${tenantId}/oauth2/v2.0/token`, headers: { ...FORM, authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}x`).toString('base64')}` }, payload: form({ grant_type: 'client_credentials', scope: SCOPE }) });
  // v1 as GET with the form in the query string (client-wire-facts 6): the URL is logged.
  await inject({ method: 'GET', url: `/${tenantId}/oauth2/token?${form({ client_id: clientId, client_secret: `${clientSecret}x`, grant_type: 'client_credentials', resource: 'x' })}` }, false);
  await inject({ method: 'GET', url: `/${tenantId}/oauth2/token?${form({ client_id: clientId, client_secret: clientSecret, grant_type: 'client_credentials', resource: 'x' })}` }, true);

  const bearer = { authorization: `Bearer ${token}` };
  await inject({ method: 'GET', url: '/api/machineactions', headers: bearer });
  await inject({ method: 'GET', url: '/api/machineactions?$filter=id eq', headers: bearer });
  await inject({ method: 'GET', url: '/api/machines/nope', headers: bearer });
  await inject({ method: 'POST', url: '/api/machines/nope/offboard', headers: bearer, payload: { Comment: 'x' } });
  await inject({ method: 'POST', url: '/api/machines/nope/isolate', headers: bearer, payload: { Comment: 'x', client_secret: clientSecret, password } });
  await inject({ method: 'POST', url: '/api/machines/nope/isolate', headers: { ...bearer, 'content-type': 'application/json' }, payload: `{"Comment":"${clientSecret}"` });
  await inject({ method: 'GET', url: '/api/machines', headers: { authorization: `Bearer ${token}x` } });
  await inject({ method: 'GET', url: '/api/machines', headers: { authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}` } });

  await inject({ method: 'POST', url: '/ui/session', headers: { 'x-cordon-csrf': '1' }, payload: { name: 'analyst', password: `${password}!` } });
  const signIn = await inject({ method: 'POST', url: '/ui/session', headers: { 'x-cordon-csrf': '1' }, payload: { name: 'analyst', password } }, true);
  const cookie = String(signIn.headers['set-cookie'] ?? '').split(';')[0]!;
  secrets.sessionCookie = cookie.split('=')[1] ?? 'no-cookie';
  await inject({ method: 'GET', url: '/ui/me', headers: { cookie } });
  await inject({ method: 'POST', url: '/ui/session/token', headers: { cookie } });

  await inject({ method: 'POST', url: '/agent/v1/enroll', payload: { enrollmentSecret: `${secrets.enrollmentSecret}x`, publicKey: 'x', proof: 'x', device: {} } });
  await inject({ method: 'POST', url: '/agent/v1/enroll', payload: { enrollmentSecret: secrets.enrollmentSecret, publicKey: 'x', proof: 'x', device: {} } });
  await inject({ method: 'GET', url: '/discovery/keys' });
  await inject({ method: 'GET', url: `/${tenantId}/v2.0/.well-known/openid-configuration` });
}

describe('secrets in logs and responses', () => {
  it('should have exercised the logger (requests are logged at trace level)', () => {
    expect(logLines.length).toBeGreaterThan(40);
    expect(logLines.join('')).toContain('bearer token refused');
  });

  it('should write no secret, hash, private key member, password, session id or bearer token to the log', () => {
    const log = logLines.join('');
    for (const [name, value] of Object.entries(secrets)) expect(log.includes(value), `log contains ${name}`).toBe(false);
    expect(log).toContain(encodeURIComponent(REDACTED)); // the GET token request's URL, censored
  });

  it('should send no secret, hash or private key member in any response after creation', () => {
    const all = responses.join('\n');
    for (const [name, value] of Object.entries(secrets)) {
      if (name === 'accessToken' || name === 'accessTokenSignature' || name === 'sessionCookie') continue; // sent back by nobody but the issuer, checked below
      expect(all.includes(value), `a response contains ${name}`).toBe(false);
    }
    // The session token route returns a fresh token; none returns the app's token or the cookie.
    expect(all.includes(secrets.accessToken!)).toBe(false);
  });

  it('should publish an OpenAPI document free of secrets and secret-bearing fields', async () => {
    const app = Fastify();
    await app.register(openApiPlugin, { publicUrl: 'http://cordon.test' });
    await app.register(oauthRoutes, { identity: store.identity, clock, issuerBase: 'http://cordon.test/sts', publicUrl: 'http://cordon.test' });
    await app.register(async (api) => api.register(machineActionRoutes, { actions: built.actions }), { prefix: '/api' });
    const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).body;
    await app.close();
    expect(doc.length).toBeGreaterThan(1000);
    for (const [name, value] of Object.entries(secrets)) expect(doc.includes(value), `OpenAPI contains ${name}`).toBe(false);
    for (const field of ['secret_hash', 'secretHash', 'private_jwk', 'privateJwk', 'passwordHash', 'password_hash']) expect(doc).not.toContain(field);
  });
});

describe('loggerOptions redaction', () => {
  const capture = () => {
    const lines: string[] = [];
    const log = pino(loggerOptions('info'), new Writable({ write: (c: Buffer, _e, done) => (lines.push(c.toString()), done()) }));
    return { log, lines };
  };

  it('should censor credential headers, form fields and record fields wherever they sit', () => {
    const { log, lines } = capture();
    log.info(
      {
        req: { headers: { authorization: 'Bearer AAA', cookie: 'cordon_session=BBB', 'x-cordon-csrf': 'CCC' } },
        res: { headers: { 'set-cookie': 'cordon_session=DDD' } },
        form: { client_id: 'visible-id', client_secret: 'EEE' },
        body: { password: 'FFF', Comment: 'visible comment' },
        app: { clientId: 'visible-app', secretHash: 'GGG' },
        key: { kid: 'visible-kid', privateJwk: { d: 'HHH' } },
        client_secret: 'III',
        enrollmentSecret: 'JJJ',
      },
      'shapes',
    );
    const line = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(line).toMatchObject({
      req: { headers: { authorization: REDACTED, cookie: REDACTED, 'x-cordon-csrf': REDACTED } },
      res: { headers: { 'set-cookie': REDACTED } },
      form: { client_id: 'visible-id', client_secret: REDACTED },
      body: { password: REDACTED, Comment: 'visible comment' },
      app: { clientId: 'visible-app', secretHash: REDACTED },
      key: { kid: 'visible-kid', privateJwk: REDACTED },
      client_secret: REDACTED,
      enrollmentSecret: REDACTED,
    });
    for (const s of ['AAA', 'BBB', 'CCC', 'DDD', 'EEE', 'FFF', 'GGG', 'HHH', 'III', 'JJJ']) expect(lines[0]).not.toContain(s);
  });

  it('should strip credential query parameters from logged URLs and keep the rest', () => {
    expect(redactUrl('/t/oauth2/token?client_id=abc&client_secret=s3cr%3Dt&grant_type=client_credentials')).toBe(
      '/t/oauth2/token?client_id=abc&client_secret=%5BRedacted%5D&grant_type=client_credentials',
    );
    expect(redactUrl('/download/x?sig=abc&exp=1')).toBe('/download/x?sig=%5BRedacted%5D&exp=1');
    expect(redactUrl('/x?CLIENT%5FSECRET=a&Password=b&token=c&access_token=d')).toBe('/x?CLIENT%5FSECRET=%5BRedacted%5D&Password=%5BRedacted%5D&token=%5BRedacted%5D&access_token=%5BRedacted%5D');
    expect(redactUrl('/api/machines?$filter=x')).toBe('/api/machines?$filter=x');
    expect(redactUrl('/plain')).toBe('/plain');
  });

  it('should apply the URL rule to the request serializer Fastify uses', () => {
    const { log, lines } = capture();
    log.info({ req: { method: 'GET', url: '/t/oauth2/token?client_secret=KKK', headers: {}, ip: '127.0.0.1', socket: { remotePort: 1 } } }, 'incoming request');
    expect(JSON.parse(lines[0]!).req).toEqual({ method: 'GET', url: '/t/oauth2/token?client_secret=%5BRedacted%5D', remoteAddress: '127.0.0.1', remotePort: 1 });
  });
});
