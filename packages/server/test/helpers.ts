/**
 * Test harness: a real app on an in-memory SQLite store, a tenant, applications with chosen
 * permissions, and tokens obtained through the real token endpoint.
 */
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { openStore, type Store } from '@cordon/store';
import { makeMachine } from '@cordon/store/testing';
import { APP_PERMISSIONS, toMdeTimestamp } from '@cordon/protocol';
import type { Clock, IdGenerator, MachineRecord } from '@cordon/core';
import { buildApp, loadConfig, randomIds, type CordonApp } from '@cordon/server';
import { createApplication } from '../src/auth/index.js';

export class FakeClock implements Clock {
  constructor(public ms = Date.UTC(2026, 10, 21, 10, 0, 0)) {}
  now(): number {
    return this.ms;
  }
  advance(ms: number): void {
    this.ms += ms;
  }
}

export interface TestApp extends CordonApp {
  store: Store;
  clock: FakeClock;
  tenantId: string;
  /** A bearer token of an application holding exactly `roles` (cached per role set). */
  token(roles: readonly string[], tenantId?: string, options?: { fresh?: boolean }): Promise<string>;
  newTenant(): Promise<string>;
  seedMachine(overrides?: Partial<MachineRecord>): Promise<MachineRecord>;
  call(options: InjectOptions & { token?: string }): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export async function startTestApp(options: { env?: Record<string, string>; store?: Store; ids?: IdGenerator; agentArtifactDir?: string } = {}): Promise<TestApp> {
  const clock = new FakeClock();
  const store = options.store ?? (await openStore({ sqlitePath: ':memory:' }));
  const config = loadConfig({ CORDON_PORT: '0', CORDON_PUBLIC_URL: 'http://cordon.test', ...options.env });
  const built = await buildApp({ config, store, clock, ids: options.ids ?? randomIds, ...(options.agentArtifactDir ? { agentArtifactDir: options.agentArtifactDir } : {}) });
  const tokens = new Map<string, string>();

  const newTenant = async () => {
    const id = randomIds.uuid();
    await store.identity.createTenant({ id, name: `tenant-${id.slice(0, 8)}`, createdAt: toMdeTimestamp(clock.now()) });
    return id;
  };
  const tenantId = await newTenant();

  const token = async (roles: readonly string[], tenant = tenantId, opts: { fresh?: boolean } = {}) => {
    const key = `${tenant}|${[...roles].sort().join(',')}`;
    const cached = tokens.get(key);
    if (cached && !opts.fresh) return cached;
    const app = await createApplication(store.identity, { tenantId: tenant, name: `app ${roles.join('+') || 'none'}`, roles: [...roles] }, { clock, ids: randomIds });
    const res = await built.app.inject({
      method: 'POST',
      url: `/${tenant}/oauth2/v2.0/token`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        client_id: app.clientId,
        client_secret: app.clientSecret,
        grant_type: 'client_credentials',
        scope: 'https://api.securitycenter.microsoft.com/.default',
      }).toString(),
    });
    if (res.statusCode !== 200) throw new Error(`token request failed: ${res.statusCode} ${res.body}`);
    const accessToken = (res.json() as { access_token: string }).access_token;
    tokens.set(key, accessToken);
    return accessToken;
  };

  return {
    ...built,
    store,
    clock,
    tenantId,
    token,
    newTenant,
    async seedMachine(overrides = {}) {
      const machine = makeMachine({ tenantId, ...overrides });
      await store.machines.upsert(machine);
      return machine;
    },
    call({ token: bearer, ...rest }) {
      return built.app.inject({ ...rest, headers: { ...(rest.headers ?? {}), ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) } });
    },
    async close() {
      await built.app.close();
      if (!options.store) await store.close();
    },
  };
}

/** Every permission an application can hold. */
export const ALL_ROLES = APP_PERMISSIONS;

/** `2019-01-02T14:39:38.2262283Z`: ISO 8601 UTC, 7 fractional digits (mde-api.md §4.1). */
export const MDE_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}Z$/;
