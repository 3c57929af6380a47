/**
 * getPackageUri, GetLiveResponseResultDownloadLink(index=N), the signed /downloads links, and the
 * agent file endpoints that feed them, over app.inject() with a signed test device.
 */
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { AGENT_FILE_HEADERS, agentLibraryPath, agentResultPath } from '@cordon/protocol';
import { ALL_ROLES, startTestApp, type TestApp } from './helpers.js';
import { addDevice, linkPath, multipart, sha256, type TestDevice } from './forensics-helpers.js';
import { CommandReports } from '@cordon/core';

const MACHINE_ID = 'c46b9bb259ed4a7fb9981b73510e3cc7aa81ec1f';
let t: TestApp;
let admin: string;
let device: TestDevice;

beforeEach(async () => {
  t = await startTestApp();
  admin = await t.token(ALL_ROLES);
  await t.seedMachine({ id: MACHINE_ID, computerDnsName: 'web-01' });
  device = await addDevice(t, MACHINE_ID);
});
afterEach(() => t.close());

const api = (method: 'GET' | 'POST', url: string, payload?: Record<string, unknown>, token = admin) => t.call({ method, url, token, ...(payload ? { payload } : {}) });

async function uploadResult(actionId: string, name: string, content: Buffer | string, options: { type?: string; claimed?: string; dev?: TestDevice; commandIndex?: number } = {}) {
  const path = agentResultPath(actionId, name);
  const claimed = options.claimed ?? sha256(content);
  return t.call({
    method: 'POST',
    url: path,
    payload: Buffer.from(content),
    headers: { ...(options.dev ?? device).headers('POST', path, claimed), 'content-type': 'application/octet-stream', [AGENT_FILE_HEADERS.contentSha256]: claimed, [AGENT_FILE_HEADERS.resultType]: options.type ?? 'application/zip',
      ...(options.commandIndex !== undefined ? { [AGENT_FILE_HEADERS.commandIndex]: String(options.commandIndex) } : {}),
    },
  });
}

async function blobRows(): Promise<number> {
  const r = await sql<{ n: number }>`select count(*) as n from blobs`.execute(t.store.db);
  return Number(r.rows[0]!.n);
}

/** A CollectInvestigationPackage that the device accepted (InProgress). */
async function runningPackage(): Promise<string> {
  const created = await api('POST', `/api/machines/${MACHINE_ID}/collectInvestigationPackage`, { Comment: 'collect' });
  expect(created.statusCode).toBe(201);
  const id = created.json().id as string;
  await t.actions.accept(t.tenantId, id, MACHINE_ID);
  return id;
}

describe('getPackageUri and the signed download link', () => {
  const zip = Buffer.from('PK\u0003\u0004 pretend zip');

  async function finishedPackage(): Promise<string> {
    const id = await runningPackage();
    const up = await uploadResult(id, 'InvestigationPackage.zip', zip);
    expect(up.statusCode).toBe(201);
    expect(up.json()).toEqual({ blobId: expect.stringMatching(/^[0-9a-f]{32}$/), size: zip.length, sha256: sha256(zip) });
    await t.actions.finish(t.tenantId, id, MACHINE_ID, { status: 'Succeeded', result: { ...up.json(), collectors: 12, failed: 0 } });
    return id;
  }

  it('should build the link from the configured public URL whatever Host the request names', async () => {
    const id = await finishedPackage();
    const res = await t.call({ method: 'GET', url: `/api/machineactions/${id}/getPackageUri`, token: admin, headers: { host: 'evil.example' } });
    expect(res.statusCode).toBe(200);
    expect(new URL(res.json().value).origin).toBe('http://cordon.test');
  });

  it('should answer 404 until the collection has succeeded', async () => {
    const created = await api('POST', `/api/machines/${MACHINE_ID}/collectInvestigationPackage`, { Comment: 'collect' });
    const res = await api('GET', `/api/machineactions/${created.json().id}/getPackageUri`);
    expect(res.statusCode).toBe(404);
    expect(res.json().error).toMatchObject({ code: 'ResourceNotFound', message: 'The investigation package is not available: action is Pending' });
  });

  it('should give an Edm.String link that downloads the package without Authorization', async () => {
    const id = await finishedPackage();
    const res = await api('GET', `/api/machineactions/${id}/getPackageUri`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ '@odata.context': 'http://localhost:80/api/$metadata#Edm.String', value: expect.stringMatching(/^http:\/\/cordon\.test\/downloads\/[0-9a-f]{32}\?se=\d+&fn=.+&sig=[0-9a-f]{64}$/) });
    const dl = await t.call({ method: 'GET', url: linkPath(res.json().value) });
    expect(dl.statusCode).toBe(200);
    expect(dl.rawPayload.equals(zip)).toBe(true);
    expect(dl.headers['content-type']).toBe('application/zip');
    expect(dl.headers['content-disposition']).toBe(`attachment; filename="InvestigationPackage_web-01_${id}.zip"`);
  });

  it('should mint a new link on each call, each valid 30 minutes', async () => {
    const id = await finishedPackage();
    const first = (await api('GET', `/api/machineactions/${id}/getPackageUri`)).json().value as string;
    t.clock.advance(1000);
    const second = (await api('GET', `/api/machineactions/${id}/getPackageUri`)).json().value as string;
    expect(second).not.toBe(first);
    t.clock.advance(30 * 60_000 - 1000 - 1);
    expect((await t.call({ method: 'GET', url: linkPath(first) })).statusCode).toBe(200);
    t.clock.advance(1);
    const expired = await t.call({ method: 'GET', url: linkPath(first) });
    expect(expired.statusCode).toBe(403);
    expect(expired.json().error).toMatchObject({ code: 'Forbidden', message: 'The download link has expired; request a new one' });
    expect((await t.call({ method: 'GET', url: linkPath(second) })).statusCode).toBe(200);
  });

  it('should refuse any altered link with 403', async () => {
    const id = await finishedPackage();
    const url = new URL((await api('GET', `/api/machineactions/${id}/getPackageUri`)).json().value as string);
    const variants: URL[] = [];
    const alter = (f: (u: URL) => void) => {
      const u = new URL(url);
      f(u);
      variants.push(u);
    };
    const sig = url.searchParams.get('sig')!;
    alter((u) => u.searchParams.set('sig', (sig[0] === 'a' ? 'b' : 'a') + sig.slice(1)));
    alter((u) => u.searchParams.set('se', String(Number(url.searchParams.get('se')) + 3600)));
    alter((u) => u.searchParams.set('fn', 'other.zip'));
    alter((u) => (u.pathname = `/downloads/${'0'.repeat(32)}`));
    alter((u) => u.searchParams.delete('sig'));
    for (const u of variants) {
      const res = await t.call({ method: 'GET', url: `${u.pathname}${u.search}` });
      expect(res.statusCode, u.toString()).toBe(403);
      expect(res.json().error).toMatchObject({ code: 'Forbidden', message: 'The download link is not valid (altered or incomplete)' });
    }
  });

  it('should answer 404 for an action of another type or another tenant', async () => {
    const isolate = await api('POST', `/api/machines/${MACHINE_ID}/isolate`, { Comment: 'x' });
    const res = await api('GET', `/api/machineactions/${isolate.json().id}/getPackageUri`);
    expect(res.statusCode).toBe(404);
    expect(res.json().error.message).toBe(`Machine action ${isolate.json().id} is not a CollectInvestigationPackage action`);
    const id = await finishedPackage();
    const other = await t.token(ALL_ROLES, await t.newTenant());
    expect((await api('GET', `/api/machineactions/${id}/getPackageUri`, undefined, other)).statusCode).toBe(404);
  });

  it('should rate-limit getPackageUri at 2 calls per minute', async () => {
    const id = await finishedPackage();
    const codes = [];
    for (let i = 0; i < 3; i++) codes.push((await api('GET', `/api/machineactions/${id}/getPackageUri`)).statusCode);
    expect(codes).toEqual([200, 200, 429]);
  });
});

describe('agent result uploads', () => {
  it('should store nothing and answer 400 when the content does not match the declared sha256', async () => {
    const id = await runningPackage();
    const before = await blobRows();
    const res = await uploadResult(id, 'p.zip', 'actual bytes', { claimed: sha256('other bytes') });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'InvalidRequestBody', message: `The content's SHA-256 is ${sha256('actual bytes')}, not the declared ${sha256('other bytes')}; nothing was stored` });
    expect(await blobRows()).toBe(before);
  });

  it('should refuse a transcript over 10 MB with 413 before reading it', async () => {
    await t.store.library.create({ tenantId: t.tenantId, fileName: 's.sh', blobId: 'f'.repeat(32), size: 0, sha256: sha256(''), description: null, creationTime: 'x', lastUpdatedTime: 'x', createdBy: 'x', hasParameters: false, parametersDescription: null });
    const lr = await api('POST', `/api/machines/${MACHINE_ID}/runliveresponse`, { Commands: [{ type: 'RunScript', params: [{ key: 'ScriptName', value: 's.sh' }] }], Comment: 'c' });
    await t.actions.accept(t.tenantId, lr.json().id, MACHINE_ID);
    const res = await uploadResult(lr.json().id, 't.json', Buffer.alloc(10 * 1024 * 1024 + 1), { type: 'application/json', commandIndex: 0 });
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('PayloadTooLarge');
  });

  it('should stop a chunked upload (no content-length) at the cap and store nothing', async () => {
    await t.store.library.create({ tenantId: t.tenantId, fileName: 's.sh', blobId: 'f'.repeat(32), size: 0, sha256: sha256(''), description: null, creationTime: 'x', lastUpdatedTime: 'x', createdBy: 'x', hasParameters: false, parametersDescription: null });
    const lr = await api('POST', `/api/machines/${MACHINE_ID}/runliveresponse`, { Commands: [{ type: 'RunScript', params: [{ key: 'ScriptName', value: 's.sh' }] }], Comment: 'c' });
    await t.actions.accept(t.tenantId, lr.json().id, MACHINE_ID);
    const before = await blobRows();
    const path = agentResultPath(lr.json().id, 't.json');
    const chunk = Buffer.alloc(1024 * 1024, 0x20);
    const claimed = sha256('whatever');
    const res = await t.call({
      method: 'POST',
      url: path,
      payload: Readable.from((function* () { for (let i = 0; i < 11; i++) yield chunk; })()),
      headers: { ...device.headers('POST', path, claimed), 'content-type': 'application/octet-stream', [AGENT_FILE_HEADERS.contentSha256]: claimed, [AGENT_FILE_HEADERS.resultType]: 'application/json', [AGENT_FILE_HEADERS.commandIndex]: '0' },
    });
    expect(res.statusCode).toBe(413);
    expect(res.json().error.message).toBe('The result is larger than the 10485760-byte limit for this result; nothing was stored');
    expect(await blobRows()).toBe(before);
  });

  it("should refuse unsigned requests, another device's action and a finished action", async () => {
    const id = await runningPackage();
    const path = agentResultPath(id, 'p.zip');
    const unsigned = await t.call({ method: 'POST', url: path, payload: Buffer.from('x'), headers: { 'content-type': 'application/octet-stream', [AGENT_FILE_HEADERS.contentSha256]: sha256('x') } });
    expect(unsigned.statusCode).toBe(401);
    // The signature covers the declared hash: a different body hash in the header fails it.
    const forged = await t.call({ method: 'POST', url: path, payload: Buffer.from('x'), headers: { ...device.headers('POST', path, sha256('y')), 'content-type': 'application/octet-stream', [AGENT_FILE_HEADERS.contentSha256]: sha256('x') } });
    expect(forged.statusCode).toBe(401);
    const otherMachine = 'd'.repeat(40);
    await t.seedMachine({ id: otherMachine });
    const stranger = await addDevice(t, otherMachine);
    expect((await uploadResult(id, 'p.zip', 'x', { dev: stranger })).statusCode).toBe(404);
    await t.actions.finish(t.tenantId, id, MACHINE_ID, { status: 'Failed', errorMessage: 'x' });
    const late = await uploadResult(id, 'p.zip', 'x');
    expect(late.statusCode).toBe(400);
    expect(late.json().error.code).toBe('ActionAlreadyCompleted');
  });
});

describe('agent library downloads', () => {
  it("should stream a library file of the device's tenant with its sha256, and 404 otherwise", async () => {
    const { payload, headers } = await multipart({ File: { name: 'tool.sh', content: 'echo tool' } });
    await t.call({ method: 'POST', url: '/api/libraryfiles', payload, headers, token: admin });
    const path = agentLibraryPath('tool.sh');
    const res = await t.call({ method: 'GET', url: path, headers: device.headers('GET', path) });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('echo tool');
    expect(res.headers[AGENT_FILE_HEADERS.contentSha256]).toBe(sha256('echo tool'));
    const missing = agentLibraryPath('nope.sh');
    expect((await t.call({ method: 'GET', url: missing, headers: device.headers('GET', missing) })).statusCode).toBe(404);
    expect((await t.call({ method: 'GET', url: path })).statusCode).toBe(401);
    const otherTenant = await t.newTenant();
    await t.seedMachine({ id: 'e'.repeat(40), tenantId: otherTenant });
    const foreign = await addDevice(t, 'e'.repeat(40), otherTenant);
    expect((await t.call({ method: 'GET', url: path, headers: foreign.headers('GET', path) })).statusCode).toBe(404);
  });
});

describe('GetLiveResponseResultDownloadLink(index=N)', () => {
  const transcript = JSON.stringify({ script_name: 's.sh', exit_code: 0, script_output: 'hi\n', script_errors: '' });

  async function liveResponse(): Promise<string> {
    for (const name of ['tool.bin', 's.sh']) {
      const { payload, headers } = await multipart({ File: { name, content: name } });
      await t.call({ method: 'POST', url: '/api/libraryfiles', payload, headers, token: admin });
    }
    const commands = [
      { type: 'PutFile', params: [{ key: 'FileName', value: 'tool.bin' }] },
      { type: 'RunScript', params: [{ key: 'ScriptName', value: 's.sh' }, { key: 'Args', value: 'a b' }] },
      { type: 'GetFile', params: [{ key: 'Path', value: '/etc/hostname' }] },
    ];
    const created = await api('POST', `/api/machines/${MACHINE_ID}/runliveresponse`, { Commands: commands, Comment: 'lr' });
    const id = created.json().id as string;
    await t.actions.accept(t.tenantId, id, MACHINE_ID);
    const reports = new CommandReports(t.actions);
    const at = (s: number) => new Date(Date.UTC(2026, 10, 21, 10, 0, s)).toISOString();
    await reports.progress(t.tenantId, id, MACHINE_ID, { commandIndex: 0, commandStatus: 'Created', startTime: at(1), endTime: null, errors: [], result: null } as never);
    await reports.progress(t.tenantId, id, MACHINE_ID, { commandIndex: 0, commandStatus: 'Completed', startTime: at(1), endTime: at(2), errors: [], result: null } as never);
    const up = await uploadResult(id, 's.sh.transcript.json', transcript, { type: 'application/json', commandIndex: 1 });
    await Promise.all([
      reports.progress(t.tenantId, id, MACHINE_ID, { commandIndex: 1, commandStatus: 'Created', startTime: at(2), endTime: null, errors: [], result: null } as never),
      reports.progress(t.tenantId, id, MACHINE_ID, { commandIndex: 1, commandStatus: 'Completed', startTime: at(2), endTime: at(3), errors: [], result: { ...(up.json() as object), exitCode: 0 } } as never),
    ]);
    return id;
  }

  it('should fold command reports into commands[] and link the RunScript transcript', async () => {
    const id = await liveResponse();
    const action = (await api('GET', `/api/machineactions/${id}`)).json();
    expect(action.commands.map((c: { commandStatus: string }) => c.commandStatus)).toEqual(['Completed', 'Completed', 'Created']);
    expect(action.commands[1]).toMatchObject({ startTime: '2026-11-21T10:00:02.0000000Z', endTime: '2026-11-21T10:00:03.0000000Z', errors: [] });
    const res = await api('GET', `/api/machineactions/${id}/GetLiveResponseResultDownloadLink(index=1)`);
    expect(res.statusCode).toBe(200);
    expect(res.json()['@odata.context']).toBe('http://localhost:80/api/$metadata#Edm.String');
    const dl = await t.call({ method: 'GET', url: linkPath(res.json().value) });
    expect(dl.statusCode).toBe(200);
    expect(dl.json()).toEqual(JSON.parse(transcript));
    expect(dl.headers['content-disposition']).toBe(`attachment; filename="LiveResponse_${id}_1_s.sh.json"`);
    const lower = await api('GET', `/api/v1.0/machineactions/${id}/getliveresponseresultdownloadlink(index=1)`);
    expect(lower.statusCode).toBe(200);
  });

  it('should build the link from the configured public URL whatever Host the request names', async () => {
    const id = await liveResponse();
    const res = await t.call({ method: 'GET', url: `/api/machineactions/${id}/GetLiveResponseResultDownloadLink(index=1)`, token: admin, headers: { host: 'evil.example:8443' } });
    expect(res.statusCode).toBe(200);
    expect(new URL(res.json().value).origin).toBe('http://cordon.test');
  });

  it('should say why an index has no result', async () => {
    const id = await liveResponse();
    const cases: [string, number, string, string][] = [
      ['0', 404, 'ResourceNotFound', 'Command PutFile at index 0 produces no result'],
      ['2', 404, 'ResourceNotFound', 'Command GetFile at index 2 has no result: its status is Created (not completed yet)'],
      ['3', 400, 'InvalidInput', 'Invalid input index=3: the action has commands 0 to 2'],
      ['x', 400, 'InvalidInput', 'Invalid input index=x: the index is a command number (0, 1, ...)'],
    ];
    for (const [index, status, code, message] of cases) {
      const res = await api('GET', `/api/machineactions/${id}/GetLiveResponseResultDownloadLink(index=${index})`);
      expect(res.statusCode, index).toBe(status);
      expect(res.json().error).toMatchObject({ code, message });
    }
    expect((await api('GET', `/api/machineactions/${id}/SomethingElse(index=1)`)).statusCode).toBe(404);
  });

  it('should take the final command states from the finish when progress reports were lost', async () => {
    const id = await liveResponse();
    const file = 'hostname-bytes';
    const up = await uploadResult(id, 'hostname', file, { type: 'application/octet-stream', commandIndex: 2 });
    const reports = new CommandReports(t.actions);
    const final = {
      commands: [0, 1, 2].map((index) => ({ index, commandStatus: 'Completed', startTime: '2026-11-21T10:00:01.000Z', endTime: '2026-11-21T10:00:04.000Z', errors: [] })),
      results: [null, null, { ...up.json(), name: 'hostname', path: '/etc/hostname' }],
    };
    const result = await reports.beforeFinish(t.tenantId, id, MACHINE_ID, final);
    await t.actions.finish(t.tenantId, id, MACHINE_ID, { status: 'Succeeded', ...(result ? { result } : {}) });
    expect((await api('GET', `/api/machineactions/${id}`)).json().commands.map((c: { commandStatus: string }) => c.commandStatus)).toEqual(['Completed', 'Completed', 'Completed']);
    const res = await api('GET', `/api/machineactions/${id}/GetLiveResponseResultDownloadLink(index=2)`);
    expect(res.statusCode).toBe(200);
    const dl = await t.call({ method: 'GET', url: linkPath(res.json().value) });
    expect(dl.body).toBe(file);
    expect(dl.headers['content-disposition']).toBe('attachment; filename="hostname"');
    // The transcript reported earlier is still linked after the finish replaced `result`.
    expect((await api('GET', `/api/machineactions/${id}/GetLiveResponseResultDownloadLink(index=1)`)).statusCode).toBe(200);
  });
});
