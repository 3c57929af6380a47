/**
 * Test doubles for the identity and rate-limit ports, behaving as the ports describe (copies in and
 * out, first-writer-wins keys, atomic counters), plus a settable clock. Used by the server's
 * HTTP tests until/unless they run against the real store.
 */
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { IsolateBody } from '@cordon/protocol';
import type { AppRecord, Clock, IdentityStore, IdGenerator, RateLimitStore, SigningKeyRecord, TenantRecord } from '@cordon/core';
import { authPlugin, type AuthOptions } from '../plugins/auth.js';
import { errorHandlerPlugin, errorHandlerServerOptions } from '../plugins/error-handler.js';
import { rateLimitPlugin, type RateLimitOptions } from '../plugins/rate-limit.js';
import { requestIdOptions, requestIdPlugin } from '../plugins/request-id.js';
import { oauthRoutes } from '../routes/oauth.js';
import { createApplication } from '../auth/applications.js';
import { createSigningKeys, type SigningKeys } from '../auth/signing-keys.js';
import type { PersonLookup } from '../auth/token-verifier.js';

const copy = <T>(value: T): T => structuredClone(value);

export class MemoryIdentityStore implements IdentityStore {
  readonly #tenants = new Map<string, TenantRecord>();
  readonly #apps = new Map<string, AppRecord>();
  readonly #keys: SigningKeyRecord[] = [];

  async createTenant(tenant: TenantRecord): Promise<void> {
    if (this.#tenants.has(tenant.id)) throw new Error(`tenant ${tenant.id} exists`);
    this.#tenants.set(tenant.id, copy(tenant));
  }
  async getTenant(id: string): Promise<TenantRecord | undefined> {
    return copy(this.#tenants.get(id));
  }
  async listTenants(): Promise<TenantRecord[]> {
    return [...this.#tenants.values()].map(copy);
  }
  async createApp(app: AppRecord): Promise<void> {
    if (this.#apps.has(app.clientId)) throw new Error(`app ${app.clientId} exists`);
    this.#apps.set(app.clientId, copy(app));
  }
  async getApp(clientId: string): Promise<AppRecord | undefined> {
    return copy(this.#apps.get(clientId));
  }
  async listApps(tenantId: string): Promise<AppRecord[]> {
    return [...this.#apps.values()].filter((a) => a.tenantId === tenantId).map(copy);
  }
  async ensureSigningKey(candidate: SigningKeyRecord): Promise<SigningKeyRecord> {
    const existing = this.#keys.find((k) => k.use === candidate.use);
    if (existing) return copy(existing);
    this.#keys.push(copy(candidate));
    return copy(candidate);
  }
  async listSigningKeys(use: SigningKeyRecord['use']): Promise<SigningKeyRecord[]> {
    return this.#keys.filter((k) => k.use === use).map(copy);
  }
  async setAppDisabled(clientId: string, disabled: boolean): Promise<boolean> {
    const app = this.#apps.get(clientId);
    if (app) app.disabled = disabled;
    return app !== undefined;
  }
  async setAppSecretHash(clientId: string, secretHash: string): Promise<boolean> {
    const app = this.#apps.get(clientId);
    if (app) app.secretHash = secretHash;
    return app !== undefined;
  }
}

export class MemoryRateLimitStore implements RateLimitStore {
  /** key -> windowStart -> count */
  readonly counts = new Map<string, Map<number, number>>();
  pruneCalls: number[] = [];

  async hit(key: string, windowStart: number): Promise<number> {
    let windows = this.counts.get(key);
    if (!windows) this.counts.set(key, (windows = new Map()));
    const next = (windows.get(windowStart) ?? 0) + 1;
    windows.set(windowStart, next);
    return next;
  }
  async prune(before: number): Promise<void> {
    this.pruneCalls.push(before);
    for (const windows of this.counts.values()) for (const start of windows.keys()) if (start < before) windows.delete(start);
  }
}

/** A clock that moves only when told to. */
/** The people a delegated test token may name: `add` them, then `setDisabled` to revoke. */
export class MemoryPeople implements PersonLookup {
  readonly #people = new Map<string, { tenantId: string; disabled: boolean }>();

  add(id: string, tenantId: string): void {
    this.#people.set(id, { tenantId, disabled: false });
  }
  setDisabled(id: string, disabled: boolean): void {
    const person = this.#people.get(id);
    if (!person) throw new Error(`no person ${id}`);
    person.disabled = disabled;
  }
  async getUser(id: string): Promise<{ tenantId: string; disabled: boolean } | undefined> {
    return copy(this.#people.get(id));
  }
}

export class ManualClock implements Clock {
  constructor(private ms: number = Date.UTC(2025, 0, 15, 10, 0, 0)) {}
  now(): number {
    return this.ms;
  }
  advance(ms: number): void {
    this.ms += ms;
  }
  set(ms: number): void {
    this.ms = ms;
  }
}

/** Predictable GUIDs: 00000000-0000-4000-8000-000000000001, ...002, ... */
export function sequentialIds(): IdGenerator {
  let n = 0;
  return { uuid: () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}` };
}

/** What an HTTP test needs: an app with every cross-cutting plugin, a seeded tenant and application. */
export interface TestApp<I extends IdentityStore = MemoryIdentityStore> {
  app: FastifyInstance;
  identity: I;
  rateLimits: RateLimitStore;
  clock: ManualClock;
  people: MemoryPeople;
  keys: SigningKeys;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  issuerBase: string;
}

let appCounter = 0;
export const TEST_PUBLIC_URL = 'http://cordon.test';
export const TEST_ISSUER_BASE = `${TEST_PUBLIC_URL}/sts`;

/**
 * A minimal Fastify app wired like buildApp's cross-cutting part, with a few dummy routes:
 * POST /api/machines/:id/isolate (isolate, IsolateBody), POST /api/machines/:id/StopAndQuarantineFile,
 * GET /api/machineactions (listMachineActions), GET /api/machineactions/:id/getPackageUri
 * (family getPackageUri). Each answers `{ caller }`.
 */
export async function buildTestApp<I extends IdentityStore = MemoryIdentityStore>(
  options: {
    identity?: I;
    rateLimits?: RateLimitStore;
    clock?: ManualClock;
    roles?: string[];
    limits?: RateLimitOptions['limits'];
    auth?: Partial<AuthOptions>;
  } = {},
): Promise<TestApp<I>> {
  const identity = options.identity ?? (new MemoryIdentityStore() as IdentityStore as I);
  const rateLimits = options.rateLimits ?? new MemoryRateLimitStore();
  const clock = options.clock ?? new ManualClock();
  const people = new MemoryPeople();
  const ids = sequentialIds();
  const keys = createSigningKeys(identity, clock);
  let tenantId = (await identity.listTenants())[0]?.id;
  if (!tenantId) {
    tenantId = '11111111-2222-4333-8444-555555555555';
    await identity.createTenant({ id: tenantId, name: 'test', createdAt: '2025-01-01T00:00:00.0000000Z' });
  }
  const created = await createApplication(identity, { tenantId, name: `Test app ${++appCounter}`, roles: options.roles ?? ['Machine.Isolate', 'Machine.Read.All'] }, { clock, ids: { uuid: () => randomUUID() } });

  const app = Fastify({
    logger: false,
    bodyLimit: 16 * 1024,
    routerOptions: { caseSensitive: false },
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, useDefaults: false, allErrors: false } },
    ...requestIdOptions(),
    ...errorHandlerServerOptions(),
  });
  await app.register(requestIdPlugin);
  await app.register(errorHandlerPlugin);
  await app.register(authPlugin, { identity, people, clock, issuerBase: TEST_ISSUER_BASE, keys, ...options.auth });
  await app.register(rateLimitPlugin, { store: rateLimits, clock, limits: options.limits });
  await app.register(oauthRoutes, { identity, clock, issuerBase: TEST_ISSUER_BASE, publicUrl: TEST_PUBLIC_URL, keys, ids });
  await app.register(
    async (api) => {
      const echo = async (request: FastifyRequest) => ({ caller: request.caller ?? null });
      api.post('/machines/:id/isolate', { config: { operation: 'isolate' }, schema: { body: IsolateBody } }, echo);
      api.post('/machines/:id/StopAndQuarantineFile', { config: { operation: 'stopAndQuarantineFile' } }, echo);
      api.get('/machineactions', { config: { operation: 'listMachineActions' } }, echo);
      api.get('/machineactions/:id/getPackageUri', { config: { operation: 'getPackageUri', rateFamily: 'getPackageUri' } }, echo);
      api.get('/public', echo);
    },
    { prefix: '/api' },
  );
  await app.ready();
  return { app, identity, rateLimits, clock, people, keys, tenantId, clientId: created.clientId, clientSecret: created.clientSecret, issuerBase: TEST_ISSUER_BASE };
}

/** Gets a token from the v2 endpoint of a test app. */
export async function getToken(t: Pick<TestApp<IdentityStore>, 'app' | 'tenantId' | 'clientId' | 'clientSecret'>): Promise<string> {
  const res = await t.app.inject({
    method: 'POST',
    url: `/${t.tenantId}/oauth2/v2.0/token`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ client_id: t.clientId, client_secret: t.clientSecret, grant_type: 'client_credentials', scope: 'https://api.securitycenter.microsoft.com/.default' }).toString(),
  });
  if (res.statusCode !== 200) throw new Error(`token request failed: ${res.statusCode} ${res.body}`);
  return (res.json() as { access_token: string }).access_token;
}
