import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ALL_ROLES, MDE_TIMESTAMP, startTestApp, type TestApp } from './helpers.js';

const MACHINE_ID = 'f46b9bb259ed4a7fb9981b73510e3cc7aa81ec1f';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The documented property order of a MachineAction (mde-api.md §4.1), then Cordon extensions. */
const ACTION_KEYS = [
  '@odata.context', 'id', 'type', 'title', 'requestor', 'requestorComment', 'status', 'machineId', 'computerDnsName',
  'creationDateTimeUtc', 'lastUpdateDateTimeUtc', 'lastUpdateTimeUtc', 'cancellationRequestor', 'cancellationComment',
  'cancellationDateTimeUtc', 'errorHResult', 'scope', 'externalId', 'requestSource', 'relatedFileInfo', 'commands',
  'troubleshootInfo', 'expirationDateTimeUtc', 'errorMessage', 'result',
];

let t: TestApp;
let admin: string;

beforeEach(async () => {
  t = await startTestApp();
  admin = await t.token(ALL_ROLES);
  await t.seedMachine({ id: MACHINE_ID, computerDnsName: 'desktop-39g9tgl', aadDeviceId: '80fe8ff8-2624-418e-9591-41f0491218f9' });
});
afterEach(() => t.close());

const post = (path: string, body: unknown, token = admin) =>
  t.call({ method: 'POST', url: path, payload: body as Record<string, unknown>, token });
const get = (path: string, token = admin) => t.call({ method: 'GET', url: path, token });

describe('POST /api/machines/{id}/isolate', () => {
  it('should create a Pending Isolate action with the exact MDE entity shape', async () => {
    const res = await post(`/api/machines/${MACHINE_ID}/isolate`, { Comment: 'Isolate machine due to alert 1234', IsolationType: 'Full' });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(Object.keys(body)).toEqual(ACTION_KEYS);
    expect(body).toEqual({
      '@odata.context': 'http://localhost:80/api/$metadata#MachineActions/$entity',
      id: expect.stringMatching(GUID),
      type: 'Isolate',
      title: null,
      requestor: 'app ' + ALL_ROLES.join('+'),
      requestorComment: 'Isolate machine due to alert 1234',
      status: 'Pending',
      machineId: MACHINE_ID,
      computerDnsName: 'desktop-39g9tgl',
      creationDateTimeUtc: '2026-11-21T10:00:00.0000000Z',
      lastUpdateDateTimeUtc: '2026-11-21T10:00:00.0000000Z',
      lastUpdateTimeUtc: '2026-11-21T10:00:00.0000000Z',
      cancellationRequestor: null,
      cancellationComment: null,
      cancellationDateTimeUtc: null,
      errorHResult: 0,
      scope: 'Full',
      externalId: null,
      requestSource: 'PublicApi',
      relatedFileInfo: null,
      commands: [],
      troubleshootInfo: null,
      expirationDateTimeUtc: '2026-11-24T10:00:00.0000000Z',
      errorMessage: null,
      result: null,
    });
    expect(body.creationDateTimeUtc).toMatch(MDE_TIMESTAMP);
  });

  it('should default IsolationType to Full and keep Selective as the scope', async () => {
    expect((await post(`/api/machines/${MACHINE_ID}/isolate`, { Comment: 'c' })).json().scope).toBe('Full');
    const other = await t.seedMachine({ computerDnsName: 'other' });
    expect((await post(`/api/machines/${other.id}/isolate`, { Comment: 'c', IsolationType: 'Selective' })).json().scope).toBe('Selective');
  });

  it('should refuse a second isolate while one is pending with ActiveRequestAlreadyExists', async () => {
    expect((await post(`/api/machines/${MACHINE_ID}/isolate`, { Comment: 'first' })).statusCode).toBe(201);
    const res = await post(`/api/machines/${MACHINE_ID}/isolate`, { Comment: 'second' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: { code: 'ActiveRequestAlreadyExists', message: 'Action is already in progress', target: expect.any(String) } });
    const list = (await get('/api/machineactions')).json();
    expect(list.value).toHaveLength(1);
  });

  it('should match path segments case-insensitively under /api and /api/v1.0', async () => {
    expect((await post(`/API/Machines/${MACHINE_ID}/ISOLATE`, { Comment: 'c' })).statusCode).toBe(201);
    expect((await post(`/api/v1.0/machines/${MACHINE_ID}/runAntivirusScan`, { Comment: 'c', ScanType: 'Quick' })).statusCode).toBe(201);
    expect((await post(`/api/machines/${MACHINE_ID}/stopAndQuarantineFile`, { Comment: 'c', Sha1: 'a'.repeat(40) })).statusCode).toBe(201);
  });

  it('should accept the machine by computer name and by aadDeviceId', async () => {
    expect((await post('/api/machines/desktop-39g9tgl/isolate', { Comment: 'c' })).json().machineId).toBe(MACHINE_ID);
    expect((await post('/api/machines/80fe8ff8-2624-418e-9591-41f0491218f9/restrictCodeExecution', { Comment: 'c' })).json().machineId).toBe(MACHINE_ID);
  });

  it('should answer 404 ResourceNotFound for an unknown machine and store nothing', async () => {
    const res = await post('/api/machines/0000000000000000000000000000000000000000/isolate', { Comment: 'c' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('ResourceNotFound');
    expect((await get('/api/machineactions')).json().value).toEqual([]);
  });

  it('should refuse UnManagedDevice isolation of a managed device', async () => {
    const res = await post(`/api/machines/${MACHINE_ID}/isolate`, { Comment: 'c', IsolationType: 'UnManagedDevice' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('InvalidRequestBody');
  });
});

describe('bad action bodies', () => {
  const cases: Array<[string, string, unknown, string[]]> = [
    ['missing Comment', 'isolate', {}, ['MissingRequiredParameter']],
    ['wrong-case comment', 'isolate', { comment: 'x' }, ['MissingRequiredParameter', 'InvalidRequestBody']],
    ['wrong-case isolationType', 'isolate', { Comment: 'x', isolationType: 'Selective' }, ['InvalidRequestBody']],
    ['unknown IsolationType', 'isolate', { Comment: 'x', IsolationType: 'Partial' }, ['InvalidRequestBody']],
    ['Comment of the wrong type', 'unisolate', { Comment: 42 }, ['InvalidRequestBody']],
    ['missing ScanType', 'runAntiVirusScan', { Comment: 'x' }, ['MissingRequiredParameter']],
    ['unknown ScanType', 'runAntiVirusScan', { Comment: 'x', ScanType: 'Deep' }, ['InvalidRequestBody']],
    ['malformed Sha1', 'StopAndQuarantineFile', { Comment: 'x', Sha1: 'xyz' }, ['InvalidHashValue']],
    ['missing Sha1', 'StopAndQuarantineFile', { Comment: 'x' }, ['MissingRequiredParameter']],
    ['array body', 'offboard', [], ['InvalidRequestBody']],
  ];
  for (const [name, segment, body, codes] of cases) {
    it(`should answer 400 for ${name} and store nothing`, async () => {
      const res = await post(`/api/machines/${MACHINE_ID}/${segment}`, body);
      expect(res.statusCode).toBe(400);
      expect(codes).toContain(res.json().error.code);
      expect(res.json().error.target).toBe(res.headers['request-id']);
      expect((await get('/api/machineactions')).json().value).toEqual([]);
    });
  }

  it('should answer 400 InvalidRequestBody for malformed JSON', async () => {
    const res = await t.call({ method: 'POST', url: `/api/machines/${MACHINE_ID}/isolate`, payload: '{"Comment": ', headers: { 'content-type': 'application/json' }, token: admin });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('InvalidRequestBody');
  });
});

describe('the other response actions', () => {
  it('should answer offboard with 200 (mde-api.md §4.5)', async () => {
    const res = await post(`/api/machines/${MACHINE_ID}/offboard`, { Comment: 'bye' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ type: 'Offboard', status: 'Pending' });
  });

  it('should carry the hash in relatedFileInfo for StopAndQuarantineFile', async () => {
    const sha1 = '87662bc3d60e4200ceaf7aae249d1c343f4b83c9';
    const res = await post(`/api/machines/${MACHINE_ID}/StopAndQuarantineFile`, { Comment: 'stop', Sha1: sha1 });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ type: 'StopAndQuarantineFile', relatedFileInfo: { fileIdentifier: sha1, fileIdentifierType: 'Sha1' } });
  });

  it('should create every documented action type', async () => {
    const bodies: Array<[string, Record<string, unknown>, string, string | null]> = [
      ['unisolate', { Comment: 'c' }, 'Unisolate', null],
      ['restrictCodeExecution', { Comment: 'c' }, 'RestrictCodeExecution', null],
      ['unrestrictCodeExecution', { Comment: 'c' }, 'UnrestrictCodeExecution', null],
      ['runAntiVirusScan', { Comment: 'c', ScanType: 'Full' }, 'RunAntiVirusScan', 'Full'],
      ['collectInvestigationPackage', { Comment: 'c' }, 'CollectInvestigationPackage', null],
    ];
    for (const [segment, body, type, scope] of bodies) {
      const res = await post(`/api/machines/${MACHINE_ID}/${segment}`, body);
      expect([res.statusCode, res.json().type, res.json().scope]).toEqual([201, type, scope]);
    }
  });
});

describe('GET /api/machineactions/{id}', () => {
  it('should return the action with the $entity context', async () => {
    const created = (await post(`/api/machines/${MACHINE_ID}/isolate`, { Comment: 'c' })).json();
    const res = await get(`/api/machineactions/${created.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual(created);
  });

  it('should answer 404 ResourceNotFound for an unknown id and 400 InvalidInput for a non-GUID', async () => {
    const missing = await get('/api/machineactions/2e9da30d-27f6-4208-81f2-9cd3d67893ba');
    expect([missing.statusCode, missing.json().error.code]).toEqual([404, 'ResourceNotFound']);
    const bad = await get('/api/machineactions/not-a-guid');
    expect([bad.statusCode, bad.json().error.code]).toEqual([400, 'InvalidInput']);
  });

  it("should never show another tenant's action", async () => {
    const created = (await post(`/api/machines/${MACHINE_ID}/isolate`, { Comment: 'c' })).json();
    const otherTenant = await t.newTenant();
    const otherToken = await t.token(ALL_ROLES, otherTenant);
    const res = await get(`/api/machineactions/${created.id}`, otherToken);
    expect(res.statusCode).toBe(404);
    expect(res.body).not.toContain(MACHINE_ID);
    expect((await get('/api/machineactions', otherToken)).json().value).toEqual([]);
    const cancel = await post(`/api/machineactions/${created.id}/cancel`, { Comment: 'x' }, otherToken);
    expect(cancel.statusCode).toBe(404);
    expect((await get(`/api/machineactions/${created.id}`)).json().status).toBe('Pending');
  });
});

describe('POST /api/machineactions/{id}/cancel', () => {
  it('should cancel a Pending action and record who and why', async () => {
    const created = (await post(`/api/machines/${MACHINE_ID}/isolate`, { Comment: 'c' })).json();
    t.clock.advance(1500);
    const res = await post(`/api/machineactions/${created.id}/cancel`, { Comment: 'wrong device' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      status: 'Cancelled',
      cancellationRequestor: created.requestor,
      cancellationComment: 'wrong device',
      cancellationDateTimeUtc: '2026-11-21T10:00:01.5000000Z',
      lastUpdateDateTimeUtc: '2026-11-21T10:00:01.5000000Z',
      lastUpdateTimeUtc: '2026-11-21T10:00:01.5000000Z',
    });
  });

  it('should refuse to cancel a finished action and leave it unchanged', async () => {
    const created = (await post(`/api/machines/${MACHINE_ID}/isolate`, { Comment: 'c' })).json();
    await post(`/api/machineactions/${created.id}/cancel`, { Comment: 'first' });
    const before = (await get(`/api/machineactions/${created.id}`)).json();
    const res = await post(`/api/machineactions/${created.id}/cancel`, { Comment: 'again' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('ActionAlreadyCompleted');
    expect(res.json().error.message).toContain('Cancelled');
    expect((await get(`/api/machineactions/${created.id}`)).json()).toEqual(before);
  });

  it('should answer 404 for an unknown action and require a Comment', async () => {
    expect((await post('/api/machineactions/2e9da30d-27f6-4208-81f2-9cd3d67893ba/cancel', { Comment: 'x' })).statusCode).toBe(404);
    const created = (await post(`/api/machines/${MACHINE_ID}/isolate`, { Comment: 'c' })).json();
    const res = await post(`/api/machineactions/${created.id}/cancel`, {});
    expect([res.statusCode, res.json().error.code]).toEqual([400, 'MissingRequiredParameter']);
  });

  it('should let a new action of the same type be created once the first is cancelled', async () => {
    const created = (await post(`/api/machines/${MACHINE_ID}/isolate`, { Comment: 'c' })).json();
    await post(`/api/machineactions/${created.id}/cancel`, { Comment: 'x' });
    expect((await post(`/api/machines/${MACHINE_ID}/isolate`, { Comment: 'again' })).statusCode).toBe(201);
  });
});

describe('action expiry', () => {
  it('should time out a Pending action after three days, once', async () => {
    const created = (await post(`/api/machines/${MACHINE_ID}/isolate`, { Comment: 'c' })).json();
    t.clock.advance(3 * 24 * 3600_000 - 1);
    expect(await t.actions.expireDue()).toEqual([]);
    t.clock.advance(1);
    const expired = await t.actions.expireDue();
    expect(expired.map((a) => a.id)).toEqual([created.id]);
    expect(await t.actions.expireDue()).toEqual([]);
    admin = await t.token(ALL_ROLES, undefined, { fresh: true }); // the first token expired meanwhile
    const after = (await get(`/api/machineactions/${created.id}`)).json();
    expect(after).toMatchObject({ status: 'TimeOut', lastUpdateDateTimeUtc: '2026-11-24T10:00:00.0000000Z' });
    expect((await post(`/api/machineactions/${created.id}/cancel`, { Comment: 'x' })).json().error.code).toBe('ActionAlreadyCompleted');
  });

  it('should honour a configured expiry', async () => {
    const short = await startTestApp({ env: { CORDON_ACTION_EXPIRY_SECONDS: '60' } });
    try {
      const token = await short.token(ALL_ROLES);
      const m = await short.seedMachine();
      const created = (await short.call({ method: 'POST', url: `/api/machines/${m.id}/isolate`, payload: { Comment: 'c' }, token })).json();
      expect(created.expirationDateTimeUtc).toBe('2026-11-21T10:01:00.0000000Z');
      short.clock.advance(60_000);
      expect((await short.actions.expireDue()).map((a) => a.id)).toEqual([created.id]);
    } finally {
      await short.close();
    }
  });
});
