/**
 * The token endpoint, auth and rate limits over the real store (SQLite in memory), two app
 * instances sharing it; the other tests use the in-memory doubles of ./testing.ts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { IdentityStore } from '@cordon/core';
import { openStore, type Store } from '@cordon/store';
import { buildTestApp, getToken, ManualClock, type TestApp } from '../testing/auth.js';

let store: Store | undefined;
const apps: TestApp<IdentityStore>[] = [];
afterEach(async () => {
  for (const a of apps.splice(0)) await a.app.close();
  await store?.close();
  store = undefined;
});

describe('auth and rate limits over the real store', () => {
  it('should issue, verify and rate-limit with one SQLite store shared by two apps', async () => {
    store = await openStore({ sqlitePath: ':memory:' });
    const clock = new ManualClock(Date.UTC(2025, 0, 15, 10, 0, 20));
    const limits = { default: { perMinute: 3, perHour: null } };
    const a = await buildTestApp({ identity: store.identity, rateLimits: store.rateLimits, clock, limits });
    const b = await buildTestApp({ identity: store.identity, rateLimits: store.rateLimits, clock, limits });
    apps.push(a, b);
    const token = await getToken(a);
    const call = (x: TestApp<IdentityStore>) => x.app.inject({ method: 'GET', url: '/api/machineactions', headers: { authorization: `Bearer ${token}` } });
    expect([(await call(a)).statusCode, (await call(b)).statusCode, (await call(a)).statusCode]).toEqual([200, 200, 200]);
    const refused = await call(b);
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBe('40');
    expect(await store.identity.listSigningKeys('jwt')).toHaveLength(1);
    clock.advance(40_000);
    expect((await call(b)).statusCode).toBe(200);
  });

  it('should refuse a wrong secret against the stored hash', async () => {
    store = await openStore({ sqlitePath: ':memory:' });
    const a = await buildTestApp({ identity: store.identity, rateLimits: store.rateLimits });
    apps.push(a);
    expect((await store.identity.getApp(a.clientId))?.secretHash).toMatch(/^\$scrypt\$/);
    await expect(getToken({ ...a, clientSecret: 'nope' })).rejects.toThrow(/401/);
  });
});
