/**
 * The authorization matrix, generated: every /api endpoint (both prefixes) ×
 *   - every single application permission, none, and all of them;
 *   - every user role and every single delegated permission (delegated tokens, `scp`);
 *   - bad tokens: none, expired, not yet valid, wrong audience, wrong issuer, `alg: none`, tampered
 *     signature, tampered claims, signed with another key, HS256 keyed with our public key;
 *   - another tenant's valid token on this tenant's machines and actions.
 * Allowed callers get the endpoint's exact success status (each case on a fresh machine/action);
 * refused ones 403 `Forbidden` naming the required permissions; bad tokens 401 with
 * `WWW-Authenticate`; another tenant's caller 404 with none of this tenant's data in the body.
 *
 * ENDPOINTS below is checked against the routes the app registers, so a new /api route fails this
 * test until it is added here with its operation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import { createHmac } from 'node:crypto';
import { APP_PERMISSIONS, DELEGATED_PERMISSIONS, OPERATION_PERMISSIONS, isAllowed, requiredPermissionsText, type OperationId } from '@cordon/protocol';
import { USER_ROLES, scopesForRoles } from '@cordon/server';
import { KyselyUserStore } from '@cordon/store';
import { forbiddenMessage } from '../src/plugins/auth.js';
import { ALL_ROLES, startTestApp, type TestApp } from './helpers.js';
import { expectErrorShape } from './fuzz/fuzz-app.js';
import { multipart } from './forensics-helpers.js';

interface Target {
  machineId: string;
  actionId: string;
  /** A library file of tenant A. */
  fileName: string;
}
interface Request {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  path: string;
  payload?: Record<string, unknown> | Buffer;
  headers?: Record<string, string>;
}
interface Endpoint {
  operation: OperationId;
  /** Status for an allowed caller (the success status, unless the fixture cannot reach success). */
  status: number;
  request(target: Target): Request | Promise<Request>;
  /** What another tenant's caller gets when the request names no fixture id: default a collection of its own (empty) rows. */
  crossTenant?: 'notFound' | 'ownEntity';
}

const uniqueName = (ext: string) => `matrix-${Math.random().toString(36).slice(2)}.${ext}`;
const upload = async (name: string): Promise<Request> => {
  const { payload, headers } = await multipart({ File: { name, content: '#!/bin/sh\necho matrix\n' }, Description: 'matrix' });
  return { method: 'POST', path: '/libraryfiles', payload, headers };
};

const SHA1 = 'a94a8fe5ccb19ba61c4c0873d391e987982fbbd3';
const NO_SESSION = '00000000-0000-4000-8000-00000000c0de';
const action = (segment: string, operation: OperationId, payload: Record<string, unknown>, status = 201): [string, Endpoint] => [
  `POST /machines/:id/${segment.toLowerCase()}`,
  { operation, status, request: (t) => ({ method: 'POST', path: `/machines/${t.machineId}/${segment}`, payload }) },
];

/** Every /api endpoint, keyed `METHOD path` as the router lists it (lower case, below the prefix). */
const ENDPOINT_LIST: [string, Endpoint][] = [
  ['GET /machineactions', { operation: 'listMachineActions', status: 200, request: () => ({ method: 'GET', path: '/machineactions' }) }],
  ['GET /machineactions/:id', { operation: 'getMachineAction', status: 200, request: (t) => ({ method: 'GET', path: `/machineactions/${t.actionId}` }) }],
  ['POST /machineactions/:id/cancel', { operation: 'cancelMachineAction', status: 200, request: (t) => ({ method: 'POST', path: `/machineactions/${t.actionId}/cancel`, payload: { Comment: 'matrix' } }) }],
  ['GET /machines', { operation: 'listMachines', status: 200, request: () => ({ method: 'GET', path: '/machines' }) }],
  ['GET /machines/:id', { operation: 'getMachine', status: 200, request: (t) => ({ method: 'GET', path: `/machines/${t.machineId}` }) }],
  ['PATCH /machines/:id', { operation: 'updateMachine', status: 200, request: (t) => ({ method: 'PATCH', path: `/machines/${t.machineId}`, payload: { deviceValue: 'High' } }) }],
  ['GET /machines/findbytag', { operation: 'findMachinesByTag', status: 200, request: () => ({ method: 'GET', path: '/machines/findbytag?tag=matrix' }) }],
  ['POST /machines/:id/tags', { operation: 'addOrRemoveTag', status: 200, request: (t) => ({ method: 'POST', path: `/machines/${t.machineId}/tags`, payload: { Value: 'matrix', Action: 'Add' } }) }],
  [
    'POST /machines/addorremovetagformultiplemachines',
    { operation: 'addOrRemoveTagForMultipleMachines', status: 200, request: (t) => ({ method: 'POST', path: '/machines/AddOrRemoveTagForMultipleMachines', payload: { Value: 'matrix', Action: 'Add', MachineIds: [t.machineId] } }) },
  ],
  action('isolate', 'isolate', { Comment: 'matrix', IsolationType: 'Full' }),
  action('unisolate', 'unisolate', { Comment: 'matrix' }),
  action('restrictCodeExecution', 'restrictCodeExecution', { Comment: 'matrix' }),
  action('unrestrictCodeExecution', 'unrestrictCodeExecution', { Comment: 'matrix' }),
  action('runAntiVirusScan', 'runAntiVirusScan', { Comment: 'matrix', ScanType: 'Quick' }),
  action('offboard', 'offboard', { Comment: 'matrix' }, 200),
  action('StopAndQuarantineFile', 'stopAndQuarantineFile', { Comment: 'matrix', Sha1: SHA1 }),
  action('restoreQuarantinedFile', 'restoreQuarantinedFile', { Comment: 'matrix', Sha1: SHA1 }),
  action('collectInvestigationPackage', 'collectInvestigationPackage', { Comment: 'matrix' }),
  action('runliveresponse', 'runLiveResponse', { Commands: [{ type: 'GetFile', params: [{ key: 'Path', value: '/etc/hostname' }] }], Comment: 'matrix' }),
  ['GET /libraryfiles', { operation: 'listLibraryFiles', status: 200, request: () => ({ method: 'GET', path: '/libraryfiles' }) }],
  ['POST /libraryfiles', { operation: 'uploadLibraryFile', status: 200, request: () => upload(uniqueName('sh')) }],
  ['GET /libraryfiles/:fileName/downloadlink', { operation: 'getLibraryFileDownloadLink', status: 200, request: (t) => ({ method: 'GET', path: `/libraryfiles/${t.fileName}/downloadLink` }) }],
  ['DELETE /libraryfiles/:fileName', { operation: 'deleteLibraryFile', status: 204, request: (t) => ({ method: 'DELETE', path: `/libraryfiles/${t.fileName}` }) }],
  // The fixture's action is a Pending scan: an allowed caller gets the documented 404 (no package yet).
  ['GET /machineactions/:id/getpackageuri', { operation: 'getPackageUri', status: 404, request: (t) => ({ method: 'GET', path: `/machineactions/${t.actionId}/getPackageUri` }) }],
  // ... and no live response result: the allowed caller's answer is the catalog's "not a live response".
  [
    'GET /machineactions/:id/:fn',
    { operation: 'getLiveResponseResultDownloadLink', status: 404, request: (t) => ({ method: 'GET', path: `/machineactions/${t.actionId}/GetLiveResponseResultDownloadLink(index=0)` }) },
  ],
  // Alerts (the fixture has none: an allowed caller gets the documented 404) and the settings extension.
  ['GET /alerts', { operation: 'listAlerts', status: 200, request: () => ({ method: 'GET', path: '/alerts' }) }],
  ['GET /machines/:id/logonusers', { operation: 'listLogonUsers', status: 200, request: (t) => ({ method: 'GET', path: `/machines/${t.machineId}/logonusers` }) }],
  ['GET /machines/:id/timeline', { operation: 'getMachineTimeline', status: 200, request: (t) => ({ method: 'GET', path: `/machines/${t.machineId}/timeline` }) }],
  ['GET /machines/:id/alerts', { operation: 'listMachineAlerts', status: 200, request: (t) => ({ method: 'GET', path: `/machines/${t.machineId}/alerts` }) }],
  ['GET /alerts/:id', { operation: 'getAlert', status: 404, crossTenant: 'notFound', request: () => ({ method: 'GET', path: '/alerts/da637292082891366787_1236758045' }) }],
  ['PATCH /alerts/:id', { operation: 'updateAlert', status: 404, crossTenant: 'notFound', request: () => ({ method: 'PATCH', path: '/alerts/da637292082891366787_1236758045', payload: { status: 'Resolved' } }) }],
  ['GET /cordon/settings', { operation: 'getCordonSettings', status: 200, crossTenant: 'ownEntity', request: () => ({ method: 'GET', path: '/cordon/settings' }) }],
  ['PUT /cordon/settings', { operation: 'updateCordonSettings', status: 200, request: () => ({ method: 'PUT', path: '/cordon/settings', payload: { scanCpuPercent: 40 } }) }],
  // The event stream of one unknown action answers 404 before streaming (a stream would never end under inject).
  ['GET /cordon/events', { operation: 'streamCordonEvents', status: 404, crossTenant: 'notFound', request: () => ({ method: 'GET', path: '/cordon/events?actionId=00000000-0000-4000-8000-00000000e0e0' }) }],
  // Live response console sessions: the fixture's machine never connected an agent that runs them
  // (an allowed open is the documented 400 OsPlatformNotSupported, creating nothing); an unknown
  // session reads as 404.
  ['GET /cordon/liveresponse/sessions', { operation: 'listLiveSessions', status: 200, request: () => ({ method: 'GET', path: '/cordon/liveresponse/sessions' }) }],
  ['POST /cordon/liveresponse/sessions', { operation: 'openLiveSession', status: 400, crossTenant: 'notFound', request: (t) => ({ method: 'POST', path: '/cordon/liveresponse/sessions', payload: { machineId: t.machineId } }) }],
  ['GET /cordon/liveresponse/sessions/:id', { operation: 'getLiveSession', status: 404, crossTenant: 'notFound', request: () => ({ method: 'GET', path: `/cordon/liveresponse/sessions/${NO_SESSION}` }) }],
  ['DELETE /cordon/liveresponse/sessions/:id', { operation: 'closeLiveSession', status: 404, crossTenant: 'notFound', request: () => ({ method: 'DELETE', path: `/cordon/liveresponse/sessions/${NO_SESSION}` }) }],
  ['GET /cordon/liveresponse/sessions/:id/events', { operation: 'streamLiveSessionEvents', status: 404, crossTenant: 'notFound', request: () => ({ method: 'GET', path: `/cordon/liveresponse/sessions/${NO_SESSION}/events` }) }],
  ['GET /cordon/liveresponse/sessions/:id/transcript', { operation: 'getLiveSessionTranscript', status: 404, crossTenant: 'notFound', request: () => ({ method: 'GET', path: `/cordon/liveresponse/sessions/${NO_SESSION}/transcript` }) }],
  ['GET /cordon/liveresponse/sessions/:id/commands', { operation: 'listLiveSessionCommands', status: 404, crossTenant: 'notFound', request: () => ({ method: 'GET', path: `/cordon/liveresponse/sessions/${NO_SESSION}/commands` }) }],
  ['POST /cordon/liveresponse/sessions/:id/commands', { operation: 'runLiveSessionCommand', status: 404, crossTenant: 'notFound', request: () => ({ method: 'POST', path: `/cordon/liveresponse/sessions/${NO_SESSION}/commands`, payload: { commandLine: 'help' } }) }],
  ['GET /cordon/liveresponse/sessions/:id/commands/:cid', { operation: 'getLiveSessionCommand', status: 404, crossTenant: 'notFound', request: () => ({ method: 'GET', path: `/cordon/liveresponse/sessions/${NO_SESSION}/commands/1` }) }],
  ['GET /cordon/liveresponse/sessions/:id/commands/:cid/output', { operation: 'getLiveSessionCommandOutput', status: 404, crossTenant: 'notFound', request: () => ({ method: 'GET', path: `/cordon/liveresponse/sessions/${NO_SESSION}/commands/1/output` }) }],
  ['POST /cordon/liveresponse/sessions/:id/commands/:cid/cancel', { operation: 'cancelLiveSessionCommand', status: 404, crossTenant: 'notFound', request: () => ({ method: 'POST', path: `/cordon/liveresponse/sessions/${NO_SESSION}/commands/1/cancel` }) }],
  // Agent packages: issuing one mints an enrollment secret of the caller's tenant.
  ['POST /cordon/agentpackages', { operation: 'createAgentPackage', status: 201, request: () => ({ method: 'POST', path: '/cordon/agentPackages', payload: { maxUses: 1, expiresInHours: 1 } }) }],
  // Automated investigations (the fixture has none: an allowed caller's get is a 404).
  action('startInvestigation', 'startInvestigation', { Comment: 'matrix' }),
  ['GET /investigations', { operation: 'listInvestigations', status: 200, request: () => ({ method: 'GET', path: '/investigations' }) }],
  ['GET /investigations/:id', { operation: 'getInvestigation', status: 404, crossTenant: 'notFound', request: () => ({ method: 'GET', path: '/investigations/63004' }) }],
  ['POST /investigations/:id/approve', { operation: 'approveInvestigation', status: 404, crossTenant: 'notFound', request: () => ({ method: 'POST', path: '/investigations/63004/approve', payload: { Comment: 'matrix' } }) }],
  ['POST /investigations/:id/reject', { operation: 'rejectInvestigation', status: 404, crossTenant: 'notFound', request: () => ({ method: 'POST', path: '/investigations/63004/reject', payload: { Comment: 'matrix' } }) }],
];
const ENDPOINTS: Record<string, Endpoint> = Object.fromEntries(ENDPOINT_LIST);

const PREFIXES = ['/api', '/api/v1.0'];

/** `METHOD /path` of every route, from Fastify's route tree (the one public listing it offers). */
function registeredRoutes(tree: string): string[] {
  const stack: string[] = [];
  const routes: string[] = [];
  for (const line of tree.split('\n')) {
    const m = /^([│ ]*)[├└]── (.+?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!m) continue;
    const depth = m[1]!.length / 4;
    stack.length = depth;
    stack.push(m[2]!);
    if (!m[3]) continue;
    for (const method of m[3].split(', ')) if (method !== 'HEAD') routes.push(`${method} ${stack.join('')}`);
  }
  return routes;
}

let t: TestApp;
let otherTenant: string;
let otherAdmin: string;
let privateJwk: JWK;
let publicJwk: JWK;
let kid: string;
const SECRET_MARKER = 'tenant-a-confidential';

beforeAll(async () => {
  t = await startTestApp({
    env: { CORDON_RATE_LIMITS: JSON.stringify(Object.fromEntries(['default', 'getPackageUri', 'runLiveResponse', 'startInvestigation'].map((f) => [f, { perMinute: null, perHour: null }]))) },
  });
  otherTenant = await t.newTenant();
  otherAdmin = await t.token(ALL_ROLES, otherTenant);
  const key = await t.store.db.selectFrom('signing_keys').selectAll().executeTakeFirstOrThrow();
  privateJwk = JSON.parse(key.private_jwk) as JWK;
  publicJwk = JSON.parse(key.public_jwk) as JWK;
  kid = key.kid;
  // Delegated tokens are honoured only for a person the users table knows (and who is enabled).
  await new KyselyUserStore(t.store.db).createUser({ id: 'user-1', tenantId: t.tenantId, name: 'matrix-user', displayName: 'Matrix User', passwordHash: null, roles: [], disabled: false, createdAt: '2026-01-01T00:00:00.0000000Z' });
});
afterAll(() => t.close());

/** A fresh machine and a Pending action (on a second machine) of tenant A, so every case can succeed on its own. */
async function freshTarget(): Promise<Target> {
  const seed = () => t.seedMachine({ computerDnsName: `${SECRET_MARKER}-${Math.random().toString(36).slice(2)}.corp`, machineTags: ['matrix'] });
  const machine = await seed();
  const created = await t.actions.create({ tenantId: t.tenantId, name: 'matrix setup' }, (await seed()).id, {
    type: 'RunAntiVirusScan',
    comment: 'setup',
    externalId: null,
    scope: 'Quick',
    parameters: { ScanType: 'Quick' },
  });
  const fileName = uniqueName('sh');
  const { payload, headers } = await upload(fileName);
  const uploaded = await t.call({ method: 'POST', url: '/api/libraryfiles', payload, headers, token: await t.token(ALL_ROLES) });
  if (uploaded.statusCode !== 200) throw new Error(`fixture upload failed: ${uploaded.body}`);
  return { machineId: machine.id, actionId: created.id, fileName };
}

async function call(endpoint: Endpoint, prefix: string, target: Target, bearer: string | undefined) {
  const r = await endpoint.request(target);
  return t.call({ method: r.method, url: prefix + r.path, ...(r.payload ? { payload: r.payload } : {}), headers: r.headers ?? {}, ...(bearer ? { token: bearer } : {}) });
}

// ---- crafted tokens ----

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const issuer = (tid: string) => `http://cordon.test/sts/${tid}/`;
const AUDIENCE = 'https://api.securitycenter.microsoft.com';

async function claimsOfAdmin(): Promise<Record<string, unknown>> {
  const token = await t.token(ALL_ROLES);
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
}

const imported = new Map<JWK, Awaited<ReturnType<typeof importJWK>>>();
async function sign(claims: Record<string, unknown>, key: JWK = privateJwk): Promise<string> {
  if (!imported.has(key)) imported.set(key, await importJWK(key, 'RS256'));
  return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid }).sign(imported.get(key)!);
}

async function delegatedToken(scopes: readonly string[]): Promise<string> {
  const now = Math.floor(t.clock.now() / 1000);
  return sign({ aud: AUDIENCE, iss: issuer(t.tenantId), iat: now, nbf: now, exp: now + 600, oid: 'user-1', sub: 'user-1', name: 'Matrix User', scp: scopes.length ? scopes.join(' ') : 'None', tid: t.tenantId, ver: '1.0' });
}

let badTokenCache: Promise<Record<string, string>> | undefined;
/** The clock is fixed, so one set serves every endpoint. */
function badTokens(): Promise<Record<string, string>> {
  badTokenCache ??= craftBadTokens();
  return badTokenCache;
}

async function craftBadTokens(): Promise<Record<string, string>> {
  const claims = await claimsOfAdmin();
  const now = Math.floor(t.clock.now() / 1000);
  const good = await sign(claims);
  const [h, p, s] = good.split('.') as [string, string, string];
  const other = await generateKeyPair('RS256', { extractable: true });
  const hsKey = JSON.stringify(publicJwk);
  const hs256 = (() => {
    const head = b64({ alg: 'HS256', typ: 'JWT', kid });
    const sig = createHmac('sha256', hsKey).update(`${head}.${p}`).digest('base64url');
    return `${head}.${p}.${sig}`;
  })();
  return {
    expired: await sign({ ...claims, iat: now - 7200, nbf: now - 7200, exp: now - 3600 }),
    'not yet valid': await sign({ ...claims, iat: now + 3600, nbf: now + 3600, exp: now + 7200 }),
    'wrong audience': await sign({ ...claims, aud: 'https://graph.microsoft.com' }),
    'wrong issuer': await sign({ ...claims, iss: `https://sts.windows.net/${t.tenantId}/`, idp: `https://sts.windows.net/${t.tenantId}/` }),
    'alg none': `${b64({ alg: 'none', typ: 'JWT' })}.${p}.`,
    'alg none with kid': `${b64({ alg: 'none', typ: 'JWT', kid })}.${p}.`,
    'tampered signature': `${h}.${p}.${s.slice(0, -4)}${s.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`,
    'tampered claims': `${h}.${b64({ ...claims, roles: [...ALL_ROLES, 'Machine.Admin'], exp: now + 99_999 })}.${s}`,
    'tenant swapped': `${h}.${b64({ ...claims, tid: otherTenant, iss: issuer(otherTenant) })}.${s}`,
    'signed with another key': await sign(claims, await exportJWK(other.privateKey)),
    'HS256 keyed with the public key': hs256,
    'no signature part': `${h}.${p}`,
    garbage: 'not-a-jwt',
  };
}

// ---- the matrix ----

describe('authorization matrix', () => {
  it('should list every registered /api route in ENDPOINTS, and no route that does not exist', () => {
    // Routing is case-insensitive; the tree keeps the case of parameter names only.
    const api = registeredRoutes(t.app.printRoutes({ commonPrefix: false })).filter((r) => / \/api\//.test(r)).map((r) => r.toLowerCase());
    const expected = PREFIXES.flatMap((prefix) => Object.keys(ENDPOINTS).map((k) => k.replace(' ', ` ${prefix}`).toLowerCase()));
    const missing = api.filter((r) => !expected.includes(r));
    expect(missing, 'routes missing from ENDPOINTS in authz-matrix.test.ts: add each with its operation').toEqual([]);
    expect(expected.filter((r) => !api.includes(r)), 'ENDPOINTS entries with no route').toEqual([]);
  });

  it('should name only operations of the protocol permission table', () => {
    for (const e of Object.values(ENDPOINTS)) expect(Object.keys(OPERATION_PERMISSIONS)).toContain(e.operation);
  });

  const appSets: [string, readonly string[]][] = [['no permission', []], ...APP_PERMISSIONS.map((p): [string, string[]] => [p, [p]]), ['every permission', [...APP_PERMISSIONS]]];

  describe.each(Object.entries(ENDPOINTS))('%s', (key, endpoint) => {
    it.each(PREFIXES)('should grant or refuse each application permission set exactly as the table says (%s)', async (prefix) => {
      for (const [label, permissions] of appSets) {
        const res = await call(endpoint, prefix, await freshTarget(), await t.token(permissions));
        await expectDecision(res, endpoint, { kind: 'app', permissions }, `${key} with ${label}`);
      }
    });

    it('should grant or refuse each user role and each delegated permission exactly as the table says', async () => {
      const sets: [string, readonly string[]][] = [
        ['no scope', []],
        ...DELEGATED_PERMISSIONS.map((p): [string, string[]] => [p, [p]]),
        ...USER_ROLES.map((r): [string, string[]] => [`role ${r}`, scopesForRoles([r])]),
      ];
      for (const [label, scopes] of sets) {
        const res = await call(endpoint, '/api', await freshTarget(), await delegatedToken(scopes));
        await expectDecision(res, endpoint, { kind: 'delegated', permissions: scopes }, `${key} with ${label}`);
      }
    });

    it('should answer 401 to a missing or bad token, whatever the token claims', async () => {
      const target = await freshTarget();
      const before = await snapshot();
      const none = await call(endpoint, '/api', target, undefined);
      expect(none.statusCode).toBe(401);
      expect(none.headers['www-authenticate']).toBe('Bearer');
      expect(expectErrorShape(none).code).toBe('Unauthorized');
      for (const [label, token] of Object.entries(await badTokens())) {
        const res = await call(endpoint, '/api', target, token);
        expect(res.statusCode, `${key} with ${label} token: ${res.body}`).toBe(401);
        expect(expectErrorShape(res).code).toBe('Unauthorized');
        expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
      }
      expect(await snapshot()).toBe(before);
      // The crafting is right: the same claims signed with the real key pass.
      expect((await call(endpoint, '/api', await freshTarget(), await sign(await claimsOfAdmin()))).statusCode).toBe(endpoint.status);
    });

    it('should show another tenant’s caller none of this tenant’s data', async () => {
      const target = await freshTarget();
      const before = await snapshot();
      const r = await endpoint.request(target);
      const res = await t.call({ method: r.method, url: `/api${r.path}`, ...(r.payload ? { payload: r.payload } : {}), headers: r.headers ?? {}, token: otherAdmin });
      const asked = r.path + (Buffer.isBuffer(r.payload) ? '' : JSON.stringify(r.payload ?? {}));
      const namesAnId = [target.machineId, target.actionId, target.fileName].some((id) => asked.includes(id));
      if (namesAnId) {
        expect(res.statusCode, res.body).toBe(404);
        expect(expectErrorShape(res).code).toMatch(/NotFound$/);
      } else if (endpoint.crossTenant === 'notFound') {
        expect(res.statusCode, res.body).toBe(404);
      } else if (endpoint.crossTenant === 'ownEntity') {
        // A per-tenant document (settings): the caller's own, never this tenant's.
        expect(res.statusCode, res.body).toBe(200);
      } else if (r.method === 'GET') {
        // Collections answer with the caller's own tenant's rows: none here.
        expect(res.statusCode, res.body).toBe(200);
        expect((res.json() as { value: unknown[] }).value).toEqual([]);
      } else {
        // An upload lands in the caller's own library.
        expect(res.statusCode, res.body).toBe(endpoint.status);
      }
      expect(res.body).not.toContain(SECRET_MARKER);
      expect(res.body).not.toContain(t.tenantId);
      // Only an id the request itself names may come back (echoed in the 404 message).
      for (const id of [target.actionId, target.machineId, target.fileName]) if (!asked.includes(id)) expect(res.body).not.toContain(id);
      expect(await snapshot()).toBe(before);
    });
  });
});

async function expectDecision(
  res: Awaited<ReturnType<typeof call>>,
  endpoint: Endpoint,
  caller: { kind: 'app' | 'delegated'; permissions: readonly string[] },
  label: string,
) {
  if (isAllowed(endpoint.operation, caller)) {
    expect(res.statusCode, `${label}: ${res.body}`).toBe(endpoint.status);
    return;
  }
  expect(res.statusCode, `${label}: ${res.body}`).toBe(403);
  const error = expectErrorShape(res);
  expect(error.code).toBe('Forbidden');
  expect(error.message).toBe(forbiddenMessage(endpoint.operation, caller.kind));
  expect(error.message).toContain(requiredPermissionsText(endpoint.operation, caller.kind));
}

async function snapshot(): Promise<string> {
  const parts: unknown[] = [];
  for (const table of ['machine_actions', 'machines', 'machine_tags'] as const) parts.push(await t.store.db.selectFrom(table).selectAll().execute());
  return JSON.stringify(parts);
}
