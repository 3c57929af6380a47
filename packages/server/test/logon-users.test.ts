/**
 * `GET /api/machines/{id}/logonusers`, fed by a device's signed `agent/logons` reports over the
 * long-poll RPC endpoint: MDE's User shape, merging of reports, validation of what a device sends,
 * permissions, unknown machines and tenant isolation.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AGENT_AUTH_HEADERS, AGENT_PATHS, LOGON_REPORT_LIMITS } from '@cordon/protocol';
import { wireDispatch } from '@cordon/server';
import { startTestApp, type TestApp } from './helpers.js';
import { addDevice, sha256, type TestDevice } from './forensics-helpers.js';

const RPC_CONTENT_TYPE = 'application/vnd.cordon.rpc+json';
const MACHINE_ID = 'b46b9bb259ed4a7fb9981b73510e3cc7aa81ec1f';

let t: TestApp;
let device: TestDevice;
let reader: string;

beforeEach(async () => {
  t = await startTestApp();
  await wireDispatch({ built: t, store: t.store, clock: t.clock, heartbeatIntervalMs: 30_000 });
  await t.seedMachine({ id: MACHINE_ID, computerDnsName: 'web-01.contoso.local' });
  device = await addDevice(t, MACHINE_ID);
  reader = await t.token(['User.Read.All']);
});
afterEach(() => t.close());

async function report(params: unknown, from = device) {
  const body = Buffer.from(JSON.stringify({ id: 1, method: 'agent/logons', params }));
  const headers = { ...from.headers('POST', AGENT_PATHS.rpc, sha256(body)), [AGENT_AUTH_HEADERS.session]: `session-${from.machineId.slice(0, 12)}`, 'content-type': RPC_CONTENT_TYPE };
  const res = await t.app.inject({ method: 'POST', url: AGENT_PATHS.rpc, headers, payload: body });
  return res.json() as { result?: unknown; error?: { code: string; message: string } };
}
const list = (ref = MACHINE_ID, token = reader) => t.call({ method: 'GET', url: `/api/machines/${ref}/logonusers`, token });

describe('GET /api/machines/{id}/logonusers', () => {
  it("should serve the device's reported logons as MDE Users, most recent first", async () => {
    const answer = await report({
      users: [
        { accountName: 'alice', logonTypes: ['Interactive'], firstSeen: '2026-11-01T08:00:00Z', lastSeen: '2026-11-20T09:30:00.5Z' },
        { accountName: 'root', logonTypes: ['RemoteInteractive', 'Interactive'], firstSeen: '2026-10-01T00:00:00Z', lastSeen: '2026-11-21T07:00:00Z' },
      ],
    });
    expect(answer).toEqual({ result: { ok: true } });
    const res = await list();
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      '@odata.context': 'http://localhost:80/api/$metadata#Users',
      value: [
        { id: 'web-01\\root', accountName: 'root', accountDomain: 'web-01', accountSid: null, firstSeen: '2026-10-01T00:00:00.0000000Z', lastSeen: '2026-11-21T07:00:00.0000000Z', logonTypes: 'Interactive, RemoteInteractive', isDomainAdmin: false, isOnlyNetworkUser: false },
        { id: 'web-01\\alice', accountName: 'alice', accountDomain: 'web-01', accountSid: null, firstSeen: '2026-11-01T08:00:00.0000000Z', lastSeen: '2026-11-20T09:30:00.5000000Z', logonTypes: 'Interactive', isDomainAdmin: false, isOnlyNetworkUser: false },
      ],
    });
    // By computer name too, and under /api/v1.0.
    const byName = await t.call({ method: 'GET', url: '/api/v1.0/machines/web-01.contoso.local/logonusers', token: reader });
    expect(byName.json().value.map((u: { accountName: string }) => u.accountName)).toEqual(['root', 'alice']);
  });

  it('should merge a later report: the first sighting stays, the last and the logon types grow', async () => {
    await report({ users: [{ accountName: 'alice', logonTypes: ['Interactive'], firstSeen: '2026-11-01T08:00:00Z', lastSeen: '2026-11-02T08:00:00Z' }] });
    // wtmp rotated: the device no longer holds alice's first logon.
    await report({ users: [{ accountName: 'alice', logonTypes: ['RemoteInteractive'], firstSeen: '2026-11-10T08:00:00Z', lastSeen: '2026-11-12T08:00:00Z' }, { accountName: 'bob', logonTypes: ['Interactive'], firstSeen: '2026-11-11T08:00:00Z', lastSeen: '2026-11-11T09:00:00Z' }] });
    const users = (await list()).json().value;
    expect(users.map((u: Record<string, unknown>) => [u.accountName, u.firstSeen, u.lastSeen, u.logonTypes])).toEqual([
      ['alice', '2026-11-01T08:00:00.0000000Z', '2026-11-12T08:00:00.0000000Z', 'Interactive, RemoteInteractive'],
      ['bob', '2026-11-11T08:00:00.0000000Z', '2026-11-11T09:00:00.0000000Z', 'Interactive'],
    ]);
  });

  it('should answer an empty list for a machine that reported nothing, and 404 ResourceNotFound for an unknown one', async () => {
    expect((await list()).json().value).toEqual([]);
    const missing = await list('no-such-machine');
    expect([missing.statusCode, missing.json().error.code]).toEqual([404, 'ResourceNotFound']);
  });

  it('should need User.Read.All (application or delegated), and a token', async () => {
    const denied = await list(MACHINE_ID, await t.token(['Machine.Read.All', 'Alert.Read.All']));
    expect([denied.statusCode, denied.json().error.code]).toEqual([403, 'Forbidden']);
    expect(denied.json().error.message).toContain('User.Read.All');
    expect((await t.call({ method: 'GET', url: `/api/machines/${MACHINE_ID}/logonusers` })).statusCode).toBe(401);
  });

  it("should never show another tenant's machine or let a device report for another", async () => {
    await report({ users: [{ accountName: 'alice', logonTypes: ['Interactive'], firstSeen: '2026-11-01T08:00:00Z', lastSeen: '2026-11-02T08:00:00Z' }] });
    const other = await t.newTenant();
    expect((await list(MACHINE_ID, await t.token(['User.Read.All'], other))).statusCode).toBe(404);
    // A device's report only ever lands on its own machine: the body names no machine.
    const neighbour = await t.seedMachine({ id: 'c'.repeat(40), computerDnsName: 'db-01' });
    const neighbourDevice = await addDevice(t, neighbour.id);
    await report({ users: [{ accountName: 'mallory', logonTypes: ['Interactive'], firstSeen: '2026-11-01T08:00:00Z', lastSeen: '2026-11-02T08:00:00Z' }] }, neighbourDevice);
    expect((await list()).json().value.map((u: { accountName: string }) => u.accountName)).toEqual(['alice']);
  });

  it.each([
    ['not an object', 'nope'],
    ['no users', {}],
    ['an unknown property', { users: [], machineId: 'x' }],
    ['a backslash in the name', { users: [{ accountName: 'a\\b', logonTypes: ['Interactive'], firstSeen: '2026-11-01T08:00:00Z', lastSeen: '2026-11-01T08:00:00Z' }] }],
    ['a control character in the name', { users: [{ accountName: 'a\u0007', logonTypes: ['Interactive'], firstSeen: '2026-11-01T08:00:00Z', lastSeen: '2026-11-01T08:00:00Z' }] }],
    ['an overlong name', { users: [{ accountName: 'a'.repeat(LOGON_REPORT_LIMITS.accountNameLength + 1), logonTypes: ['Interactive'], firstSeen: '2026-11-01T08:00:00Z', lastSeen: '2026-11-01T08:00:00Z' }] }],
    ['an unknown logon type', { users: [{ accountName: 'a', logonTypes: ['Network'], firstSeen: '2026-11-01T08:00:00Z', lastSeen: '2026-11-01T08:00:00Z' }] }],
    ['too many users', { users: Array.from({ length: LOGON_REPORT_LIMITS.users + 1 }, (_, i) => ({ accountName: `u${i}`, logonTypes: ['Interactive'], firstSeen: '2026-11-01T08:00:00Z', lastSeen: '2026-11-01T08:00:00Z' })) }],
  ])('should refuse a report with %s as InvalidRequestBody and store nothing', async (_name, params) => {
    const answer = await report(params);
    expect(answer.error?.code).toBe('InvalidRequestBody');
    expect((await list()).json().value).toEqual([]);
  });

  it('should refuse a timestamp that is not one as InvalidInput and store nothing', async () => {
    const answer = await report({ users: [{ accountName: 'a', logonTypes: ['Interactive'], firstSeen: 'yesterday', lastSeen: '2026-11-01T08:00:00Z' }] });
    expect(answer.error?.code).toBe('InvalidInput');
    expect((await list()).json().value).toEqual([]);
  });
});
