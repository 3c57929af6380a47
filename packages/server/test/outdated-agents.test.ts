/** @extension Cordon: `GET /api/machines?outdatedAgents=true` lists devices whose agent is not this server's version. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CORDON_VERSION } from '@cordon/protocol';
import { startTestApp, type TestApp } from './helpers.js';

describe('machines with outdated agents', () => {
  let t: TestApp;
  let reader: string;
  const names = (body: string) => (JSON.parse(body) as { value: { computerDnsName: string }[] }).value.map((m) => m.computerDnsName).sort();

  beforeAll(async () => {
    t = await startTestApp();
    reader = await t.token(['Machine.Read.All']);
    await t.seedMachine({ computerDnsName: 'current', agentVersion: CORDON_VERSION });
    await t.seedMachine({ computerDnsName: 'old-a', agentVersion: '0.0.9' });
    await t.seedMachine({ computerDnsName: 'old-b', agentVersion: '0.0.1', osPlatform: 'Ubuntu' });
  });
  afterAll(() => t.close());

  it('should keep only agents of another version, and all of them without the flag or with false', async () => {
    expect(names((await t.call({ method: 'GET', url: '/api/machines?outdatedAgents=true', token: reader })).body)).toEqual(['old-a', 'old-b']);
    expect(names((await t.call({ method: 'GET', url: '/api/machines?outdatedAgents=false', token: reader })).body)).toEqual(['current', 'old-a', 'old-b']);
    expect(names((await t.call({ method: 'GET', url: '/api/machines', token: reader })).body)).toEqual(['current', 'old-a', 'old-b']);
  });

  it("should combine with the caller's $filter", async () => {
    const res = await t.call({ method: 'GET', url: `/api/machines?outdatedAgents=true&$filter=${encodeURIComponent("osPlatform eq 'Ubuntu' or computerDnsName eq 'current'")}`, token: reader });
    expect(res.statusCode).toBe(200);
    expect(names(res.body)).toEqual(['old-b']);
  });

  it('should refuse a value other than true or false with 400', async () => {
    const res = await t.call({ method: 'GET', url: '/api/machines?outdatedAgents=yes', token: reader });
    expect(res.statusCode).toBe(400);
    expect((res.json() as { error: { code: string } }).error.code).toBe('InvalidInput');
  });
});
