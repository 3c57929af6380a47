/**
 * Library, live response and results end to end: a real server process (self-signed TLS, SQLite, blobs on disk) and a real
 * agent process on the Linux platform (real collectors, real scripts), over real sockets.
 * Everything goes through the public API; downloads go through the signed links with no
 * Authorization header, as MDE clients do (client-wire-facts 7).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Api, freePort, killAll, runCordon, spawnCordon, waitFor, type Proc } from './support/cluster.js';

const LINK_TTL_SECONDS = 10;
const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

/** GET a URL with no Authorization header (self-signed server certificate accepted). */
function fetchLink(url: string): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { rejectUnauthorized: false, timeout: 30_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('forensics and live response end to end', () => {
  let dir: string;
  let server: Proc;
  let agent: Proc;
  let api: Api;
  let machineId: string;
  let baseUrl: string;
  let packageActionId: string;

  /** multipart upload through the same client the CLI uses (fetch + FormData), with the API token. */
  const uploadLibrary = async (name: string, content: string | Buffer, extra: Record<string, string> = {}) => {
    const form = new FormData();
    form.set('File', new Blob([typeof content === 'string' ? content : new Uint8Array(content)]), name);
    for (const [k, v] of Object.entries(extra)) form.set(k, v);
    const req = new Request(`${baseUrl}/api/libraryfiles`, { method: 'POST', body: form });
    return postBytes('/api/libraryfiles', Buffer.from(await req.arrayBuffer()), req.headers.get('content-type')!);
  };
  /** Api.call sends text; library files are bytes. */
  const postBytes = (path: string, payload: Buffer, contentType: string): Promise<{ status: number; body: any }> => 
    new Promise((resolve, reject) => {
      const req = httpsRequest(`${baseUrl}${path}`, { method: 'POST', rejectUnauthorized: false, headers: { authorization: `Bearer ${api.token}`, 'content-type': contentType, 'content-length': payload.length } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString() || 'null') }));
      });
      req.on('error', reject);
      req.end(payload);
    });
  const live = (commands: { type: string; params: Record<string, string> }[]) =>
    api.call('POST', `/api/machines/${machineId}/runliveresponse`, {
      Commands: commands.map((c) => ({ type: c.type, params: Object.entries(c.params).map(([key, value]) => ({ key, value })) })),
      Comment: 'e2e live response',
    });
  const link = async (path: string) => {
    const r = await api.call('GET', path);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body['@odata.context']).toMatch(/\$metadata#Edm\.String$/);
    return r.body.value as string;
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cordon-e2e-forensics-'));
    const port = await freePort();
    baseUrl = `https://127.0.0.1:${port}`;
    const serverEnv = {
      CORDON_DATA: join(dir, 'server'),
      CORDON_PORT: String(port),
      CORDON_TLS_SELF_SIGNED: '1',
      CORDON_LOG_LEVEL: 'warn',
      CORDON_HEARTBEAT_SECONDS: '1',
      // Short-lived links, so the expiry test below waits seconds, not MDE's 30 minutes.
      CORDON_DOWNLOAD_LINK_TTL_SECONDS: String(LINK_TTL_SECONDS),
      // The test polls action status; MDE's per-minute budgets would throttle it.
      CORDON_RATE_LIMITS: JSON.stringify({ default: { perMinute: 100_000, perHour: 1_000_000 }, getPackageUri: { perMinute: 1000, perHour: 100_000 } }),
    };
    server = spawnCordon(['server'], serverEnv);
    await waitFor('server to listen', () => server.output().includes('listening on') || undefined, 30_000);
    api = new Api(baseUrl);
    await api.login(join(dir, 'server', 'credentials.json'));
    const pkg = await runCordon(['onboarding-package'], serverEnv);
    expect(pkg.code).toBe(0);
    await writeFile(join(dir, 'onboarding.json'), pkg.stdout);
    const state = join(dir, 'agent');
    agent = spawnCordon(['agent', '--state', state, '--platform', 'linux', '--name', 'forensics-e2e', '--onboarding', join(dir, 'onboarding.json')], { CORDON_AGENT_BACKOFF_MIN_MS: '100', CORDON_AGENT_BACKOFF_MAX_MS: '1000' });
    await waitFor('agent to connect', () => /"msg":"connected"/.test(agent.output()) || undefined, 60_000);
    machineId = (JSON.parse(await readFile(join(state, 'identity.json'), 'utf8')) as { machineId: string }).machineId;
    const m = await api.call('GET', `/api/machines/${machineId}`);
    expect(m.status).toBe(200);
  }, 120_000);

  afterAll(async () => {
    killAll();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('should collect an investigation package and download it through the link, with the documented folders', async () => {
    const created = await api.call('POST', `/api/machines/${machineId}/collectInvestigationPackage`, { Comment: 'e2e collect' });
    expect(created.status).toBe(201);
    const early = await api.call('GET', `/api/machineactions/${created.body.id}/getPackageUri`);
    if (early.status !== 200) {
      expect(early.status).toBe(404);
      expect(early.body.error.message).toMatch(/^The investigation package is not available: action is (Pending|InProgress)$/);
    }
    const done = await api.waitStatus(created.body.id, ['Succeeded', 'Failed'], 90_000);
    expect(done.status, String(done.errorMessage)).toBe('Succeeded');
    packageActionId = created.body.id;
    const url = await link(`/api/machineactions/${created.body.id}/getPackageUri`);
    expect(url.startsWith(`${baseUrl}/downloads/`)).toBe(true);
    const dl = await fetchLink(url);
    expect(dl.status).toBe(200);
    expect(dl.headers['content-type']).toBe('application/zip');
    expect(dl.headers['content-disposition']).toBe(`attachment; filename="InvestigationPackage_forensics-e2e_${created.body.id}.zip"`);
    expect(sha256(dl.body)).toBe((done.result as { sha256: string }).sha256);
    const zipPath = join(dir, 'package.zip');
    await writeFile(zipPath, dl.body);
    const entries = execFileSync('unzip', ['-Z1', zipPath], { encoding: 'utf8' }).split('\n').filter(Boolean);
    const folders = new Set(entries.map((e) => e.split('/')[0]));
    for (const folder of ['Autoruns', 'Installed programs', 'Network connections', 'Processes', 'Scheduled tasks', 'Security event log', 'Services', 'SMB sessions', 'System Information', 'Temp Directories', 'Users and Groups']) {
      expect(folders.has(folder), `${folder} in ${[...folders].join(', ')}`).toBe(true);
    }
    expect(entries).toContain('CollectionSummaryReport.csv');
    expect(entries.some((e) => e.startsWith('Processes/') && !e.endsWith('/'))).toBe(true);

    // Links: a new one per call; altered ones refused with 403.
    const again = await link(`/api/machineactions/${created.body.id}/getPackageUri`);
    const u = new URL(again);
    const sig = u.searchParams.get('sig')!;
    u.searchParams.set('sig', (sig[0] === '0' ? '1' : '0') + sig.slice(1));
    const tampered = await fetchLink(u.toString());
    expect(tampered.status).toBe(403);
    expect(JSON.parse(tampered.body.toString()).error).toMatchObject({ code: 'Forbidden', message: 'The download link is not valid (altered or incomplete)' });
    const v = new URL(again);
    v.searchParams.set('se', String(Math.floor(Date.now() / 1000) - 60));
    expect((await fetchLink(v.toString())).status).toBe(403);
  }, 120_000);

  it('should put a file, run scripts with arguments, read the transcripts and get a file through the links', async () => {
    const data = randomBytes(64 * 1024 + 3);
    const evidence = randomBytes(200 * 1024 + 11);
    const evidencePath = join(dir, 'evidence.bin');
    await writeFile(evidencePath, evidence);
    expect((await uploadLibrary('args.sh', '#!/bin/sh\necho "args:$1|$2"\necho "to stderr" >&2\nexit 3\n', { Description: 'echo args', HasParameters: 'true', ParametersDescription: 'two words' })).status).toBe(200);
    expect((await uploadLibrary('hash.sh', '#!/bin/sh\nsha256sum data.bin\n')).status).toBe(200);
    expect((await uploadLibrary('data.bin', data)).status).toBe(200);
    const list = await api.call('GET', '/api/libraryfiles');
    expect(list.body.value.find((f: { fileName: string }) => f.fileName === 'data.bin')).toMatchObject({ sha256: sha256(data), hasParameters: false });

    const created = await live([
      { type: 'PutFile', params: { FileName: 'data.bin' } },
      { type: 'RunScript', params: { ScriptName: 'args.sh', Args: 'hello "two words"' } },
      { type: 'RunScript', params: { ScriptName: 'hash.sh' } },
      { type: 'GetFile', params: { Path: evidencePath } },
    ]);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.commands.map((c: { commandStatus: string }) => c.commandStatus)).toEqual(['Created', 'Created', 'Created', 'Created']);
    const done = await api.waitStatus(created.body.id, ['Succeeded', 'Failed'], 60_000);
    expect(done.status, String(done.errorMessage)).toBe('Succeeded');
    const commands = done.commands as { index: number; commandStatus: string; startTime: string; endTime: string; errors: string[] }[];
    expect(commands.map((c) => c.commandStatus)).toEqual(['Completed', 'Completed', 'Completed', 'Completed']);
    for (const c of commands) {
      expect(c.startTime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}Z$/);
      expect(c.endTime >= c.startTime).toBe(true);
      expect(c.errors).toEqual([]);
    }

    const base = `/api/machineactions/${created.body.id}/GetLiveResponseResultDownloadLink`;
    const transcript = await fetchLink(await link(`${base}(index=1)`));
    expect(transcript.status).toBe(200);
    expect(JSON.parse(transcript.body.toString())).toEqual({ script_name: 'args.sh', exit_code: 3, script_output: 'args:hello|two words\n', script_errors: 'to stderr\n' });

    // PutFile's copy on the device, hashed there by hash.sh in the working folder.
    const hashed = JSON.parse((await fetchLink(await link(`${base}(index=2)`))).body.toString()) as { script_output: string; exit_code: number };
    expect(hashed.exit_code).toBe(0);
    expect(hashed.script_output).toBe(`${sha256(data)}  data.bin\n`);

    const got = await fetchLink(await link(`${base}(index=3)`));
    expect(got.status).toBe(200);
    expect(got.body.equals(evidence)).toBe(true);
    expect(got.headers['content-disposition']).toBe('attachment; filename="evidence.bin"');

    const put = await api.call('GET', `${base}(index=0)`);
    expect(put.status).toBe(404);
    expect(put.body.error).toMatchObject({ code: 'ResourceNotFound', message: 'Command PutFile at index 0 produces no result' });
    const out = await api.call('GET', `${base}(index=4)`);
    expect(out.status).toBe(400);
    expect(out.body.error.code).toBe('InvalidInput');
  }, 120_000);

  it('should answer every documented live response and library error', async () => {
    expect((await uploadLibrary('sleep.sh', '#!/bin/sh\nsleep 3\n')).status).toBe(200);
    const dup = await uploadLibrary('sleep.sh', 'other');
    expect(dup.status).toBe(400);
    expect(dup.body.error.code).toBe('InvalidRequestBody');
    const bad = await uploadLibrary('bad name.sh', 'x');
    expect(bad.status).toBe(400);

    const running = await live([{ type: 'RunScript', params: { ScriptName: 'sleep.sh' } }, { type: 'GetFile', params: { Path: '/nonexistent/file' } }]);
    expect(running.status).toBe(201);
    const second = await live([{ type: 'RunScript', params: { ScriptName: 'sleep.sh' } }]);
    expect(second.status).toBe(400);
    expect(second.body.error).toMatchObject({ code: 'ActiveRequestAlreadyExists', message: 'Action is already in progress' });
    const notYet = await api.call('GET', `/api/machineactions/${running.body.id}/GetLiveResponseResultDownloadLink(index=1)`);
    expect(notYet.status).toBe(404);

    const order = await live([{ type: 'GetFile', params: { Path: '/etc/hostname' } }, { type: 'PutFile', params: { FileName: 'sleep.sh' } }]);
    expect(order.status).toBe(400);
    expect(order.body.error.message).toBe('Commands[1] (PutFile) is out of order: commands must be ordered PutFile, then RunScript, then GetFile');
    const missing = await live([{ type: 'RunScript', params: { ScriptName: 'nope.sh' } }]);
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toBe('Library file nope.sh not found in the live response library; upload it first');

    // The GetFile of a missing path fails the command and the action; its index has no result.
    const failed = await api.waitStatus(running.body.id, ['Succeeded', 'Failed'], 60_000);
    expect(failed.status).toBe('Failed');
    const cmds = failed.commands as { commandStatus: string; errors: string[] }[];
    expect(cmds.map((c) => c.commandStatus)).toEqual(['Completed', 'Failed']);
    expect(cmds[1]!.errors).toEqual(['/nonexistent/file does not exist']);
    const noResult = await api.call('GET', `/api/machineactions/${running.body.id}/GetLiveResponseResultDownloadLink(index=1)`);
    expect(noResult.status).toBe(404);
    expect(noResult.body.error.message).toBe('Command GetFile at index 1 has no result: its status is Failed');

    expect((await api.call('DELETE', '/api/libraryfiles/sleep.sh')).status).toBe(204);
    expect((await api.call('DELETE', '/api/libraryfiles/sleep.sh')).status).toBe(404);
  }, 120_000);

  it('should refuse a link once it has expired, and mint a working one on the next call', async () => {
    const url = await link(`/api/machineactions/${packageActionId}/getPackageUri`);
    expect((await fetchLink(url)).status).toBe(200);
    await new Promise((r) => setTimeout(r, LINK_TTL_SECONDS * 1000 + 1500));
    const expired = await fetchLink(url);
    expect(expired.status).toBe(403);
    expect(JSON.parse(expired.body.toString()).error).toMatchObject({ code: 'Forbidden', message: 'The download link has expired; request a new one' });
    expect((await fetchLink(await link(`/api/machineactions/${packageActionId}/getPackageUri`))).status).toBe(200);
  }, 60_000);
});
