/**
 * The seeds' example requests, replayed over a real port against a running server whose store holds
 * the documents' example data: every documented property comes back with the documented value.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '@cordon/store';
import { makeAction, makeMachine } from '@cordon/store/testing';
import { APP_PERMISSIONS } from '@cordon/protocol';
import type { ActionRecord } from '@cordon/core';
import { freePort } from '../../../e2e/support/cluster.js';
import { buildApp, createApplication, loadConfig, randomIds, systemClock, type CordonApp } from '@cordon/server';

const fixture = JSON.parse(readFileSync(new URL('./fixtures/seed-examples.json', import.meta.url), 'utf8'));
const TENANT = '5e3c2f0a-1b2c-4d5e-8f90-a1b2c3d4e5f6';

let store: Store;
let built: CordonApp;
let base: string;
let token: string;

beforeAll(async () => {
  store = await openStore({ sqlitePath: ':memory:' });
  await store.identity.createTenant({ id: TENANT, name: 'contoso', createdAt: '2018-12-01T00:00:00.0000000Z' });
  await store.machines.upsert(makeMachine({ tenantId: TENANT, ...fixture.machine }));
  for (const doc of fixture.actions) {
    const { lastUpdateTimeUtc, ...rest } = doc;
    await store.actions.create(makeAction({ tenantId: TENANT, ...rest, lastUpdateDateTimeUtc: lastUpdateTimeUtc, parameters: {} }));
  }
  // The live response example: a completed RunScript whose result blob is the documented transcript.
  const transcript = Buffer.from(JSON.stringify(fixture.liveResponseAction.transcript));
  const blob = await store.blobs.put((async function* () { yield transcript; })(), { tenantId: TENANT, name: 'transcript.json', contentType: 'application/json', maxBytes: 1 << 20 });
  if (!blob.ok) throw new Error('could not store the transcript blob');
  const live: ActionRecord = makeAction({
    tenantId: TENANT,
    id: fixture.liveResponseAction.id,
    type: 'LiveResponse',
    status: 'Succeeded',
    machineId: fixture.machine.id,
    computerDnsName: fixture.machine.computerDnsName,
    scope: null,
    creationDateTimeUtc: '2021-02-04T15:40:00.0000000Z',
    lastUpdateDateTimeUtc: '2021-02-04T15:43:50.0000000Z',
    commands: [{ index: 0, startTime: '2021-02-04T15:41:00.000Z', endTime: '2021-02-04T15:43:40.000Z', commandStatus: 'Completed', errors: [], command: { type: 'RunScript', params: [{ key: 'ScriptName', value: 'minidump.ps1' }] } }],
    result: { commandResults: [{ blobId: blob.blob.id, name: 'transcript.json', size: transcript.length, sha256: blob.blob.sha256, contentType: 'application/json' }] },
  });
  await store.actions.create(live);

  // Links are minted from the configured public URL, so the server must know its port before it listens.
  const port = await freePort();
  built = await buildApp({ config: loadConfig({ CORDON_PORT: String(port), CORDON_PUBLIC_URL: `http://127.0.0.1:${port}` }), store });
  base = await built.app.listen({ port, host: '127.0.0.1' });
  const app = await createApplication(store.identity, { tenantId: TENANT, name: 'seed replay', roles: [...APP_PERMISSIONS] }, { clock: systemClock, ids: randomIds });
  const res = await fetch(`${base}/${TENANT}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ resource: 'https://api.securitycenter.microsoft.com', client_id: app.clientId, client_secret: app.clientSecret, grant_type: 'client_credentials' }),
  });
  token = ((await res.json()) as { access_token: string }).access_token;
});

afterAll(async () => {
  await built?.app.close();
  await store?.close();
});

/** Sends one documented request line (`GET /api/...`) as a client would: spaces percent-encoded. */
async function replay(line: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const [method, path] = [line.slice(0, line.indexOf(' ')), line.slice(line.indexOf(' ') + 1)];
  const res = await fetch(`${base}${encodeURI(path)}`, { method, headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const documented = (id: string) => fixture.actions.find((a: { id: string }) => a.id === id);

describe('the seed documents, replayed', () => {
  it('001: lists MachineActions with every documented property', async () => {
    const { status, body } = await replay(fixture.requests[0].request);
    expect(status).toBe(200);
    expect(body['@odata.context']).toBe(`${base}/api/$metadata#MachineActions`);
    const value = body.value as Array<Record<string, unknown>>;
    for (const doc of fixture.actions) expect(value.find((a) => a.id === doc.id)).toMatchObject(doc);
  });

  it("001: filters by machineId with $top=2 and returns the latest two, newest first", async () => {
    const { status, body } = await replay(fixture.requests[1].request);
    expect(status).toBe(200);
    const value = body.value as Array<Record<string, unknown>>;
    // The live response action (2021) is the newest, then the documented package collection (12:43), not the scan (12:18).
    expect(value.map((a) => a.id)).toEqual([fixture.liveResponseAction.id, '69dc3630-1ccc-4342-acf3-35286eec741d']);
    expect(value[1]).toMatchObject(documented('69dc3630-1ccc-4342-acf3-35286eec741d'));
  });

  it('002: gets one MachineAction with the documented body, plus lastUpdateDateTimeUtc', async () => {
    const { status, body } = await replay(fixture.requests[2].request);
    expect(status).toBe(200);
    const doc = documented('2e9da30d-27f6-4208-81f2-9cd3d67893ba');
    expect(body).toMatchObject({ '@odata.context': `${base}/api/$metadata#MachineActions/$entity`, ...doc, lastUpdateDateTimeUtc: doc.lastUpdateTimeUtc });
  });

  it('004: returns a download link whose content, fetched without a token, is the documented transcript', async () => {
    const { status, body } = await replay(fixture.requests[3].request);
    expect(status).toBe(200);
    expect(Object.keys(body).sort()).toEqual(['@odata.context', 'value']);
    expect(body['@odata.context']).toBe(`${base}/api/$metadata#Edm.String`);
    const download = await fetch(String(body.value));
    expect(download.status).toBe(200);
    expect(await download.json()).toEqual(fixture.liveResponseAction.transcript);
  });
});
