/**
 * `GET /api/machines/{id}/timeline` (Cordon extension): actions and recorded machine changes of one
 * device in one list, newest first; paging, the kind filter, bad input, unknown machines, tenants.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ALL_ROLES, MDE_TIMESTAMP, startTestApp, type TestApp } from './helpers.js';

let t: TestApp;
let admin: string;
const ID = '2e5bc9d7e413ddd7902c2932e418702b84d0cc08';

beforeEach(async () => {
  t = await startTestApp();
  admin = await t.token(ALL_ROLES);
  await t.seedMachine({ id: ID, computerDnsName: 'timeline-01.contoso.local', machineTags: ['old'], healthStatus: 'Active' });
});
afterEach(() => t.close());

const get = (query = '', token = admin) => t.call({ method: 'GET', url: `/api/machines/${ID}/timeline${query}`, token });
const tag = (Value: string, Action: 'Add' | 'Remove') => t.call({ method: 'POST', url: `/api/machines/${ID}/tags`, token: admin, payload: { Value, Action } });

describe('GET /api/machines/{id}/timeline', () => {
  it('should list tag changes, health changes and actions newest first, each with a timestamp', async () => {
    expect((await tag('finance', 'Add')).statusCode).toBe(200);
    // Removing a tag the device never had changes nothing, and records nothing.
    expect((await tag('never-had', 'Remove')).statusCode).toBe(200);
    await t.store.machines.update(t.tenantId, ID, { healthStatus: 'Inactive' });
    const scan = await t.call({ method: 'POST', url: `/api/machines/${ID}/runAntiVirusScan`, token: admin, payload: { Comment: 'weekly', ScanType: 'Quick' } });
    expect(scan.statusCode).toBe(201);
    const res = await get();
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body['@odata.context']).toBe('http://localhost:80/api/$metadata#Cordon.TimelineEntries');
    expect(body['@odata.nextLink']).toBeUndefined();
    const kinds = body.value.map((e: { kind: string }) => e.kind);
    expect(new Set(kinds)).toEqual(new Set(['action', 'health', 'tags']));
    expect(body.value.find((e: { kind: string }) => e.kind === 'tags')).toMatchObject({ added: ['finance'], removed: [] });
    expect(body.value.find((e: { kind: string }) => e.kind === 'health')).toMatchObject({ from: 'Active', to: 'Inactive' });
    expect(body.value.find((e: { kind: string }) => e.kind === 'action')).toMatchObject({ actionId: scan.json().id, actionType: 'RunAntiVirusScan', status: 'Pending', requestorComment: 'weekly' });
    const times = body.value.map((e: { time: string }) => e.time);
    for (const time of times) expect(time).toMatch(MDE_TIMESTAMP);
    expect([...times].sort().reverse()).toEqual(times);
    // By computer name and under /api/v1.0 too.
    const byName = await t.call({ method: 'GET', url: '/api/v1.0/machines/timeline-01.contoso.local/timeline', token: admin });
    expect(byName.json().value).toEqual(body.value);
  });

  it('should page with $top and $skip and link the next page', async () => {
    for (const name of ['a', 'b', 'c']) await tag(name, 'Add');
    const first = (await get('?$top=2')).json();
    expect(first.value.map((e: { added: string[] }) => e.added)).toEqual([['c'], ['b']]);
    const next = new URL(first['@odata.nextLink']);
    expect(next.pathname).toBe(`/api/machines/${ID}/timeline`);
    const second = (await t.call({ method: 'GET', url: `${next.pathname}${next.search}`, token: admin })).json();
    expect(second.value.map((e: { added: string[] }) => e.added)).toEqual([['a']]);
    expect(second['@odata.nextLink']).toBeUndefined();
  });

  it('should keep only the kinds asked for', async () => {
    await tag('x', 'Add');
    await t.store.machines.update(t.tenantId, ID, { isRestricted: true });
    const res = (await get('?kind=restriction')).json();
    expect(res.value).toEqual([{ kind: 'restriction', time: expect.stringMatching(MDE_TIMESTAMP), from: false, to: true }]);
  });

  it('should refuse bad options with 400 InvalidInput and change nothing', async () => {
    for (const query of ['?$top=0', '?$top=201', '?$skip=999999', '?kind=bogus', '?$top=abc', '?other=1']) {
      const res = await get(query);
      expect(res.statusCode, query).toBe(400);
      expect(['InvalidInput', 'InvalidRequestBody', 'BadRequest']).toContain(res.json().error.code);
    }
  });

  it('should answer 404 for an unknown machine and for a machine of another tenant', async () => {
    const res = await t.call({ method: 'GET', url: '/api/machines/0000000000000000000000000000000000000000/timeline', token: admin });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('ResourceNotFound');
    const other = await t.newTenant();
    const otherToken = await t.token(ALL_ROLES, other);
    expect((await get('', otherToken)).statusCode).toBe(404);
  });
});
