import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeWireAction, mdeError, startFakeServer, tokenReply, type FakeHandler, type FakeServer } from '@cordon/api-client/testing';
import { cliSandbox, type CliSandbox } from './cli-harness.js';

let server: FakeServer;
let cli: CliSandbox;
let handler: FakeHandler;

beforeEach(async () => {
  handler = () => ({ status: 500, body: 'no handler' });
  server = await startFakeServer((req, s) => (req.url.endsWith('/oauth2/v2.0/token') ? tokenReply('tok') : handler(req, s)));
  cli = await cliSandbox();
});
afterEach(async () => {
  await server.close();
  await cli.cleanup();
});

/** Env that signs in without a profile file. */
const creds = () => ({ CORDON_SERVER: server.url, CORDON_TENANT: 't1', CORDON_CLIENT_ID: 'c1', CORDON_CLIENT_SECRET: 's3cret' });
const apiRequests = () => server.requests.filter((r) => !r.url.endsWith('/token'));
const jsonBody = (i: number) => JSON.parse(apiRequests()[i].body.toString()) as unknown;

describe('cordon login', () => {
  it('should verify the credentials and save a 0600 profile', async () => {
    const res = await cli.run(['login', '--server', `${server.url}/`, '--tenant', 't1', '--client-id', 'c1', '--client-secret', 's3cret']);
    expect(res).toMatchObject({ code: 0, stderr: '' });
    expect(server.requests.map((r) => `${r.method} ${r.url}`)).toEqual(['POST /t1/oauth2/v2.0/token']);
    expect((await stat(cli.profile)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(cli.profile, 'utf8'))).toEqual({ server: server.url, tenant: 't1', clientId: 'c1', clientSecret: 's3cret' });
  });

  it('should print the token endpoint error and save nothing when the secret is wrong', async () => {
    await server.close();
    server = await startFakeServer(() => ({
      status: 401,
      body: { error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided.', correlation_id: 'corr-1' },
    }));
    const res = await cli.run(['login', '--server', server.url, '--tenant', 't1', '--client-id', 'c1', '--client-secret', 'bad']);
    expect(res).toEqual({ code: 1, stdout: '', stderr: 'cordon: invalid_client: AADSTS7000215: Invalid client secret provided. (request corr-1)\n' });
    await expect(stat(cli.profile)).rejects.toThrow(/ENOENT/);
  });

  it('should let later commands use the saved profile', async () => {
    await cli.run(['login', '--server', server.url, '--tenant', 't1', '--client-id', 'c1', '--client-secret', 's3cret']);
    handler = () => ({ body: makeWireAction({ status: 'Succeeded' }) });
    const res = await cli.run(['actions', 'get', 'a1', '--json']);
    expect(res.code).toBe(0);
    expect(apiRequests()[0].headers.authorization).toBe('Bearer tok');
  });
});

describe('response action commands', () => {
  it('should create the action and print the raw entity with --json', async () => {
    const entity = { '@odata.context': 'ctx', ...makeWireAction() };
    handler = () => ({ status: 201, body: entity });
    const res = await cli.run(['isolate', 'm1', '--comment', 'contain', '--type', 'Selective', '--json'], creds());
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout)).toEqual(entity);
    expect(`${apiRequests()[0].method} ${apiRequests()[0].url}`).toBe('POST /api/machines/m1/isolate');
    expect(jsonBody(0)).toEqual({ Comment: 'contain', IsolationType: 'Selective' });
  });

  it.each([
    ['release', [], '/api/machines/m1/unisolate', { Comment: 'c' }],
    ['restrict', [], '/api/machines/m1/restrictCodeExecution', { Comment: 'c' }],
    ['unrestrict', [], '/api/machines/m1/unrestrictCodeExecution', { Comment: 'c' }],
    ['scan', ['--type', 'Full'], '/api/machines/m1/runAntiVirusScan', { Comment: 'c', ScanType: 'Full' }],
    ['quarantine', ['--sha1', 'a'.repeat(40)], '/api/machines/m1/StopAndQuarantineFile', { Comment: 'c', Sha1: 'a'.repeat(40) }],
    ['collect', [], '/api/machines/m1/collectInvestigationPackage', { Comment: 'c' }],
    ['offboard', [], '/api/machines/m1/offboard', { Comment: 'c' }],
  ])('%s should POST its endpoint', async (verb, extra, path, body) => {
    handler = () => ({ status: 201, body: makeWireAction() });
    const res = await cli.run([verb, 'm1', '--comment', 'c', ...extra], creds());
    expect(res.code).toBe(0);
    expect(res.stdout).toBe('Isolate a1b2c3d4-0000-4000-8000-000000000001 on host1: Pending\n');
    expect(apiRequests()[0].url).toBe(path);
    expect(jsonBody(0)).toEqual(body);
  });

  it.each([
    ['Succeeded', 0],
    ['Failed', 2],
    ['TimeOut', 3],
    ['Cancelled', 4],
  ])('--wait should follow the action to %s and exit %i', async (final, code) => {
    const states = ['InProgress', 'InProgress', final];
    let polls = 0;
    handler = (req) => (req.method === 'POST' ? { status: 201, body: makeWireAction() } : { body: makeWireAction({ status: states[Math.min(polls++, 2)] }) });
    const res = await cli.run(['isolate', 'm1', '--comment', 'c', '--wait', '--interval', '0.001', '--json'], creds());
    expect(res.code).toBe(code);
    expect(JSON.parse(res.stdout).status).toBe(final);
    // Not a TTY: one plain progress line per status change, on stderr.
    expect(res.stderr.split('\n').filter(Boolean).map((l) => l.replace(/ \(\d\d:\d\d\)$/, ''))).toEqual([
      'Isolate a1b2c3d4-0000-4000-8000-000000000001 on host1: Pending',
      'Isolate a1b2c3d4-0000-4000-8000-000000000001 on host1: InProgress',
      `Isolate a1b2c3d4-0000-4000-8000-000000000001 on host1: ${final}`,
    ]);
  });

  it('should print the server error code, message and request id without a stack trace', async () => {
    handler = () => mdeError(400, 'ActiveRequestAlreadyExists', 'Action is already in progress', 'req-42');
    const res = await cli.run(['isolate', 'm1', '--comment', 'c'], creds());
    expect(res).toEqual({ code: 1, stdout: '', stderr: 'cordon: ActiveRequestAlreadyExists: Action is already in progress (request req-42)\n' });
  });

  it('should refuse a missing --comment with exit 1 before calling the server', async () => {
    const res = await cli.run(['isolate', 'm1'], creds());
    expect(res.code).toBe(1);
    expect(res.stderr).toContain("required option '--comment <text>' not specified");
    expect(server.requests).toEqual([]);
  });

  it('should say how to sign in when there is no profile', async () => {
    const res = await cli.run(['actions', 'get', 'a1']);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/^cordon: not signed in: run cordon login/);
  });
});

describe('cordon actions', () => {
  it('list should combine filters and follow nextLink with --all', async () => {
    handler = (req) => {
      const skip = Number(new URL(req.url, server.url).searchParams.get('$skip') ?? 0);
      const next = skip === 0 ? { '@odata.nextLink': `${server.url}/api/machineactions?$top=1&$skip=1` } : {};
      return { body: { value: [makeWireAction({ id: `a${skip}` })], ...next } };
    };
    const res = await cli.run(['actions', 'list', '--machine', "m'1", '--status', 'Pending', '--filter', "type eq 'Isolate'", '--top', '1', '--all', '--json'], creds());
    expect(res.code).toBe(0);
    expect((JSON.parse(res.stdout) as Array<{ id: string }>).map((a) => a.id)).toEqual(['a0', 'a1']);
    const first = new URL(apiRequests()[0].url, server.url).searchParams;
    expect(first.get('$filter')).toBe("(type eq 'Isolate') and machineId eq 'm''1' and status eq 'Pending'");
    expect(first.get('$top')).toBe('1');
  });

  it('list should print a table', async () => {
    handler = () => ({ body: { value: [makeWireAction()] } });
    const res = await cli.run(['actions', 'list'], creds());
    expect(res.stdout.split('\n')[0]).toMatch(/^ID\s+TYPE\s+STATUS\s+MACHINE\s+CREATED \(UTC\)\s+REQUESTOR$/);
    expect(res.stdout.split('\n')[1]).toMatch(/^a1b2c3d4-0000-4000-8000-000000000001\s+Isolate\s+Pending\s+host1\s+2026-11-21 10:00:00\s+cli-app$/);
  });

  it('cancel should send the comment', async () => {
    handler = () => ({ body: makeWireAction({ status: 'Cancelled', cancellationComment: 'oops' }) });
    const res = await cli.run(['actions', 'cancel', 'a1', '--comment', 'oops', '--json'], creds());
    expect(res.code).toBe(0);
    expect(apiRequests()[0].url).toBe('/api/machineactions/a1/cancel');
    expect(jsonBody(0)).toEqual({ Comment: 'oops' });
    expect(JSON.parse(res.stdout).status).toBe('Cancelled');
  });

  it('watch should exit at once with the code of an already final action', async () => {
    handler = () => ({ body: makeWireAction({ status: 'Failed', errorMessage: 'nft missing' }) });
    const res = await cli.run(['actions', 'watch', 'a1'], creds());
    expect(res).toMatchObject({ code: 2, stdout: 'Isolate a1b2c3d4-0000-4000-8000-000000000001 on host1: Failed: nft missing\n' });
  });
});

describe('cordon machines', () => {
  it('tag should add a tag and get should print the raw entity', async () => {
    const machine = { id: 'm1', computerDnsName: 'host1', machineTags: ['prod'] };
    handler = () => ({ body: machine });
    expect((await cli.run(['machines', 'tag', 'm1', '--add', 'prod'], creds())).stdout).toBe('host1: tags prod\n');
    expect(jsonBody(0)).toEqual({ Value: 'prod', Action: 'Add' });
    expect(JSON.parse((await cli.run(['machines', 'get', 'host1', '--json'], creds())).stdout)).toEqual(machine);
    expect(apiRequests()[1].url).toBe('/api/machines/host1');
  });
});

describe('cordon package download', () => {
  it('should fetch the package link and write the file', async () => {
    handler = (req) =>
      req.url.endsWith('getPackageUri')
        ? { body: { value: `${server.url}/safedownload/p.zip?token=x` } }
        : { body: Buffer.from('PK\u0003\u0004zip'), headers: { 'content-type': 'application/zip' } };
    const res = await cli.run(['package', 'download', 'a1', '-o', 'out.zip', '--json'], creds());
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout)).toEqual({ file: 'out.zip', bytes: 7 });
    expect(await readFile(join(cli.dir, 'out.zip'), 'utf8')).toBe('PK\u0003\u0004zip');
  });
});

describe('cordon live run', () => {
  it('should send PutFile, RunScript, GetFile in order and, with --wait, print the transcript and save files', async () => {
    const commands = [
      { index: 0, commandStatus: 'Completed', command: { type: 'PutFile', params: [{ key: 'FileName', value: 'tool.bin' }] } },
      { index: 1, commandStatus: 'Completed', command: { type: 'RunScript', params: [{ key: 'ScriptName', value: 'probe.sh' }] } },
      { index: 2, commandStatus: 'Completed', command: { type: 'GetFile', params: [{ key: 'Path', value: '/var/log/auth.log' }] } },
    ];
    handler = (req) => {
      if (req.method === 'POST') return { status: 201, body: makeWireAction({ type: 'LiveResponse' }) };
      const link = /GetLiveResponseResultDownloadLink\(index=(\d)\)/.exec(req.url);
      if (link) return { body: { value: `${server.url}/results/${link[1]}` } };
      if (req.url === '/results/1') return { body: { script_name: 'probe.sh', exit_code: 0, script_output: 'all good', script_errors: '' } };
      if (req.url === '/results/2') return { body: 'log lines\n' };
      return { body: makeWireAction({ type: 'LiveResponse', status: 'Succeeded', commands }) };
    };
    const res = await cli.run(
      ['live', 'run', 'm1', '--comment', 'triage', '--put', 'tool.bin', '--script', 'probe.sh', '--args', '-v', '--get', '/var/log/auth.log', '--wait', '--interval', '0.001'],
      creds(),
    );
    expect(res.code).toBe(0);
    expect(jsonBody(0)).toEqual({
      Commands: [
        { type: 'PutFile', params: [{ key: 'FileName', value: 'tool.bin' }] },
        { type: 'RunScript', params: [{ key: 'ScriptName', value: 'probe.sh' }, { key: 'Args', value: '-v' }] },
        { type: 'GetFile', params: [{ key: 'Path', value: '/var/log/auth.log' }] },
      ],
      Comment: 'triage',
    });
    expect(res.stdout).toBe(
      'LiveResponse a1b2c3d4-0000-4000-8000-000000000001 on host1: Succeeded\n--- probe.sh (exit 0)\nall good\nsaved /var/log/auth.log to auth.log\n',
    );
    expect(await readFile(join(cli.dir, 'auth.log'), 'utf8')).toBe('log lines\n');
  });
});

describe('cordon library', () => {
  it('should upload a file as multipart, list and delete', async () => {
    const entry = { fileName: 'probe.sh', sha256: 'ab'.repeat(32), description: 'd', creationTime: 't', lastUpdatedTime: '2026-11-21T10:00:00Z', createdBy: 'me', hasParameters: true };
    handler = (req) => (req.method === 'DELETE' ? { status: 204 } : req.method === 'POST' ? { body: entry } : { body: { value: [entry] } });
    await writeFile(join(cli.dir, 'probe.sh'), 'echo probe\n');
    const up = await cli.run(['library', 'upload', 'probe.sh', '--description', 'd', '--has-parameters'], creds());
    expect(up).toMatchObject({ code: 0, stdout: `uploaded probe.sh (sha256 ${'ab'.repeat(32)})\n` });
    const form = apiRequests()[0].body.toString();
    expect(apiRequests()[0].headers['content-type']).toMatch(/^multipart\/form-data/);
    expect(form).toMatch(/name="File"; filename="probe.sh"[\s\S]*echo probe/);
    expect(form).toMatch(/name="HasParameters"\r\n\r\ntrue/);
    expect(JSON.parse((await cli.run(['library', 'list', '--json'], creds())).stdout)).toEqual([entry]);
    expect((await cli.run(['library', 'delete', 'probe.sh'], creds())).stdout).toBe('deleted probe.sh\n');
    expect(`${apiRequests()[2].method} ${apiRequests()[2].url}`).toBe('DELETE /api/libraryfiles/probe.sh');
  });
});
