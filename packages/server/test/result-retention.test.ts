/**
 * Which results a device may upload (only those its action's commands produce, one each), the
 * deletion of results an ended action does not reference, and retention — over app.inject() with a
 * signed test device, on both engines and both blob backends: SQLite with blobs as files, and
 * PostgreSQL with blobs as chunk rows (private schema, dropped after; fails if unreachable).
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { sql } from 'kysely';
import { AGENT_FILE_HEADERS, agentResultPath } from '@cordon/protocol';
import { ActionResultService } from '@cordon/core';
import { DbBlobStore, FsBlobStore, openStore, type Store } from '@cordon/store';
import { ALL_ROLES, startTestApp, type TestApp } from './helpers.js';
import { addDevice, linkPath, sha256, type TestDevice } from './forensics-helpers.js';
import { CommandReports } from '@cordon/core';

const PG_URL = process.env.CORDON_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const DAY = 86_400_000;

interface Engine {
  store: Store;
  /** Complete blobs in the backend, counted behind the BlobStore port. */
  blobCount(): Promise<number>;
  close(): Promise<void>;
}

const engines: Record<string, () => Promise<Engine>> = {
  'SQLite, blobs as files': async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cordon-retention-'));
    const store = await openStore({ sqlitePath: join(dir, 'cordon.db') });
    expect(store.blobs).toBeInstanceOf(FsBlobStore);
    return {
      store,
      blobCount: async () => (await readdir(join(dir, 'blobs'), { recursive: true }).catch(() => [])).filter((f) => f.endsWith('.json')).length,
      close: async () => {
        await store.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  },
  'PostgreSQL, blobs as chunk rows': async () => {
    const schema = `cordon_retention_${randomBytes(6).toString('hex')}`;
    let store: Store;
    try {
      store = await openStore({ url: PG_URL, pgSchema: schema });
    } catch (error) {
      throw new Error(`PostgreSQL not reachable at ${PG_URL}: set CORDON_TEST_PG_URL`, { cause: error });
    }
    expect(store.blobs).toBeInstanceOf(DbBlobStore);
    return {
      store,
      blobCount: async () => Number((await sql<{ n: string }>`select count(*) as n from blobs where state = 'ready'`.execute(store.db)).rows[0]!.n),
      close: async () => {
        await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(store.db);
        await store.close();
      },
    };
  },
};

describe.each(Object.keys(engines))('result uploads and retention on %s', (engineName) => {
  let engine: Engine;
  let t: TestApp;
  let machineId: string;
  let device: TestDevice;

  beforeAll(async () => {
    engine = await engines[engineName]!();
  });
  afterAll(() => engine?.close());

  const start = async (env: Record<string, string> = {}) => {
    t = await startTestApp({ store: engine.store, env });
    machineId = randomBytes(20).toString('hex');
    await t.seedMachine({ id: machineId, computerDnsName: 'web-01' });
    device = await addDevice(t, machineId);
  };
  beforeEach(() => start());
  afterEach(() => t.close());

  const api = async (method: 'GET' | 'POST', url: string, payload?: Record<string, unknown>) =>
    t.call({ method, url, token: await t.token(ALL_ROLES, t.tenantId, { fresh: true }), ...(payload ? { payload } : {}) });

  const upload = (actionId: string, content: Buffer | string, options: { type: string; commandIndex?: string }) => {
    const path = agentResultPath(actionId, 'result');
    const claimed = sha256(content);
    return t.call({
      method: 'POST',
      url: path,
      payload: Buffer.from(content),
      headers: {
        ...device.headers('POST', path, claimed),
        'content-type': 'application/octet-stream',
        [AGENT_FILE_HEADERS.contentSha256]: claimed,
        [AGENT_FILE_HEADERS.resultType]: options.type,
        ...(options.commandIndex !== undefined ? { [AGENT_FILE_HEADERS.commandIndex]: options.commandIndex } : {}),
      },
    });
  };

  const runningPackage = async (): Promise<string> => {
    const created = await api('POST', `/api/machines/${machineId}/collectInvestigationPackage`, { Comment: 'collect' });
    expect(created.statusCode).toBe(201);
    await t.actions.accept(t.tenantId, created.json().id, machineId);
    return created.json().id as string;
  };

  /** RunScript s.sh (index 0), then GetFile /etc/hostname (index 1), accepted by the device. */
  const runningLiveResponse = async (): Promise<string> => {
    await t.store.library.create({ tenantId: t.tenantId, fileName: 's.sh', blobId: 'f'.repeat(32), size: 0, sha256: sha256(''), description: null, creationTime: 'x', lastUpdatedTime: 'x', createdBy: 'x', hasParameters: false, parametersDescription: null });
    const commands = [
      { type: 'RunScript', params: [{ key: 'ScriptName', value: 's.sh' }] },
      { type: 'GetFile', params: [{ key: 'Path', value: '/etc/hostname' }] },
    ];
    const created = await api('POST', `/api/machines/${machineId}/runliveresponse`, { Commands: commands, Comment: 'lr' });
    expect(created.statusCode, created.body).toBe(201);
    await t.actions.accept(t.tenantId, created.json().id, machineId);
    return created.json().id as string;
  };

  const finishedPackage = async (): Promise<{ id: string; blobId: string }> => {
    const id = await runningPackage();
    const up = await upload(id, 'PK\u0003\u0004 zip', { type: 'application/zip' });
    expect(up.statusCode).toBe(201);
    await t.actions.finish(t.tenantId, id, machineId, { status: 'Succeeded', result: up.json() });
    return { id, blobId: up.json().blobId };
  };

  it('should take one package per collection and refuse the other 29 uploads before storing them', async () => {
    const id = await runningPackage();
    const before = await engine.blobCount();
    const answers = [];
    for (let i = 0; i < 30; i++) answers.push(await upload(id, randomBytes(1024 * 1024), { type: 'application/zip' }));
    expect(answers.map((a) => a.statusCode)).toEqual([201, ...Array<number>(29).fill(400)]);
    expect(answers[1]!.json().error).toMatchObject({ code: 'BadRequest', message: `Action ${id} already has a result for the investigation package; it takes one` });
    expect(await engine.blobCount()).toBe(before + 1);
    const indexed = await upload(id, 'x', { type: 'application/zip', commandIndex: '0' });
    expect(indexed.statusCode).toBe(400);
    expect(indexed.json().error.message).toBe(`Action ${id} is a CollectInvestigationPackage: its one result, the package, has no command index`);
  });

  it('should refuse live response results no command produces, and a second one for a command', async () => {
    const id = await runningLiveResponse();
    const before = await engine.blobCount();
    const refusals: [string | undefined, string, string][] = [
      [undefined, 'application/json', 'A live response result must name the command it belongs to (its command index)'],
      ['2', 'application/octet-stream', `Action ${id} has commands 0 to 1; 2 is not one of them`],
      ['0', 'application/octet-stream', 'The result for command 0 (RunScript) must be application/json, not application/octet-stream'],
    ];
    for (const [commandIndex, type, message] of refusals) {
      const res = await upload(id, 'x', { type, ...(commandIndex !== undefined ? { commandIndex } : {}) });
      expect(res.statusCode, message).toBe(400);
      expect(res.json().error).toMatchObject({ code: 'BadRequest', message });
    }
    expect(await engine.blobCount()).toBe(before);
    expect((await upload(id, 'file', { type: 'application/octet-stream', commandIndex: '1' })).statusCode).toBe(201);
    const again = await upload(id, 'file', { type: 'application/octet-stream', commandIndex: '1' });
    expect(again.statusCode).toBe(400);
    expect(again.json().error.message).toBe(`Action ${id} already has a result for command 1 (GetFile); it takes one`);
    expect(await engine.blobCount()).toBe(before + 1);
    const isolate = await api('POST', `/api/machines/${machineId}/isolate`, { Comment: 'x' });
    await t.actions.accept(t.tenantId, isolate.json().id, machineId);
    const none = await upload(isolate.json().id, 'x', { type: 'application/zip' });
    expect(none.json().error).toMatchObject({ code: 'BadRequest', message: 'Isolate actions produce no result files' });
  });

  it('should take a result again after an upload that failed its checksum stored nothing', async () => {
    const id = await runningPackage();
    const path = agentResultPath(id, 'result');
    const claimed = sha256('other');
    const bad = await t.call({
      method: 'POST',
      url: path,
      payload: Buffer.from('actual'),
      headers: { ...device.headers('POST', path, claimed), 'content-type': 'application/octet-stream', [AGENT_FILE_HEADERS.contentSha256]: claimed, [AGENT_FILE_HEADERS.resultType]: 'application/zip' },
    });
    expect(bad.json().error.code).toBe('InvalidRequestBody');
    expect((await upload(id, 'actual', { type: 'application/zip' })).statusCode).toBe(201);
  });

  it('should delete, when the action ends, the results it does not reference and keep the rest', async () => {
    const id = await runningLiveResponse();
    const transcript = await upload(id, JSON.stringify({ exit_code: 0 }), { type: 'application/json', commandIndex: '0' });
    const file = await upload(id, 'hostname', { type: 'application/octet-stream', commandIndex: '1' });
    const reports = new CommandReports(t.actions);
    const final = {
      commands: [
        { index: 0, commandStatus: 'Completed', startTime: '2026-11-21T10:00:01.000Z', endTime: '2026-11-21T10:00:02.000Z', errors: [] },
        { index: 1, commandStatus: 'Failed', startTime: '2026-11-21T10:00:02.000Z', endTime: '2026-11-21T10:00:03.000Z', errors: ['could not upload'] },
      ],
      // The file's upload succeeded but the device reported the command failed: never referenced.
      results: [transcript.json(), null],
    };
    const result = await reports.beforeFinish(t.tenantId, id, machineId, final);
    await t.actions.finish(t.tenantId, id, machineId, { status: 'Failed', errorMessage: 'Command 1 (GetFile) failed', ...(result ? { result } : {}) });
    await vi.waitFor(async () => expect(await t.store.blobs.stat(file.json().blobId)).toBeUndefined());
    expect(await t.store.blobs.stat(transcript.json().blobId)).toMatchObject({ size: transcript.json().size });
    expect((await api('GET', `/api/machineactions/${id}/GetLiveResponseResultDownloadLink(index=0)`)).statusCode).toBe(200);
    expect((await t.store.results.listForAction(t.tenantId, id)).map((r) => [r.slot, r.blobId])).toEqual([['command-0', transcript.json().blobId]]);
  });

  it('should delete the package of a collection that did not succeed', async () => {
    const id = await runningPackage();
    const up = await upload(id, 'PK zip', { type: 'application/zip' });
    await t.actions.cancel(t.tenantId, id, 'analyst', 'stop');
    await vi.waitFor(async () => expect(await t.store.blobs.stat(up.json().blobId)).toBeUndefined());
  });

  it('should settle in the retention sweep an ended action whose results were not (its process stopped first)', async () => {
    const id = await runningPackage();
    const up = await upload(id, 'PK zip', { type: 'application/zip' });
    // Straight in the store: no event, as when the process that ended it died at once.
    expect(await t.store.actions.transition(t.tenantId, id, ['InProgress'], { status: 'Failed' })).toBeDefined();
    expect(await t.store.blobs.stat(up.json().blobId)).toBeDefined();
    expect(await t.results.sweep()).toMatchObject({ orphansDeleted: 1 });
    expect(await t.store.blobs.stat(up.json().blobId)).toBeUndefined();
  });

  it('should delete results after 180 days, keep the action, and answer the link endpoints 404 saying why', async () => {
    const pkg = await finishedPackage();
    const lr = await runningLiveResponse();
    const transcript = await upload(lr, '{"exit_code":0}', { type: 'application/json', commandIndex: '0' });
    const final = { commands: [{ index: 0, commandStatus: 'Completed', startTime: '2026-11-21T10:00:01.000Z', endTime: '2026-11-21T10:00:02.000Z', errors: [] }], results: [transcript.json(), null] };
    const result = await new CommandReports(t.actions).beforeFinish(t.tenantId, lr, machineId, final);
    await t.actions.finish(t.tenantId, lr, machineId, { status: 'Failed', errorMessage: 'Command 1 (GetFile) failed', ...(result ? { result } : {}) });
    expect((await api('GET', `/api/machineactions/${lr}/GetLiveResponseResultDownloadLink(index=0)`)).statusCode).toBe(200);

    t.clock.advance(180 * DAY - 1);
    expect(await t.results.sweep()).toEqual({ orphansDeleted: 0, expired: 0 });
    expect((await api('GET', `/api/machineactions/${pkg.id}/getPackageUri`)).statusCode).toBe(200);

    t.clock.advance(2);
    // Earlier tests' results in this store are as old as these: all of them are due.
    const due = await t.store.results.listExpiring(new Date(t.clock.now() - 180 * DAY).toISOString().replace('Z', '0000Z'), 10_000);
    expect(due.map((r) => r.blobId)).toEqual(expect.arrayContaining([pkg.blobId, transcript.json().blobId]));
    // Two server processes sweeping at once: each result is deleted, and counted, once.
    const other = new ActionResultService({ results: t.store.results, blobs: t.store.blobs, actions: t.store.actions, clock: t.clock });
    const [a, b] = await Promise.all([t.results.sweep(), other.sweep()]);
    expect(a.expired + b.expired).toBe(due.length);
    expect(await t.store.blobs.stat(pkg.blobId)).toBeUndefined();
    expect(await t.store.blobs.stat(transcript.json().blobId)).toBeUndefined();

    const expiredAt = (await t.store.results.findByBlob(t.tenantId, pkg.blobId))!.expiredAt!;
    const gone = await api('GET', `/api/machineactions/${pkg.id}/getPackageUri`);
    expect(gone.statusCode).toBe(404);
    expect(gone.json().error).toMatchObject({ code: 'ResourceNotFound', message: `The result was deleted on ${expiredAt}: results are kept 180 days after they are uploaded` });
    const goneLr = await api('GET', `/api/machineactions/${lr}/GetLiveResponseResultDownloadLink(index=0)`);
    expect(goneLr.statusCode).toBe(404);
    expect(goneLr.json().error.message).toMatch(/^The result was deleted on .+: results are kept 180 days after they are uploaded$/);
    const action = await api('GET', `/api/machineactions/${pkg.id}`);
    expect(action.statusCode).toBe(200);
    expect(action.json()).toMatchObject({ id: pkg.id, status: 'Succeeded' });
    expect(await t.results.sweep()).toEqual({ orphansDeleted: 0, expired: 0 });
  });

  it('should keep results as many days as CORDON_RESULT_RETENTION_DAYS says', async () => {
    await t.close();
    await start({ CORDON_RESULT_RETENTION_DAYS: '30' });
    const pkg = await finishedPackage();
    const url = (await api('GET', `/api/machineactions/${pkg.id}/getPackageUri`)).json().value as string;
    t.clock.advance(30 * DAY - 1);
    await t.results.sweep();
    expect(await t.store.blobs.stat(pkg.blobId)).toBeDefined();
    t.clock.advance(2);
    expect((await t.results.sweep()).expired).toBeGreaterThanOrEqual(1);
    expect(await t.store.blobs.stat(pkg.blobId)).toBeUndefined();
    const gone = await api('GET', `/api/machineactions/${pkg.id}/getPackageUri`);
    expect(gone.json().error.message).toMatch(/results are kept 30 days after they are uploaded$/);
    // A link minted before finds nothing either (it has expired too, which is checked first).
    expect((await t.call({ method: 'GET', url: linkPath(url) })).statusCode).toBe(403);
  });
});
