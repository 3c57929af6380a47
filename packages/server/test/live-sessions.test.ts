/**
 * @extension Cordon: `/api/cordon/liveresponse/sessions…` with a real app and a fake device on the
 * long-poll agent channel (signed requests) that answers live/command itself and runs nothing:
 * open, refusals, commands streamed in order on the SSE stream, Last-Event-ID, permissions, the
 * recorded MachineAction, MDE's cancel, idle expiry and disconnects.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SignJWT, importJWK, type JWK } from 'jose';
import { AGENT_FILE_HEADERS, AGENT_METHODS, agentResultPath, canonicalLiveCommandText } from '@cordon/protocol';
import { KyselyUserStore } from '@cordon/store';
import { wireDispatch } from '@cordon/server';
import { publicKeyFromRaw, verifyText } from '../src/dispatch/ed25519.js';
import { startTestApp, type TestApp } from './helpers.js';
import { FakeDevice, shell } from './support/live-device.js';
import { addDevice, linkPath, sha256 } from './forensics-helpers.js';

const BASE = '/api/cordon/liveresponse/sessions';

let t: TestApp;
let dispatcher: Awaited<ReturnType<typeof wireDispatch>>;
let fake: FakeDevice;
let machineId: string;
let token: string;

beforeEach(async () => {
  t = await startTestApp();
  dispatcher = await wireDispatch({ built: t, store: t.store, clock: t.clock, heartbeatIntervalMs: 30_000, pollWaitMs: 50 });
  machineId = (await t.seedMachine({ capabilities: ['LiveConsole'] })).id;
  fake = new FakeDevice(t, await addDevice(t, machineId), shell);
  await fake.start();
  token = await t.token(['Machine.LiveResponse']);
});
afterEach(async () => {
  await fake.stop();
  // A test that listened: its event stream's fetch connection was aborted, but undici may keep the socket.
  t.app.server.closeAllConnections();
  await t.close();
});

const open = (body: unknown = { machineId }, bearer = token) => t.call({ method: 'POST', url: BASE, payload: body as object, token: bearer });
const run = (sessionId: string, commandLine: string, bearer = token) => t.call({ method: 'POST', url: `${BASE}/${sessionId}/commands`, payload: { commandLine }, token: bearer });
/** The whole stream of a closed session (the stream ends after the Closed event). */
const events = async (sessionId: string, lastEventId?: string) => {
  const res = await t.call({ method: 'GET', url: `${BASE}/${sessionId}/events`, token, headers: lastEventId ? { 'last-event-id': lastEventId } : {} });
  return parseSse(res.body);
};
const waitFor = async <T>(what: string, probe: () => Promise<T | undefined>): Promise<T> => {
  for (let i = 0; i < 400; i++) {
    const v = await probe();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
};
const commandStatus = (sessionId: string, id: number) => waitFor(`command ${id} to end`, async () => {
  const c = (await t.call({ method: 'GET', url: `${BASE}/${sessionId}/commands/${id}`, token })).json() as { status: string };
  return c.status === 'Running' ? undefined : c;
});

function parseSse(body: string): { id: number | undefined; event: string; data: Record<string, unknown> }[] {
  return body
    .split('\n\n')
    .filter((b) => b.includes('event: '))
    .map((block) => {
      const field = (name: string) => block.split('\n').find((l) => l.startsWith(`${name}: `))?.slice(name.length + 2);
      return { id: field('id') === undefined ? undefined : Number(field('id')), event: field('event')!, data: JSON.parse(field('data')!) as Record<string, unknown> };
    });
}

describe('live response console sessions', () => {
  it('should open a session once the device answered the signed probe cd /', async () => {
    const res = await open();
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ machineId, state: 'Active', currentDirectory: '/', openedBy: expect.any(String), closeReason: null });
    const [probe] = fake.commands();
    expect(probe).toMatchObject({ sessionId: res.json().id, commandId: 0, command: 'cd', argv: ['/'], cwd: '/', actionId: null, keyId: dispatcher.signer.keyId });
    const { signature, keyId: _k, ...fields } = probe!;
    expect(verifyText(publicKeyFromRaw(dispatcher.signer.publicKey), canonicalLiveCommandText(fields), signature)).toBe(true);
  });

  it('should refuse a second session on the device naming who holds it, and a bad body', async () => {
    const first = (await open()).json();
    const second = await open();
    expect(second.statusCode).toBe(400);
    expect(second.json().error).toMatchObject({ code: 'ActiveRequestAlreadyExists', message: expect.stringContaining(`open by ${first.openedBy} (session ${first.id}`) });
    const bad = await open({ MachineId: machineId });
    expect(bad.statusCode).toBe(400);
  });

  it('should fail fast with DeviceNotConnected for a device that is not connected', async () => {
    const offline = await t.seedMachine({ capabilities: ['LiveConsole'] });
    const res = await open({ machineId: offline.id });
    expect([res.statusCode, res.json().error.code]).toEqual([409, 'DeviceNotConnected']);
    expect((await t.call({ method: 'GET', url: `${BASE}?machineId=${offline.id}`, token })).json().value).toEqual([]);
  });

  it('should stream a command and its output in order, then replay it all and resume after Last-Event-ID', async () => {
    const s = (await open()).json();
    const created = await run(s.id, 'dir /etc');
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ id: 1, command: 'dir', commandLine: 'dir /etc', status: 'Running', background: false, outputFormat: 'table', machineActionId: null });
    expect(await commandStatus(s.id, 1)).toMatchObject({ status: 'Completed', exitCode: 0 });
    expect(fake.commands()[1]).toMatchObject({ commandId: 1, command: 'dir', argv: ['/etc'], cwd: '/' });
    const output = await t.call({ method: 'GET', url: `${BASE}/${s.id}/commands/1/output`, token });
    expect([output.headers['content-type'], output.body]).toEqual(['text/plain; charset=utf-8', 'hosts\npasswd\n']);
    expect((await t.call({ method: 'DELETE', url: `${BASE}/${s.id}`, token })).json()).toMatchObject({ state: 'Closed', closeReason: 'ClosedByUser' });
    const all = await events(s.id);
    expect(all.map((e) => [e.id, e.event])).toEqual([
      [1, 'session'],
      [2, 'command'],
      [3, 'output'],
      [4, 'output'],
      [5, 'data'],
      [6, 'command'],
      [7, 'session'],
    ]);
    expect(all.slice(2, 5).map((e) => e.data)).toEqual([{ commandId: 1, text: 'hosts\n' }, { commandId: 1, text: 'passwd\n' }, { commandId: 1, columns: ['name'], rows: [['hosts'], ['passwd']] }]);
    expect((await events(s.id, '4')).map((e) => e.id)).toEqual([5, 6, 7]);
    expect(fake.received.at(-1)).toEqual({ method: AGENT_METHODS.liveClose.method, params: { sessionId: s.id } });
    const transcript = await t.call({ method: 'GET', url: `${BASE}/${s.id}/transcript`, token });
    expect(transcript.body).toContain('> dir /etc\n    Completed, exit code 0');
    expect(transcript.body).toContain('hosts\npasswd\n');
  });

  it('should deliver events to a stream that is open while they happen', async () => {
    const s = (await open()).json();
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const controller = new AbortController();
    const res = await fetch(`${address}${BASE}/${s.id}/events`, { headers: { authorization: `Bearer ${token}`, 'last-event-id': '1' }, signal: controller.signal });
    const reader = res.body!.getReader();
    let text = '';
    await run(s.id, 'dir');
    await waitFor('the streamed output', async () => {
      const { value } = await reader.read();
      text += new TextDecoder().decode(value);
      return text.includes('event: command') && text.split('event: command').length === 3 ? true : undefined;
    });
    controller.abort();
    expect(parseSse(text).map((e) => e.event)).toEqual(['command', 'output', 'output', 'data', 'command']);
  });

  it('should refuse an unknown command with the parser message and create nothing', async () => {
    const s = (await open()).json();
    const res = await run(s.id, 'format c:');
    expect([res.statusCode, res.json().error.code, res.json().error.message]).toEqual([400, 'InvalidRequestBody', "Unknown command 'format'. Type help to list the commands"]);
    expect((await t.call({ method: 'GET', url: `${BASE}/${s.id}/commands`, token })).json().value).toEqual([]);
  });

  it('should refuse an advanced command to a person with the basic role, naming the role', async () => {
    const person = await personToken(['Machine.Read', 'Machine.LiveResponse']);
    const s = (await open({ machineId }, person)).json();
    const res = await run(s.id, 'kill 1', person);
    expect([res.statusCode, res.json().error.code, res.json().error.message]).toEqual([403, 'Forbidden', "'kill' needs the Live response advanced role"]);
    expect((await run(s.id, 'help', person)).statusCode).toBe(201);
  });

  it('should record getfile as a LiveResponse action finished from live/done, and cancel the command on MDE cancel', async () => {
    const s = (await open()).json();
    const getfile = (await run(s.id, 'getfile /etc/hosts')).json();
    const action = (await t.call({ method: 'GET', url: `/api/machineactions/${getfile.machineActionId}`, token: await t.token(['Machine.Read.All']) })).json();
    expect(action).toMatchObject({ type: 'LiveResponse', status: 'InProgress', requestSource: 'LiveResponseSession', machineId, commands: [{ command: { type: 'GetFile', params: [{ key: 'Path', value: '/etc/hosts' }] } }] });
    expect(fake.commands().at(-1)).toMatchObject({ command: 'getfile', actionId: getfile.machineActionId });
    // The file goes up through the result upload path, as command 0 of the action.
    const content = '127.0.0.1 localhost\n';
    const path = agentResultPath(getfile.machineActionId, 'hosts');
    const uploaded = await t.call({
      method: 'POST',
      url: path,
      payload: Buffer.from(content),
      headers: { ...fake.device.headers('POST', path, sha256(content)), 'content-type': 'application/octet-stream', [AGENT_FILE_HEADERS.contentSha256]: sha256(content), [AGENT_FILE_HEADERS.resultType]: 'application/octet-stream', [AGENT_FILE_HEADERS.commandIndex]: '0' },
    });
    expect(uploaded.statusCode).toBe(201);
    await fake.done({ sessionId: s.id, commandId: getfile.id, status: 'Completed', exitCode: 0, errors: [], cwd: '/', outputChunks: 0, resultFile: { name: 'hosts', size: content.length, sha256: sha256(content) } });
    const finished = (await t.call({ method: 'GET', url: `/api/machineactions/${getfile.machineActionId}`, token: await t.token(['Machine.Read.All']) })).json();
    expect(finished.status).toBe('Succeeded');
    const link = await t.call({ method: 'GET', url: `/api/machineactions/${getfile.machineActionId}/GetLiveResponseResultDownloadLink(index=0)`, token: await t.token(['Machine.Read.All']) });
    expect(link.statusCode).toBe(200);
    const download = await t.call({ method: 'GET', url: linkPath(link.json().value) });
    expect(download.body).toBe(content);
    expect((await t.call({ method: 'GET', url: `${BASE}/${s.id}/commands/${getfile.id}`, token })).json().resultFile).toEqual({ name: 'hosts', size: content.length, sha256: sha256(content) });

    const scan = (await run(s.id, 'scan /tmp &')).json();
    const cancel = await t.call({ method: 'POST', url: `/api/machineactions/${scan.machineActionId}/cancel`, payload: { Comment: 'stop' }, token: await t.token(['Machine.Scan']) });
    expect(cancel.json().status).toBe('Cancelled');
    expect(await commandStatus(s.id, scan.id)).toMatchObject({ status: 'Cancelled' });
    expect(fake.received.some((m) => m.method === AGENT_METHODS.liveCancel.method && (m.params as { commandId: number }).commandId === scan.id)).toBe(true);
  });

  it('should cancel a running command on request (live/cancel)', async () => {
    const s = (await open()).json();
    const find = (await run(s.id, 'findfile core &')).json();
    expect((await t.call({ method: 'POST', url: `${BASE}/${s.id}/commands/${find.id}/cancel`, token })).statusCode).toBe(200);
    expect(await commandStatus(s.id, find.id)).toMatchObject({ status: 'Cancelled' });
  });

  it('should close an idle session after 30 minutes', async () => {
    const s = (await open()).json();
    t.clock.advance(31 * 60_000);
    await t.services.liveSessions.expireIdle();
    expect((await t.call({ method: 'GET', url: `${BASE}/${s.id}`, token })).json()).toMatchObject({ state: 'Closed', closeReason: 'IdleTimeout' });
  });

  it('should close the session and fail its running commands when the device disconnects', async () => {
    const s = (await open()).json();
    const find = (await run(s.id, 'findfile core &')).json();
    dispatcher.hub.closeAll('test');
    expect(await commandStatus(s.id, find.id)).toMatchObject({ status: 'Failed', errors: ['The device disconnected'] });
    expect((await t.call({ method: 'GET', url: `${BASE}/${s.id}`, token })).json()).toMatchObject({ state: 'Closed', closeReason: 'DeviceDisconnected' });
  });

  it('should close a session the device no longer holds when it says hello again (its server was killed before the close was written)', async () => {
    const s = (await open()).json();
    const find = (await run(s.id, 'findfile core &')).json();
    // What a server killed mid-session leaves: the session Active in the database, the agent
    // reconnected (with no sessions) to a process that never saw the disconnect.
    const hello = await fake.rpc(AGENT_METHODS.hello.method, { protocolVersion: 1, computerDnsName: 'host', osPlatform: 'Linux', osVersion: null, osArchitecture: 'x64', version: null, agentVersion: '1.0.0', lastIpAddress: null, ipAddresses: [], capabilities: ['LiveConsole'] });
    expect(hello.error).toBeUndefined();
    expect((await t.call({ method: 'GET', url: `${BASE}/${s.id}`, token })).json()).toMatchObject({ state: 'Closed', closeReason: 'DeviceDisconnected' });
    expect(await commandStatus(s.id, find.id)).toMatchObject({ status: 'Failed' });
    expect((await open()).statusCode).toBe(201);
  });

  it('should need Machine.LiveResponse', async () => {
    const res = await t.call({ method: 'GET', url: BASE, token: await t.token(['Machine.Read.All']) });
    expect([res.statusCode, res.json().error.code]).toEqual([403, 'Forbidden']);
  });
});

/** A person's delegated token (scopes as their roles give them), signed with the server's key. */
async function personToken(scopes: string[]): Promise<string> {
  const key = await t.store.db.selectFrom('signing_keys').selectAll().where('alg', '=', 'RS256').executeTakeFirstOrThrow();
  await new KyselyUserStore(t.store.db).createUser({ id: 'user-1', tenantId: t.tenantId, name: 'ana@contoso.com', displayName: 'Ana', passwordHash: null, roles: [], disabled: false, createdAt: '2026-01-01T00:00:00.0000000Z' });
  const now = Math.floor(t.clock.now() / 1000);
  return new SignJWT({ aud: 'https://api.securitycenter.microsoft.com', iss: `http://cordon.test/sts/${t.tenantId}/`, iat: now, nbf: now, exp: now + 600, oid: 'user-1', sub: 'user-1', name: 'Ana', scp: scopes.join(' '), tid: t.tenantId, ver: '1.0' })
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: key.kid })
    .sign(await importJWK(JSON.parse(key.private_jwk) as JWK, 'RS256'));
}
