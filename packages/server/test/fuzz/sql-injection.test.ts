/**
 * Known SQL-injection payloads through the HTTP API (the store has its own compiler-level test,
 * store/src/sql-injection.test.ts): inside `$filter` literals (properly escaped and raw), in
 * `$orderby`/`$select`, in path ids, in body fields, in the tag search. Each answers 400/404 or a
 * legitimate page holding only the caller's own rows; tenant B's rows and the schema survive.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SQL_INJECTION_PAYLOADS, startFuzzApp, type FuzzApp } from './fuzz-app.js';

let f: FuzzApp;
let otherRowsBefore: string;
beforeAll(async () => {
  f = await startFuzzApp();
  otherRowsBefore = await otherTenantRows();
});
afterAll(() => f.close());

async function otherTenantRows(): Promise<string> {
  const actions = await f.t.store.db.selectFrom('machine_actions').selectAll().where('tenant_id', '=', f.otherTenantId).orderBy('id').execute();
  const machines = await f.t.store.db.selectFrom('machines').selectAll().where('tenant_id', '=', f.otherTenantId).orderBy('id').execute();
  return JSON.stringify([actions, machines]);
}

const q = (s: string) => `'${s.replaceAll("'", "''")}'`;
const url = (path: string, params: Record<string, string>) => `${path}?${new URLSearchParams(params).toString()}`;

/** A 200 page holds only own rows; otherwise the answer is a catalog 400/404 (checked by send). */
async function expectSafe(u: string, options: { method?: 'GET' | 'POST' | 'PATCH'; payload?: Record<string, unknown> } = {}) {
  const res = await f.send({ method: options.method ?? 'GET', url: u, ...(options.payload ? { payload: options.payload } : {}) });
  if (res.statusCode >= 400) {
    expect([400, 404]).toContain(res.statusCode);
    return res;
  }
  const body = res.json() as { value?: { id: string }[]; id?: string; machineId?: string };
  const own = [...f.own.machineIds, ...f.own.actionIds];
  for (const row of body.value ?? []) expect(own).toContain(row.id);
  if (!body.value) expect(own).toContain(body.machineId ?? body.id);
  return res;
}

describe('SQL injection through the API', () => {
  it.each(SQL_INJECTION_PAYLOADS)('should treat %j in $filter literals as data', async (payload) => {
    for (const path of ['/api/machineactions', '/api/machines']) {
      for (const filter of [`computerDnsName eq ${q(payload)}`, `startswith(computerDnsName,${q(payload)})`, `contains(computerDnsName,${q(payload)}) or id eq ${q(payload)}`]) {
        const res = await expectSafe(url(path, { $filter: filter }));
        // No own row has these names, so a legitimate answer is an empty page.
        if (res.statusCode === 200) expect((res.json() as { value: unknown[] }).value).toEqual([]);
      }
      // Unescaped, the payload breaks out of the literal: the parser must refuse it, not run it.
      await expectSafe(url(path, { $filter: `computerDnsName eq '${payload}'` }));
      await expectSafe(url(path, { $orderby: payload }));
      await expectSafe(url(path, { $select: payload }));
      await expectSafe(url(path, { $top: payload, $skip: payload }));
    }
    await expectSafe(url('/api/machines', { $filter: `machineTags/any(t: t eq ${q(payload)})` }));
    await expectSafe(url('/api/machines/findbytag', { tag: payload, useStartsWithFilter: 'true' }));
  });

  it.each(SQL_INJECTION_PAYLOADS)('should treat %j in path ids and bodies as data', async (payload) => {
    const id = encodeURIComponent(payload.replace(/[\uD800-\uDFFF]/g, '?'));
    await expectSafe(`/api/machines/${id}`);
    await expectSafe(`/api/machineactions/${id}`);
    await expectSafe(`/api/machines/${id}/isolate`, { method: 'POST', payload: { Comment: payload } });
    await expectSafe(`/api/machineactions/${id}/cancel`, { method: 'POST', payload: { Comment: payload } });
    await expectSafe(`/api/machines/${id}/tags`, { method: 'POST', payload: { Value: payload, Action: 'Add' } });
    await expectSafe('/api/machines/AddOrRemoveTagForMultipleMachines', { method: 'POST', payload: { Value: 'x', Action: 'Add', MachineIds: [payload] } });
    await expectSafe(`/api/machines/${encodeURIComponent(`findbyip(ip='${payload}',timestamp=2020-01-01T00:00:00Z)`)}`);
  });

  it('should store a payload given as a comment verbatim, and read it back as data', async () => {
    const payload = "x'); DROP TABLE machine_actions; --";
    const machine = f.own.machineIds[2]!;
    const res = await f.send({ method: 'POST', url: `/api/machines/${machine}/restrictCodeExecution`, payload: { Comment: payload, ExternalId: "' OR 1=1 --" } });
    expect(res.statusCode).toBe(201);
    const id = (res.json() as { id: string }).id;
    const found = await f.send({ method: 'GET', url: url('/api/machineactions', { $filter: `externalId eq ${q("' OR 1=1 --")}` }) });
    expect((found.json() as { value: { id: string; requestorComment: string }[] }).value).toEqual([expect.objectContaining({ id, requestorComment: payload })]);
    f.own.actionIds.push(id);
  });

  it('should leave tenant B’s rows and the schema as they were', async () => {
    expect(await otherTenantRows()).toBe(otherRowsBefore);
    const tables = await f.t.store.db.selectFrom('sqlite_master' as never).select('name' as never).where('type' as never, '=', 'table' as never).execute();
    expect(tables.map((t) => (t as { name: string }).name)).toEqual(expect.arrayContaining(['machine_actions', 'machines', 'machine_tags', 'apps', 'tenants']));
  });
});
