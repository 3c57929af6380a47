import { afterEach, describe, expect, it } from 'vitest';
import { buildTestApp, getToken, ManualClock, MemoryRateLimitStore, type TestApp } from '../testing/auth.js';

let t: TestApp;
const extra: TestApp[] = [];
afterEach(async () => {
  await t?.app.close();
  for (const x of extra.splice(0)) await x.app.close();
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const list = (app: TestApp, token: string) => app.app.inject({ method: 'GET', url: '/api/machineactions', headers: bearer(token) });
const packageUri = (app: TestApp, token: string) => app.app.inject({ method: 'GET', url: '/api/machineactions/a1/getPackageUri', headers: bearer(token) });

/** 10:00:20 UTC: 40 s left in the minute, 3580 s in the hour. */
const START = Date.UTC(2025, 0, 15, 10, 0, 20);

async function times(n: number, call: () => Promise<{ statusCode: number }>): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < n; i++) statuses.push((await call()).statusCode);
  return statuses;
}

describe('rateLimitPlugin', () => {
  it('should answer 429 with Retry-After on the 101st call in a minute', async () => {
    t = await buildTestApp({ clock: new ManualClock(START) });
    const token = await getToken(t);
    expect(new Set(await times(100, () => list(t, token)))).toEqual(new Set([200]));
    const res = await list(t, token);
    expect(res.statusCode).toBe(429);
    expect(res.headers['retry-after']).toBe('40');
    expect(res.json()).toEqual({
      error: { code: 'TooManyRequests', message: 'Rate limit of 100 calls per minute exceeded; retry after 40 seconds', target: res.headers['request-id'] },
    });
    t.clock.advance(39_500);
    expect((await list(t, token)).headers['retry-after']).toBe('1');
    t.clock.advance(500);
    expect((await list(t, token)).statusCode).toBe(200);
  });

  it('should enforce the hourly window across minutes', async () => {
    t = await buildTestApp({ clock: new ManualClock(START), limits: { default: { perMinute: 3, perHour: 5 } } });
    const token = await getToken(t);
    expect(await times(4, () => list(t, token))).toEqual([200, 200, 200, 429]);
    t.clock.advance(60_000);
    // the refused call counted too: 4 used, one left this hour
    expect(await times(2, () => list(t, token))).toEqual([200, 429]);
    const res = await list(t, token);
    expect(res.headers['retry-after']).toBe(String(3600 - 80));
    expect((res.json() as { error: { message: string } }).error.message).toBe('Rate limit of 5 calls per hour exceeded; retry after 3520 seconds');
  });

  it('should count families independently', async () => {
    t = await buildTestApp({ clock: new ManualClock(START) });
    const token = await getToken(t);
    expect(await times(3, () => packageUri(t, token))).toEqual([200, 200, 429]);
    const refused = await packageUri(t, token);
    expect((refused.json() as { error: { message: string } }).error.message).toBe('Rate limit of 2 calls per minute exceeded for getPackageUri; retry after 40 seconds');
    expect((await list(t, token)).statusCode).toBe(200);
  });

  it('should count each application separately', async () => {
    t = await buildTestApp({ clock: new ManualClock(START), limits: { default: { perMinute: 1, perHour: null } } });
    const other = await buildTestApp({ identity: t.identity, rateLimits: t.rateLimits, clock: t.clock, limits: { default: { perMinute: 1, perHour: null } } });
    extra.push(other);
    const a = await getToken(t);
    const b = await getToken(other);
    expect(await times(2, () => list(t, a))).toEqual([200, 429]);
    expect((await list(t, b)).statusCode).toBe(200);
  });

  it('should share counters between two app instances on one store', async () => {
    const store = new MemoryRateLimitStore();
    t = await buildTestApp({ clock: new ManualClock(START), rateLimits: store });
    const second = await buildTestApp({ identity: t.identity, rateLimits: store, clock: t.clock });
    extra.push(second);
    const token = await getToken(t);
    for (let i = 0; i < 50; i++) {
      expect((await list(t, token)).statusCode).toBe(200);
      expect((await list(second, token)).statusCode).toBe(200);
    }
    expect((await list(second, token)).statusCode).toBe(429);
    expect((await list(t, token)).statusCode).toBe(429);
  });

  it('should not count unauthenticated or public calls', async () => {
    const store = new MemoryRateLimitStore();
    t = await buildTestApp({ clock: new ManualClock(START), rateLimits: store });
    await times(3, () => t.app.inject({ method: 'GET', url: '/api/machineactions' }));
    await times(3, () => t.app.inject({ method: 'GET', url: '/api/public' }));
    expect(store.counts.size).toBe(0);
  });

  it('should prune old windows now and then, not on every request', async () => {
    const store = new MemoryRateLimitStore();
    t = await buildTestApp({ clock: new ManualClock(START), rateLimits: store });
    const token = await getToken(t);
    await times(5, () => list(t, token));
    expect(store.pruneCalls).toEqual([]);
    t.clock.advance(10 * 60_000);
    await times(5, () => list(t, token));
    expect(store.pruneCalls).toEqual([START + 10 * 60_000 - 3_600_000]);
  });
});
