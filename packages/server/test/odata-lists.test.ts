import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ALL_ROLES, startTestApp, type TestApp } from './helpers.js';

let t: TestApp;
let admin: string;
let machineIds: string[];

beforeEach(async () => {
  t = await startTestApp();
  admin = await t.token(ALL_ROLES);
  machineIds = [];
  for (let i = 0; i < 3; i++) machineIds.push((await t.seedMachine({ computerDnsName: `host-${i}.corp.example` })).id);
  // 3 machines × (isolate, scan) = 6 actions, one clock tick apart so the order is known.
  for (const id of machineIds) {
    await t.call({ method: 'POST', url: `/api/machines/${id}/isolate`, payload: { Comment: 'iso' }, token: admin });
    t.clock.advance(1000);
    await t.call({ method: 'POST', url: `/api/machines/${id}/runAntiVirusScan`, payload: { Comment: 'scan', ScanType: 'Quick' }, token: admin });
    t.clock.advance(1000);
  }
});
afterEach(() => t.close());

const list = async (query: string) => {
  const res = await t.call({ method: 'GET', url: `/api/machineactions${query}`, token: admin });
  return { status: res.statusCode, body: res.json() };
};

describe('GET /api/machineactions with OData', () => {
  it('should list newest first by default with the collection context', async () => {
    const { status, body } = await list('');
    expect(status).toBe(200);
    expect(body['@odata.context']).toBe('http://localhost:80/api/$metadata#MachineActions');
    expect(body.value.map((a: { type: string; machineId: string }) => `${a.type}@${machineIds.indexOf(a.machineId)}`)).toEqual([
      'RunAntiVirusScan@2', 'Isolate@2', 'RunAntiVirusScan@1', 'Isolate@1', 'RunAntiVirusScan@0', 'Isolate@0',
    ]);
    expect(body['@odata.nextLink']).toBeUndefined();
  });

  it("should filter by machineId with $top=2 (the docs' 'latest two' example)", async () => {
    const { body } = await list(`?$filter=machineId eq '${machineIds[1]}'&$top=2`);
    expect(body.value.map((a: { type: string }) => a.type)).toEqual(['RunAntiVirusScan', 'Isolate']);
    expect(body.value.every((a: { machineId: string }) => a.machineId === machineIds[1])).toBe(true);
  });

  it('should accept raw + and percent-encoded query strings alike', async () => {
    const raw = await list(`?$filter=type+eq+'Isolate'`);
    const encoded = await list(`?%24filter=type%20eq%20%27Isolate%27`);
    expect(raw.body.value).toHaveLength(3);
    expect(encoded.body.value).toEqual(raw.body.value);
  });

  it('should combine status, type, requestor and in() filters, with AND in capitals', async () => {
    const requestor = (await list('')).body.value[0].requestor as string;
    // The app's name holds '+', which a raw query string reads as a space: encode it as clients do.
    const filter = encodeURIComponent(`status in ('Pending','InProgress') AND type eq 'RunAntiVirusScan' and requestor eq '${requestor}'`);
    const { body } = await list(`?$filter=${filter}`);
    expect(body.value).toHaveLength(3);
    expect((await list(`?$filter=requestor eq 'someone else'`)).body.value).toEqual([]);
  });

  it('should filter on creationDateTimeUtc with an unquoted datetime', async () => {
    const { body } = await list('?$filter=creationDateTimeUtc ge 2026-11-21T10:00:03Z');
    expect(body.value).toHaveLength(3);
  });

  it('should page with $top/$skip and give @odata.nextLink while rows remain', async () => {
    const first = await list('?$top=4&$count=true');
    expect(first.body['@odata.count']).toBe(6);
    expect(first.body.value).toHaveLength(4);
    const next = new URL(first.body['@odata.nextLink']);
    expect(next.searchParams.get('$skip')).toBe('4');
    const second = await list(next.search);
    expect(second.body.value).toHaveLength(2);
    expect(second.body['@odata.nextLink']).toBeUndefined();
    const ids = [...first.body.value, ...second.body.value].map((a: { id: string }) => a.id);
    expect(new Set(ids).size).toBe(6);
  });

  it('should order by $orderby and project with $select', async () => {
    const { body } = await list('?$orderby=creationDateTimeUtc asc&$select=id,type&$top=2');
    expect(body.value.map((a: object) => Object.keys(a))).toEqual([['id', 'type'], ['id', 'type']]);
    expect(body.value[0].type).toBe('Isolate');
  });

  it('should answer 400 ODataError for $top over 10,000, bad syntax and unknown fields', async () => {
    for (const query of ['?$top=10001', "?$filter=status eq", "?$filter=nosuchfield eq 'x'", "?$filter=status eq 'NotAStatus'", '?$orderby=requestorComment']) {
      const { status, body } = await list(query);
      expect([query, status, body.error.code]).toEqual([query, 400, 'ODataError']);
    }
  });

  it('should treat injection payloads as data', async () => {
    const { status, body } = await list(`?$filter=requestor eq ''' or 1=1 --'`);
    expect(status).toBe(200);
    expect(body.value).toEqual([]);
  });
});
