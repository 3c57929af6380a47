import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ALL_ROLES, startTestApp, type TestApp } from './helpers.js';

let t: TestApp;
let admin: string;
const ID = '1e5bc9d7e413ddd7902c2932e418702b84d0cc07';

beforeEach(async () => {
  t = await startTestApp();
  admin = await t.token(ALL_ROLES);
  await t.seedMachine({ id: ID, computerDnsName: 'mymachine1.contoso.com', machineTags: ['test tag 1'], lastIpAddress: '172.17.230.209', aadDeviceId: '80fe8ff8-2624-418e-9591-41f0491218f9' });
  await t.seedMachine({ computerDnsName: 'other.contoso.com', machineTags: ['prod'] });
});
afterEach(() => t.close());

const call = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown) =>
  t.call({ method, url, token: admin, ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });

describe('machines', () => {
  it('should list machines with documented fields and the Machines context', async () => {
    const res = await call('GET', '/api/machines');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body['@odata.context']).toBe('http://localhost:80/api/$metadata#Machines');
    expect(body.value).toHaveLength(2);
    for (const key of ['id', 'computerDnsName', 'firstSeen', 'lastSeen', 'osPlatform', 'version', 'osProcessor', 'lastIpAddress', 'lastExternalIpAddress', 'osBuild', 'healthStatus', 'rbacGroupId', 'rbacGroupName', 'riskScore', 'exposureLevel', 'isAadJoined', 'aadDeviceId', 'machineTags', 'onboardingStatus', 'deviceValue', 'ipAddresses', 'isolationState']) {
      expect(body.value[0]).toHaveProperty(key);
    }
  });

  it('should serve avSignatureSources as the last (extension) property, null until the agent reports it', async () => {
    const before = (await call('GET', `/api/machines/${ID}`)).json();
    expect(Object.keys(before).at(-1)).toBe('avSignatureSources');
    expect(before.avSignatureSources).toBeNull();
    await t.store.machines.update(t.tenantId, ID, { avSignatureSources: ['builtin'] });
    expect((await call('GET', `/api/machines/${ID}`)).json().avSignatureSources).toEqual(['builtin']);
    const listed = (await call('GET', `/api/machines?$select=id,avSignatureSources&$filter=id eq '${ID}'`)).json().value;
    expect(listed).toEqual([{ id: ID, avSignatureSources: ['builtin'] }]);
  });

  it('should filter machines by computerDnsName with startswith and by healthStatus', async () => {
    expect((await call('GET', "/api/machines?$filter=startswith(computerDnsName,'mymachine')")).json().value.map((m: { id: string }) => m.id)).toEqual([ID]);
    expect((await call('GET', "/api/machines?$filter=healthStatus eq 'Active'")).json().value).toHaveLength(2);
  });

  it('should get a machine by id, computer name or aadDeviceId, and 404 otherwise', async () => {
    for (const ref of [ID, 'mymachine1.contoso.com', '80fe8ff8-2624-418e-9591-41f0491218f9']) {
      const res = await call('GET', `/api/machines/${ref}`);
      expect([ref, res.statusCode, res.json().id]).toEqual([ref, 200, ID]);
      expect(res.json()['@odata.context']).toBe('http://localhost:80/api/$metadata#Machines/$entity');
    }
    const missing = await call('GET', '/api/machines/nope');
    expect([missing.statusCode, missing.json().error.code]).toEqual([404, 'ResourceNotFound']);
  });

  it('should add and remove a tag', async () => {
    const added = await call('POST', `/api/machines/${ID}/tags`, { Value: 'test Tag 2', Action: 'Add' });
    expect(added.statusCode).toBe(200);
    expect([...added.json().machineTags].sort()).toEqual(['test Tag 2', 'test tag 1']);
    const removed = await call('POST', `/api/machines/${ID}/tags`, { Value: 'test tag 1', Action: 'Remove' });
    expect(removed.json().machineTags).toEqual(['test Tag 2']);
    const bad = await call('POST', `/api/machines/${ID}/tags`, { Value: 'x', Action: 'Toggle' });
    expect([bad.statusCode, bad.json().error.code]).toEqual([400, 'InvalidRequestBody']);
  });

  it('should tag many machines at once, refuse more than 500, and change nothing when one is unknown', async () => {
    const other = (await call('GET', "/api/machines?$filter=computerDnsName eq 'other.contoso.com'")).json().value[0].id;
    const res = await call('POST', '/api/machines/AddOrRemoveTagForMultipleMachines', { Value: 'bulk', Action: 'Add', MachineIds: [ID, other] });
    expect(res.statusCode).toBe(200);
    expect(res.json().value.every((m: { machineTags: string[] }) => m.machineTags.includes('bulk'))).toBe(true);
    const tooMany = await call('POST', '/api/machines/AddOrRemoveTagForMultipleMachines', { Value: 'x', Action: 'Add', MachineIds: Array.from({ length: 501 }, (_, i) => `m${i}`) });
    expect([tooMany.statusCode, tooMany.json().error.code]).toEqual([400, 'MaximumBatchSizeExceeded']);
    const unknown = await call('POST', '/api/machines/AddOrRemoveTagForMultipleMachines', { Value: 'never', Action: 'Add', MachineIds: [ID, 'nope'] });
    expect(unknown.statusCode).toBe(404);
    expect((await call('GET', `/api/machines/${ID}`)).json().machineTags).not.toContain('never');
  });

  it('should PATCH tags and device value', async () => {
    const res = await call('PATCH', `/api/machines/${ID}`, { machineTags: ['a', 'b'], deviceValue: 'High' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ machineTags: ['a', 'b'], deviceValue: 'High' });
    const bad = await call('PATCH', `/api/machines/${ID}`, { deviceValue: 'Huge' });
    expect(bad.statusCode).toBe(400);
  });

  it('should find machines by tag, exact or by prefix, with or without a trailing slash', async () => {
    expect((await call('GET', '/api/machines/findbytag?tag=test tag 1')).json().value.map((m: { id: string }) => m.id)).toEqual([ID]);
    expect((await call('GET', '/api/machines/findbytag?tag=test&useStartsWithFilter=true')).json().value.map((m: { id: string }) => m.id)).toEqual([ID]);
    expect((await call('GET', '/api/machines/findbytag?tag=test')).json().value).toEqual([]);
    expect((await call('GET', '/api/machines/findByTag/?tag=prod')).json().value).toHaveLength(1);
  });

  it('should find machines by IP around a timestamp', async () => {
    const seen = (await call('GET', `/api/machines/${ID}`)).json().lastSeen as string;
    const res = await call('GET', `/api/machines/findbyip(ip='172.17.230.209',timestamp=${seen.slice(0, 19)}Z)`);
    expect(res.statusCode).toBe(200);
    expect(res.json().value.map((m: { id: string }) => m.id)).toEqual([ID]);
    const bad = await call('GET', "/api/machines/findbyip(ip='999.1.1.1',timestamp=2019-09-22T08:44:05Z)");
    expect([bad.statusCode, bad.json().error.code]).toEqual([400, 'InvalidIpAddress']);
  });
});

describe('machine names several machines share', () => {
  const NAME = 'reimaged.contoso.com';
  const isolate = (ref: string) => call('POST', `/api/machines/${ref}/isolate`, { Comment: 'contain', IsolationType: 'Full' });
  const actions = async () => (await call('GET', '/api/machineactions')).json().value as Array<{ machineId: string }>;

  it('should refuse an action by a name two live machines share, listing their ids and last-seen times, and create nothing', async () => {
    const a = await t.seedMachine({ computerDnsName: NAME, lastSeen: '2026-01-02T00:00:00.0000000Z' });
    const b = await t.seedMachine({ computerDnsName: 'Reimaged.Contoso.Com', lastSeen: '2026-01-01T00:00:00.0000000Z' });
    const res = await isolate(NAME);
    expect([res.statusCode, res.json().error.code]).toEqual([400, 'BadRequest']);
    expect(res.json().error.message).toBe(
      `Machine ${NAME} is ambiguous: it matches 2 machines; use a machine id: ` +
        `${a.id} (${NAME}, last seen 2026-01-02T00:00:00.0000000Z); ${b.id} (Reimaged.Contoso.Com, last seen 2026-01-01T00:00:00.0000000Z)`,
    );
    expect(await actions()).toEqual([]);
    const get = await call('GET', `/api/machines/${NAME}`);
    expect([get.statusCode, get.json().error.code]).toEqual([400, 'BadRequest']);
    // Either id still works.
    expect((await isolate(b.id)).statusCode).toBe(201);
  });

  it('should act on the live machine, not an offboarded record of the same name', async () => {
    const old = await t.seedMachine({ computerDnsName: NAME, onboardingStatus: 'Offboarded', healthStatus: 'Inactive', lastSeen: '2026-01-03T00:00:00.0000000Z' });
    const live = await t.seedMachine({ computerDnsName: NAME });
    const res = await isolate(NAME);
    expect([res.statusCode, res.json().machineId]).toEqual([201, live.id]);
    expect((await call('GET', `/api/machines/${NAME}`)).json().id).toBe(live.id);
    // The offboarded record is still reachable by its id (and refuses actions as before).
    const byId = await isolate(old.id);
    expect([byId.statusCode, byId.json().error.code]).toEqual([403, 'DisallowedOperation']);
  });
});

describe('permissions', () => {
  it('should answer 401 without a token and 403 naming the permissions without the right one', async () => {
    const none = await t.call({ method: 'GET', url: '/api/machines' });
    expect([none.statusCode, none.json().error.code]).toEqual([401, 'Unauthorized']);
    const readOnly = await t.token(['Machine.Read.All']);
    const res = await t.call({ method: 'POST', url: `/api/machines/${ID}/isolate`, payload: { Comment: 'c' }, token: readOnly });
    expect(res.statusCode).toBe(403);
    expect(res.json().error).toMatchObject({ code: 'Forbidden', message: expect.stringContaining('Machine.Isolate') });
    expect((await t.call({ method: 'GET', url: '/api/machineactions', token: readOnly })).json().value).toEqual([]);
  });

  it('should need both StopAndQuarantine and a read permission for StopAndQuarantineFile (I-6055)', async () => {
    const only = await t.token(['Machine.StopAndQuarantine']);
    const sha1 = 'a'.repeat(40);
    expect((await t.call({ method: 'POST', url: `/api/machines/${ID}/StopAndQuarantineFile`, payload: { Comment: 'c', Sha1: sha1 }, token: only })).statusCode).toBe(403);
    const both = await t.token(['Machine.StopAndQuarantine', 'Machine.Read.All']);
    expect((await t.call({ method: 'POST', url: `/api/machines/${ID}/StopAndQuarantineFile`, payload: { Comment: 'c', Sha1: sha1 }, token: both })).statusCode).toBe(201);
  });
});
