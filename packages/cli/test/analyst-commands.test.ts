import { describe, expect, vi } from 'vitest';
import { execFile, spawn } from 'node:child_process';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  makeWireAction,
  mdeError,
  startFakeServer,
  tokenReply,
} from '@cordon/api-client/testing';
import { it, type Ctx } from './cli-fixture.js';
import { replay, runInTerminal } from './terminal.js';
import { parse as parseYaml } from 'yaml';

/** Each test spawns node (about 1-2 s of CPU per run); leave room on a loaded CI machine. */
vi.setConfig({ testTimeout: 120_000 });

describe.concurrent('cordon login', () => {
  it('should verify the credentials and save a 0600 profile', async ({ ctx }) => {
    const res = await ctx.cli.run(['login', '--server', `${ctx.server.url}/`, '--tenant', 't1', '--client-id', 'c1', '--client-secret', 's3cret']);
    expect(res).toMatchObject({ code: 0, stderr: '' });
    expect(ctx.server.requests.map((r) => `${r.method} ${r.url}`)).toEqual(['POST /t1/oauth2/v2.0/token']);
    expect((await stat(ctx.cli.profile)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(ctx.cli.profile, 'utf8'))).toEqual({ server: ctx.server.url, tenant: 't1', clientId: 'c1', clientSecret: 's3cret' });
  });

  it('should print the token endpoint error and save nothing when the secret is wrong', async ({ ctx }) => {
    ctx.tokenHandler = () => ({
      status: 401,
      body: { error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided.', correlation_id: 'corr-1' },
    });
    const res = await ctx.cli.run(['login', '--server', ctx.server.url, '--tenant', 't1', '--client-id', 'c1', '--client-secret', 'bad']);
    expect(res).toEqual({ code: 1, stdout: '', stderr: 'cordon: invalid_client: AADSTS7000215: Invalid client secret provided. (request corr-1)\n' });
    await expect(stat(ctx.cli.profile)).rejects.toThrow(/ENOENT/);
  });

  it('should let later commands use the saved profile', async ({ ctx }) => {
    await ctx.cli.run(['login', '--server', ctx.server.url, '--tenant', 't1', '--client-id', 'c1', '--client-secret', 's3cret']);
    ctx.handler = () => ({ body: makeWireAction({ status: 'Succeeded' }) });
    const res = await ctx.cli.run(['actions', 'get', 'a1', '--json']);
    expect(res.code).toBe(0);
    expect(ctx.api()[0].headers.authorization).toBe('Bearer tok');
  });
});

describe.concurrent('response action commands', () => {
  it('should create the action and print the raw entity with --json', async ({ ctx }) => {
    const entity = { '@odata.context': 'ctx', ...makeWireAction() };
    ctx.handler = () => ({ status: 201, body: entity });
    const res = await ctx.cli.run(['isolate', 'm1', '--comment', 'contain', '--type', 'Selective', '--json'], ctx.creds());
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout)).toEqual(entity);
    expect(`${ctx.api()[0].method} ${ctx.api()[0].url}`).toBe('POST /api/machines/m1/isolate');
    expect(ctx.body(0)).toEqual({ Comment: 'contain', IsolationType: 'Selective' });
  });

  it.for([
    ['release', [], '/api/machines/m1/unisolate', { Comment: 'c' }],
    ['restrict', [], '/api/machines/m1/restrictCodeExecution', { Comment: 'c' }],
    ['unrestrict', [], '/api/machines/m1/unrestrictCodeExecution', { Comment: 'c' }],
    ['scan', ['--type', 'Full'], '/api/machines/m1/runAntiVirusScan', { Comment: 'c', ScanType: 'Full' }],
    ['quarantine', ['--sha1', 'a'.repeat(40)], '/api/machines/m1/StopAndQuarantineFile', { Comment: 'c', Sha1: 'a'.repeat(40) }],
    ['restore', ['--sha1', 'b'.repeat(40)], '/api/machines/m1/restoreQuarantinedFile', { Comment: 'c', Sha1: 'b'.repeat(40) }],
    ['collect', [], '/api/machines/m1/collectInvestigationPackage', { Comment: 'c' }],
    ['offboard', [], '/api/machines/m1/offboard', { Comment: 'c' }],
  ] as const)('%s should POST its endpoint', async ([verb, extra, path, body], { ctx }) => {
    ctx.handler = () => ({ status: 201, body: makeWireAction() });
    const res = await ctx.cli.run([verb, 'm1', '--comment', 'c', ...extra], ctx.creds());
    expect(res.code).toBe(0);
    expect(res.stdout).toBe('Isolate a1b2c3d4-0000-4000-8000-000000000001 on host1: Pending\n');
    expect(ctx.api()[0].url).toBe(path);
    expect(ctx.body(0)).toEqual(body);
  });

  it.for([
    ['Succeeded', 0],
    ['Failed', 2],
    ['TimeOut', 3],
    ['Cancelled', 4],
  ] as const)('--wait should follow the action to %s and exit %i', async ([final, code], { ctx }) => {
    const states = ['InProgress', 'InProgress', final];
    let polls = 0;
    ctx.handler = (req) => (req.method === 'POST' ? { status: 201, body: makeWireAction() } : { body: makeWireAction({ status: states[Math.min(polls++, 2)] }) });
    const res = await ctx.cli.run(['isolate', 'm1', '--comment', 'c', '--wait', '--interval', '0.001', '--json'], ctx.creds());
    expect(res.code).toBe(code);
    expect(JSON.parse(res.stdout).status).toBe(final);
    // Not a TTY: one plain progress line per status change, on stderr.
    expect(res.stderr.split('\n').filter(Boolean).map((l) => l.replace(/ \(\d\d:\d\d\)$/, ''))).toEqual([
      'Isolate a1b2c3d4-0000-4000-8000-000000000001 on host1: Pending',
      'Isolate a1b2c3d4-0000-4000-8000-000000000001 on host1: InProgress',
      `Isolate a1b2c3d4-0000-4000-8000-000000000001 on host1: ${final}`,
    ]);
  });

  it('restore --help should show examples, and restore should refuse a missing --sha1 before sending anything', async ({ ctx }) => {
    const help = await ctx.cli.run(['restore', '--help']);
    expect(help.stdout).toContain('Examples:\n  # one machine, by computer name (or id)\n  cordon restore web01.contoso.local --comment "suspicious beaconing" --sha1 ');
    const res = await ctx.cli.run(['restore', 'm1', '--comment', 'c'], ctx.creds());
    expect(res.code).toBe(1);
    expect(res.stderr).toContain("required option '--sha1 <hash>' not specified");
    expect(ctx.server.requests).toEqual([]);
  });

  it('should print the server error code, message and request id without a stack trace', async ({ ctx }) => {
    ctx.handler = () => mdeError(400, 'ActiveRequestAlreadyExists', 'Action is already in progress', 'req-42');
    const res = await ctx.cli.run(['isolate', 'm1', '--comment', 'c'], ctx.creds());
    expect(res).toEqual({ code: 1, stdout: '', stderr: 'cordon: ActiveRequestAlreadyExists: Action is already in progress (request req-42)\n' });
  });

  it('should refuse a missing --comment with exit 1 before calling the server', async ({ ctx }) => {
    const res = await ctx.cli.run(['isolate', 'm1'], ctx.creds());
    expect(res.code).toBe(1);
    expect(res.stderr).toContain("required option '--comment <text>' not specified");
    expect(ctx.server.requests).toEqual([]);
  });

  it.for([
    [['--wait', '--timeout', 'soon'], "argument 'soon' is invalid"],
    [['--wait', '--timeout', '5x'], "argument '5x' is invalid"],
    [['--wait', '--interval', '0'], "argument '0' is invalid"],
    [['--wait', '--interval', '-1s'], "argument '-1s' is invalid"],
    [['--timeout', '1m'], '--timeout only apply with --wait'],
  ] as const)('should refuse %j before sending anything', async ([flags, message], { ctx }) => {
    ctx.handler = () => ({ status: 201, body: makeWireAction({ status: 'Succeeded' }) });
    const res = await ctx.cli.run(['isolate', 'm1', '--comment', 'c', ...flags], ctx.creds());
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(message);
    expect(ctx.server.requests).toEqual([]);
  });

  it('should refuse a bad --timeout on live run and actions watch before sending anything', async ({ ctx }) => {
    const live = await ctx.cli.run(['live', 'run', 'm1', '--comment', 'c', '--get', '/etc/hosts', '--wait', '--timeout', '1 minute'], ctx.creds());
    const watch = await ctx.cli.run(['actions', 'watch', 'a1', '--interval', '0s'], ctx.creds());
    expect([live.code, watch.code]).toEqual([1, 1]);
    expect(live.stderr).toContain("argument '1 minute' is invalid");
    expect(watch.stderr).toContain("argument '0s' is invalid");
    expect(ctx.server.requests).toEqual([]);
  });

  it('should refuse a missing --output-dir for live run --wait --get before sending anything', async ({ ctx }) => {
    const res = await ctx.cli.run(['live', 'run', 'm1', '--comment', 'c', '--get', '/etc/hosts', '--wait', '--output-dir', 'no/such/dir'], ctx.creds());
    expect(res).toEqual({ code: 1, stdout: '', stderr: 'cordon: --output-dir no/such/dir is not a writable directory (ENOENT)\n' });
    expect(ctx.server.requests).toEqual([]);
  });

  it('should accept --timeout 1m and --interval 10ms with --wait', async ({ ctx }) => {
    ctx.handler = (req) => ({ status: req.method === 'POST' ? 201 : 200, body: makeWireAction({ status: req.method === 'POST' ? 'Pending' : 'Succeeded' }) });
    const res = await ctx.cli.run(['isolate', 'm1', '--comment', 'c', '--wait', '--timeout', '1m', '--interval', '10ms'], ctx.creds());
    expect(res.code).toBe(0);
    // This fake answers the event stream with JSON (no stream support), so the CLI polls once.
    expect(ctx.api().map((r) => `${r.method} ${r.url.split('?')[0]}`)).toEqual(['POST /api/machines/m1/isolate', 'GET /api/cordon/events', `GET /api/machineactions/${makeWireAction().id}`]);
  });

  it('should say how to sign in when there is no profile', async ({ ctx }) => {
    const res = await ctx.cli.run(['actions', 'get', 'a1']);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/^cordon: not signed in: run cordon login/);
  });
});

describe.concurrent('cordon actions', () => {
  it('list should combine filters and follow nextLink with --all', async ({ ctx }) => {
    ctx.handler = (req) => {
      if (req.url.startsWith('/api/machines/')) return { body: { id: "m'1", computerDnsName: 'host1' } };
      const skip = Number(new URL(req.url, ctx.server.url).searchParams.get('$skip') ?? 0);
      const next = skip === 0 ? { '@odata.nextLink': `${ctx.server.url}/api/machineactions?$top=1&$skip=1` } : {};
      return { body: { value: [makeWireAction({ id: `a${skip}` })], ...next } };
    };
    const res = await ctx.cli.run(['actions', 'list', '--machine', "m'1", '--status', 'Pending', '--filter', "type eq 'Isolate'", '--top', '1', '--all', '--json'], ctx.creds());
    expect(res.code).toBe(0);
    expect((JSON.parse(res.stdout) as Array<{ id: string }>).map((a) => a.id)).toEqual(['a0', 'a1']);
    expect(ctx.api()[0].url).toBe("/api/machines/m'1");
    const first = new URL(ctx.api()[1].url, ctx.server.url).searchParams;
    expect(first.get('$filter')).toBe("(type eq 'Isolate') and machineId eq 'm''1' and status eq 'Pending'");
    expect(first.get('$top')).toBe('1');
  });

  it('list --machine should resolve a computer name to the machine id before filtering', async ({ ctx }) => {
    ctx.handler = (req) => (req.url.startsWith('/api/machines/') ? { body: { id: 'id-of-host1', computerDnsName: 'HOST1' } } : { body: { value: [makeWireAction()] } });
    const res = await ctx.cli.run(['actions', 'list', '--machine', 'HOST1', '--json'], ctx.creds());
    expect(res.code).toBe(0);
    expect(ctx.api()[0].url).toBe('/api/machines/HOST1');
    expect(new URL(ctx.api()[1].url, ctx.server.url).searchParams.get('$filter')).toBe("machineId eq 'id-of-host1'");
  });

  it('list --machine should print the server refusal of an ambiguous name and list nothing', async ({ ctx }) => {
    ctx.handler = () => mdeError(400, 'InvalidInput', "Machine name 'web' is ambiguous: m1 (web), m2 (web)", 'req-9');
    const res = await ctx.cli.run(['actions', 'list', '--machine', 'web'], ctx.creds());
    expect(res).toEqual({ code: 1, stdout: '', stderr: "cordon: InvalidInput: Machine name 'web' is ambiguous: m1 (web), m2 (web) (request req-9)\n" });
    expect(ctx.api()).toHaveLength(1);
  });

  it('list should print a table', async ({ ctx }) => {
    ctx.handler = () => ({ body: { value: [makeWireAction()] } });
    const res = await ctx.cli.run(['actions', 'list'], ctx.creds());
    expect(res.stdout.split('\n')[0]).toMatch(/^ID\s+TYPE\s+STATUS\s+MACHINE\s+CREATED \(UTC\)\s+REQUESTOR$/);
    expect(res.stdout.split('\n')[1]).toMatch(/^a1b2c3d4-0000-4000-8000-000000000001\s+Isolate\s+Pending\s+host1\s+2026-11-21 10:00:00\s+cli-app$/);
  });

  it('cancel should send the comment', async ({ ctx }) => {
    ctx.handler = () => ({ body: makeWireAction({ status: 'Cancelled', cancellationComment: 'oops' }) });
    const res = await ctx.cli.run(['actions', 'cancel', 'a1', '--comment', 'oops', '--json'], ctx.creds());
    expect(res.code).toBe(0);
    expect(ctx.api()[0].url).toBe('/api/machineactions/a1/cancel');
    expect(ctx.body(0)).toEqual({ Comment: 'oops' });
    expect(JSON.parse(res.stdout).status).toBe('Cancelled');
  });

  it('watch should print one line per change and exit with the code of the final status', async ({ ctx }) => {
    const states = [
      ['Pending', '2026-11-21T10:00:00.0000000Z'],
      ['Pending', '2026-11-21T10:00:00.0000000Z'],
      ['InProgress', '2026-11-21T10:00:05.0000000Z'],
      ['Failed', '2026-11-21T10:00:09.0000000Z'],
    ];
    let i = 0;
    ctx.handler = () => {
      const [status, at] = states[Math.min(i++, states.length - 1)];
      return { body: makeWireAction({ status, lastUpdateDateTimeUtc: at, errorMessage: status === 'Failed' ? 'nft missing' : null }) };
    };
    const res = await ctx.cli.run(['actions', 'watch', 'a1', '--interval', '0.001'], ctx.creds());
    expect(res.code).toBe(2);
    expect(res.stdout).toBe(
      [
        '2026-11-21T10:00:00.0000000Z  Isolate a1b2c3d4-0000-4000-8000-000000000001 on host1: Pending',
        '2026-11-21T10:00:05.0000000Z  Isolate a1b2c3d4-0000-4000-8000-000000000001 on host1: InProgress',
        '2026-11-21T10:00:09.0000000Z  Isolate a1b2c3d4-0000-4000-8000-000000000001 on host1: Failed: nft missing',
        '',
      ].join('\n'),
    );
  });

  it('--wait --timeout should give up on an action that stays Pending with exit 5', async ({ ctx }) => {
    ctx.handler = (req) => ({ status: req.method === 'POST' ? 201 : 200, body: makeWireAction() });
    const res = await ctx.cli.run(['isolate', 'm1', '--comment', 'c', '--wait', '--timeout', '0.2', '--interval', '0.01'], ctx.creds());
    expect(res.code).toBe(5);
    expect(res.stderr).toMatch(/still Pending after 0\.2s/);
  });
});

describe.concurrent('cordon machines', () => {
  it('tag should add a tag and get should print the raw entity', async ({ ctx }) => {
    const machine = { id: 'm1', computerDnsName: 'host1', machineTags: ['prod'] };
    ctx.handler = () => ({ body: machine });
    expect((await ctx.cli.run(['machines', 'tag', 'm1', '--add', 'prod'], ctx.creds())).stdout).toBe('host1: tags prod\n');
    expect(ctx.body(0)).toEqual({ Value: 'prod', Action: 'Add' });
    expect(JSON.parse((await ctx.cli.run(['machines', 'get', 'host1', '--json'], ctx.creds())).stdout)).toEqual(machine);
    expect(ctx.api()[1].url).toBe('/api/machines/host1');
  });
});

describe.concurrent('cordon package download', () => {
  it('should fetch the package link and write the file', async ({ ctx }) => {
    ctx.handler = (req) =>
      req.url.endsWith('getPackageUri')
        ? { body: { value: `${ctx.server.url}/safedownload/p.zip?token=x` } }
        : { body: Buffer.from('PK\u0003\u0004zip'), headers: { 'content-type': 'application/zip' } };
    const res = await ctx.cli.run(['package', 'download', 'a1', '-o', 'out.zip', '--json'], ctx.creds());
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout)).toEqual({ file: 'out.zip', bytes: 7 });
    expect(await readFile(join(ctx.cli.dir, 'out.zip'), 'utf8')).toBe('PK\u0003\u0004zip');
  });
});

describe.concurrent('cordon live run', () => {
  it('should send PutFile, RunScript, GetFile in order and, with --wait, print the transcript and save files', async ({ ctx }) => {
    const commands = [
      { index: 0, commandStatus: 'Completed', command: { type: 'PutFile', params: [{ key: 'FileName', value: 'tool.bin' }] } },
      { index: 1, commandStatus: 'Completed', command: { type: 'RunScript', params: [{ key: 'ScriptName', value: 'probe.sh' }] } },
      { index: 2, commandStatus: 'Completed', command: { type: 'GetFile', params: [{ key: 'Path', value: '/var/log/auth.log' }] } },
    ];
    ctx.handler = (req) => {
      if (req.method === 'POST') return { status: 201, body: makeWireAction({ type: 'LiveResponse' }) };
      const link = /GetLiveResponseResultDownloadLink\(index=(\d)\)/.exec(req.url);
      if (link) return { body: { value: `${ctx.server.url}/results/${link[1]}` } };
      if (req.url === '/results/1') return { body: { script_name: 'probe.sh', exit_code: 0, script_output: 'all good', script_errors: '' } };
      if (req.url === '/results/2') return { body: 'log lines\n' };
      return { body: makeWireAction({ type: 'LiveResponse', status: 'Succeeded', commands }) };
    };
    const res = await ctx.cli.run(
      ['live', 'run', 'm1', '--comment', 'triage', '--put', 'tool.bin', '--script', 'probe.sh', '--args', '-v', '--get', '/var/log/auth.log', '--wait', '--interval', '0.001'],
      ctx.creds(),
    );
    expect(res.code).toBe(0);
    expect(ctx.body(0)).toEqual({
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
    expect(await readFile(join(ctx.cli.dir, 'auth.log'), 'utf8')).toBe('log lines\n');
  });
});

describe.concurrent('cordon library', () => {
  it('should upload a file as multipart, list and delete', async ({ ctx }) => {
    const entry = { fileName: 'probe.sh', sha256: 'ab'.repeat(32), description: 'd', creationTime: 't', lastUpdatedTime: '2026-11-21T10:00:00Z', createdBy: 'me', hasParameters: true };
    ctx.handler = (req) => (req.method === 'DELETE' ? { status: 204 } : req.method === 'POST' ? { body: entry } : { body: { value: [entry] } });
    await writeFile(join(ctx.cli.dir, 'probe.sh'), 'echo probe\n');
    const up = await ctx.cli.run(['library', 'upload', 'probe.sh', '--description', 'd', '--has-parameters'], ctx.creds());
    expect(up).toMatchObject({ code: 0, stdout: `uploaded probe.sh (sha256 ${'ab'.repeat(32)})\n` });
    const form = ctx.api()[0].body.toString();
    expect(ctx.api()[0].headers['content-type']).toMatch(/^multipart\/form-data/);
    expect(form).toMatch(/name="File"; filename="probe.sh"[\s\S]*echo probe/);
    expect(form).toMatch(/name="HasParameters"\r\n\r\ntrue/);
    expect(JSON.parse((await ctx.cli.run(['library', 'list', '--json'], ctx.creds())).stdout)).toEqual([entry]);
    expect((await ctx.cli.run(['library', 'delete', 'probe.sh'], ctx.creds())).stdout).toBe('deleted probe.sh\n');
    expect(`${ctx.api()[2].method} ${ctx.api()[2].url}`).toBe('DELETE /api/libraryfiles/probe.sh');
  });
});

describe.concurrent('output to a reader that closes early', () => {
  const machine = (i: number) => ({
    id: `m${i}`.padEnd(40, '0'),
    computerDnsName: `host-${i}.corp.example`,
    osPlatform: 'Linux',
    healthStatus: 'Active',
    isolationState: 'NotIsolated',
    lastSeen: '2026-11-21T10:00:00.0000000Z',
    machineTags: ['prod', 'web'],
  });

  it.for([[[]], [['--json']]] as const)('machines list %j | head -1 should end with exit 0 and no stack trace', async ([flags], { ctx }) => {
    // Far more than a pipe buffer (64 KiB), so the CLI is still writing when head exits.
    ctx.handler = () => ({ body: { value: Array.from({ length: 4000 }, (_, i) => machine(i)) } });
    const { argv, env } = ctx.cli.command(['machines', 'list', ...flags], ctx.creds());
    const script = '"$@" 2>"$ERR_FILE" | head -1; echo "exit=${PIPESTATUS[0]}"';
    const errFile = join(ctx.cli.dir, 'stderr.txt');
    const out = await new Promise<string>((resolve, reject) =>
      execFile('bash', ['-c', script, 'bash', ...argv], { env: { ...env, ERR_FILE: errFile }, cwd: ctx.cli.dir }, (err, stdout) => (err ? reject(err) : resolve(stdout))),
    );
    const [first, status] = out.trimEnd().split('\n');
    expect(first).toMatch(flags.length ? /^\[$/ : /^ID\s+NAME\s+OS/);
    expect(status).toBe('exit=0');
    expect(await readFile(errFile, 'utf8')).toBe('');
  });
});

describe.concurrent('environment over the profile', () => {
  it('should send CORDON_TOKEN as the bearer token although the profile holds client credentials', async ({ ctx }) => {
    await ctx.cli.run(['login', '--server', ctx.server.url, '--tenant', 't1', '--client-id', 'c1', '--client-secret', 's3cret']);
    ctx.handler = () => ({ body: makeWireAction({ status: 'Succeeded' }) });
    const res = await ctx.cli.run(['actions', 'get', 'a1', '--json'], { CORDON_TOKEN: 'from-env' });
    expect(res.code).toBe(0);
    expect(ctx.api()[0].headers.authorization).toBe('Bearer from-env');
    expect(ctx.server.requests.filter((r) => r.url.endsWith('/token'))).toHaveLength(1);
  });
});

describe.concurrent('--wait through a flaky server', () => {
  it('should retry 429 and 503 while polling and still report the final status', async ({ ctx }) => {
    let polls = 0;
    ctx.handler = (req) => {
      if (req.method === 'POST') return { status: 201, body: makeWireAction() };
      // A server without the event stream extension: the CLI polls.
      if (req.url.startsWith('/api/cordon/events')) return mdeError(404, 'NotFound', 'No resource matches GET /api/cordon/events');
      polls++;
      if (polls === 1) return mdeError(429, 'TooManyRequests', 'slow down');
      if (polls === 2) return { status: 503, body: 'busy' };
      return { body: makeWireAction({ status: 'Succeeded' }) };
    };
    const res = await ctx.cli.run(['isolate', 'm1', '--comment', 'c', '--wait', '--timeout', '30s'], ctx.creds());
    expect(res.code).toBe(0);
    expect(polls).toBe(3);
    expect(res.stderr).toContain('rate limited by the server; retrying in 0.5s');
    expect(res.stdout).toBe('Isolate a1b2c3d4-0000-4000-8000-000000000001 on host1: Succeeded\n');
  });

  it('should exit 6 with the action id and how to follow it when the server goes away', async ({ ctx }) => {
    const gone = await startFakeServer((req) => {
      if (req.url.endsWith('/token')) return tokenReply('tok');
      // Answer the POST, then stop listening: every poll is refused.
      if (req.method === 'POST') setTimeout(() => void gone.close(), 20);
      return { status: 201, body: makeWireAction() };
    });
    const res = await ctx.cli.run(['isolate', 'm1', '--comment', 'c', '--wait', '--timeout', '2s'], { ...ctx.creds(), CORDON_SERVER: gone.url });
    expect(res.code).toBe(6);
    const id = 'a1b2c3d4-0000-4000-8000-000000000001';
    expect(res.stderr).toContain('server unreachable; retrying in 0.5s');
    expect(res.stderr).toContain(`cordon: NetworkError: cannot reach ${gone.url}`);
    expect(res.stderr).toContain(`gave up after 2s; action ${id} keeps running on the server; follow it with: cordon actions watch ${id}`);
  });

  it('should exit 6 when a plain command cannot reach the server', async ({ ctx }) => {
    const res = await ctx.cli.run(['actions', 'get', 'a1'], { ...ctx.creds(), CORDON_SERVER: 'http://127.0.0.1:9', CORDON_TOKEN: 't' });
    expect(res.code).toBe(6);
    expect(res.stderr).toMatch(/^cordon: NetworkError: cannot reach http:\/\/127\.0\.0\.1:9/);
  });

  it('on Ctrl-C should say the action keeps running and how to follow it', async ({ ctx }) => {
    ctx.handler = (req) => ({ status: req.method === 'POST' ? 201 : 200, body: makeWireAction() });
    const { argv, env } = ctx.cli.command(['isolate', 'm1', '--comment', 'c', '--wait'], ctx.creds());
    const child = spawn(argv[0]!, argv.slice(1), { env, cwd: ctx.cli.dir });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    // Interrupt once it is polling (the first progress line is out).
    await vi.waitFor(() => expect(ctx.api().filter((r) => r.method === 'GET').length).toBeGreaterThan(0), { timeout: 60_000, interval: 50 });
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    const id = 'a1b2c3d4-0000-4000-8000-000000000001';
    expect(stderr).toContain(`cordon: stopped waiting; action ${id} keeps running on the server; follow it with: cordon actions watch ${id}\n`);
  });
});

describe.concurrent('--wait on a terminal', () => {
  // isolate asks for confirmation on a terminal; --yes keeps these tests on the wait line alone.
  const longName = `build-agent-${'x'.repeat(60)}.ci.corp.example`;

  it.for([80, 120])('should redraw one line that fits %i columns and leave nothing behind', async (columns, { ctx }) => {
    let polls = 0;
    ctx.handler = (req) => {
      if (req.method === 'POST') return { status: 201, body: makeWireAction({ computerDnsName: longName }) };
      polls++;
      return { body: makeWireAction({ computerDnsName: longName, status: polls < 8 ? 'InProgress' : 'Succeeded' }) };
    };
    const { argv, env } = ctx.cli.command(['isolate', 'm1', '--comment', 'c', '--yes', '--wait', '--interval', '200ms'], ctx.creds());
    const { code, drawn } = await runInTerminal(argv, env, columns, ctx.cli.dir);
    expect(code).toBe(0);
    const screen = replay(drawn, columns);
    expect(drawn).toContain('…');
    expect(screen.wraps).toBe(0);
    expect(screen.widest).toBeLessThan(columns);
    expect(screen.widest).toBeGreaterThan(columns - 10);
    expect(screen.rows).toEqual([]);
  });

  it('should leave only the final line when --timeout stops the wait', async ({ ctx }) => {
    ctx.handler = (req) => ({ status: req.method === 'POST' ? 201 : 200, body: makeWireAction({ computerDnsName: longName }) });
    const { argv, env } = ctx.cli.command(['isolate', 'm1', '--comment', 'c', '--yes', '--wait', '--timeout', '1s'], ctx.creds());
    const { code, drawn } = await runInTerminal(argv, env, 80, ctx.cli.dir);
    expect(code).toBe(5);
    const screen = replay(drawn, 80);
    // The final line is printed whole (it stays on screen, so it may wrap); no frame is left.
    expect(screen.rows.join('')).toBe(`still Pending after 1s: Isolate a1b2c3d4-0000-4000-8000-000000000001 on ${longName}: Pending`);
  });
});

describe.concurrent('smaller conveniences', () => {
  it('machines tag should keep every repeated --add and --remove', async ({ ctx }) => {
    ctx.handler = () => ({ body: { id: 'm1', computerDnsName: 'host1', machineTags: ['a', 'b'] } });
    const res = await ctx.cli.run(['machines', 'tag', 'm1', '--add', 'a', '--add', 'b', '--remove', 'old'], ctx.creds());
    expect(res).toMatchObject({ code: 0, stdout: 'host1: tags a, b\n' });
    expect(ctx.api().map((_, i) => ctx.body(i))).toEqual([
      { Value: 'a', Action: 'Add' },
      { Value: 'b', Action: 'Add' },
      { Value: 'old', Action: 'Remove' },
    ]);
  });

  const zip = Buffer.from('PK\u0003\u0004zip');
  const packageServer = (ctx: Ctx, headers: Record<string, string> = {}) => {
    ctx.handler = (req) =>
      req.url.endsWith('getPackageUri')
        ? { body: { value: `${ctx.server.url}/safedownload/p.zip?token=x` } }
        : { body: zip, headers: { 'content-type': 'application/zip', ...headers } };
  };

  it('package download without -o should use the file name the server offers', async ({ ctx }) => {
    packageServer(ctx, { 'content-disposition': 'attachment; filename="a1-package.zip"' });
    const res = await ctx.cli.run(['package', 'download', 'a1', '--json'], ctx.creds());
    expect(JSON.parse(res.stdout)).toEqual({ file: 'a1-package.zip', bytes: 7 });
    expect(await readFile(join(ctx.cli.dir, 'a1-package.zip'))).toEqual(zip);
  });

  it('package download without -o and without a Content-Disposition should use the link path, reduced to a safe name', async ({ ctx }) => {
    packageServer(ctx, { 'content-disposition': 'attachment; filename="../../etc/evil name.zip"' });
    const res = await ctx.cli.run(['package', 'download', 'a1'], ctx.creds());
    expect(res.stdout).toBe('evil_name.zip: 7 B\n');
    expect(await readFile(join(ctx.cli.dir, 'evil_name.zip'))).toEqual(zip);
  });

  it('package download -o - should write the package to stdout and no file', async ({ ctx }) => {
    packageServer(ctx);
    const { argv, env } = ctx.cli.command(['package', 'download', 'a1', '-o', '-'], ctx.creds());
    const out = await new Promise<Buffer>((resolve, reject) =>
      execFile(argv[0]!, argv.slice(1), { env, cwd: ctx.cli.dir, encoding: 'buffer' }, (err, stdout) => (err ? reject(err) : resolve(stdout))),
    );
    expect(out).toEqual(zip);
    await expect(stat(join(ctx.cli.dir, '-'))).rejects.toThrow(/ENOENT/);
  });

  it('actions get should show every field of the action', async ({ ctx }) => {
    const commands = [{ index: 0, startTime: null, endTime: '2026-11-21T10:00:03Z', commandStatus: 'Failed', errors: ['no such file'], command: { type: 'GetFile', params: [{ key: 'Path', value: '/etc/x' }] } }];
    ctx.handler = () => ({ body: makeWireAction({ status: 'Failed', errorMessage: 'no such file', commands, result: { scanned: 3 } }) });
    const res = await ctx.cli.run(['actions', 'get', 'a1'], ctx.creds());
    const lines = res.stdout.split('\n');
    for (const field of ['id', 'type', 'requestor', 'requestorComment', 'status', 'machineId', 'computerDnsName', 'creationDateTimeUtc', 'lastUpdateDateTimeUtc', 'cancellationRequestor', 'errorHResult', 'scope', 'requestSource', 'expirationDateTimeUtc', 'errorMessage']) {
      expect(lines.some((l) => l.startsWith(`${field}:`)), field).toBe(true);
    }
    expect(lines).toContain('  [0] GetFile Path=/etc/x: Failed (ended 2026-11-21T10:00:03Z)');
    expect(lines).toContain('      error: no such file');
    expect(lines).toContain('  scanned: 3');
    expect(lines.find((l) => l.startsWith('requestorComment:'))).toMatch(/^requestorComment:\s+contain$/);
  });

  it('library upload should name --override when the file exists', async ({ ctx }) => {
    ctx.handler = () => mdeError(400, 'InvalidRequestBody', 'A library file named probe.sh already exists; set OverrideIfExists to true to replace it', 'r-7');
    await writeFile(join(ctx.cli.dir, 'probe.sh'), 'echo\n');
    const res = await ctx.cli.run(['library', 'upload', 'probe.sh'], ctx.creds());
    expect(res).toEqual({ code: 1, stdout: '', stderr: 'cordon: InvalidRequestBody: A library file named probe.sh already exists; pass --override to replace it (request r-7)\n' });
  });

  it('login --token should take the tenant from the token when --tenant is not given', async ({ ctx }) => {
    const jwt = ['e30', Buffer.from(JSON.stringify({ tid: 'tenant-from-token' })).toString('base64url'), 'sig'].join('.');
    const res = await ctx.cli.run(['login', '--server', ctx.server.url, '--token', jwt]);
    expect(res).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(await readFile(ctx.cli.profile, 'utf8'))).toEqual({ server: ctx.server.url, tenant: 'tenant-from-token', token: jwt });
    const opaque = await ctx.cli.run(['login', '--server', ctx.server.url, '--token', 'opaque']);
    expect(opaque).toMatchObject({ code: 1, stderr: 'cordon: pass --tenant: the token carries no tid claim\n' });
  });

  it('login --client-id without --client-secret should ask for it at a hidden prompt on a terminal', async ({ ctx }) => {
    const { argv, env } = ctx.cli.command(['login', '--server', ctx.server.url, '--tenant', 't1', '--client-id', 'c1'], {});
    const inner = `stty cols 80 rows 24 && exec ${argv.map((a) => `'${a}'`).join(' ')}`;
    const child = spawn('script', ['-qfec', inner, '/dev/null'], { env, cwd: ctx.cli.dir });
    let drawn = '';
    child.stdout.on('data', (d: Buffer) => (drawn += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await vi.waitFor(() => expect(drawn).toContain('client secret for c1: '), { timeout: 60_000, interval: 50 });
    child.stdin.write('s3cret\r');
    expect(await exited).toBe(0);
    expect(drawn).not.toContain('s3cret');
    expect(ctx.server.requests[0]!.body.toString()).toContain('client_secret=s3cret');
    expect(JSON.parse(await readFile(ctx.cli.profile, 'utf8'))).toMatchObject({ clientId: 'c1', clientSecret: 's3cret' });
  });
});

describe.concurrent('live run results', () => {
  const commands = [
    { index: 0, commandStatus: 'Completed', command: { type: 'RunScript', params: [{ key: 'ScriptName', value: 'probe.sh' }] } },
    { index: 1, commandStatus: 'Completed', command: { type: 'GetFile', params: [{ key: 'Path', value: '/var/log/auth.log' }] } },
    { index: 2, commandStatus: 'Completed', command: { type: 'GetFile', params: [{ key: 'Path', value: '/srv/app/auth.log' }] } },
  ];
  const liveServer = (ctx: Ctx, exitCode: number) => {
    ctx.handler = (req) => {
      if (req.method === 'POST') return { status: 201, body: makeWireAction({ type: 'LiveResponse' }) };
      const link = /GetLiveResponseResultDownloadLink\(index=(\d)\)/.exec(req.url);
      if (link) return { body: { value: `${ctx.server.url}/results/${link[1]}` } };
      if (req.url === '/results/0') return { body: { script_name: 'probe.sh', exit_code: exitCode, script_output: 'out', script_errors: 'err' } };
      if (req.url.startsWith('/results/')) return { body: `file ${req.url.slice(-1)}\n` };
      return { body: makeWireAction({ type: 'LiveResponse', status: 'Succeeded', commands }) };
    };
  };
  const args = ['live', 'run', 'm1', '--comment', 'c', '--script', 'probe.sh', '--get', '/var/log/auth.log', '--get', '/srv/app/auth.log', '--wait', '--interval', '1ms'];

  it('should save both files of the same base name under distinct names', async ({ ctx }) => {
    liveServer(ctx, 0);
    const res = await ctx.cli.run(args, ctx.creds());
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('saved /var/log/auth.log to auth.log\nsaved /srv/app/auth.log to auth-2.log\n');
    expect(await readFile(join(ctx.cli.dir, 'auth.log'), 'utf8')).toBe('file 1\n');
    expect(await readFile(join(ctx.cli.dir, 'auth-2.log'), 'utf8')).toBe('file 2\n');
  });

  it('with --json should still save the files and print the action with the transcripts', async ({ ctx }) => {
    liveServer(ctx, 0);
    const res = await ctx.cli.run([...args, '--json'], ctx.creds());
    expect(res.code).toBe(0);
    const doc = JSON.parse(res.stdout);
    expect(doc.action).toMatchObject({ type: 'LiveResponse', status: 'Succeeded' });
    expect(doc.results).toEqual([
      { index: 0, type: 'RunScript', script_name: 'probe.sh', exit_code: 0, script_output: 'out', script_errors: 'err' },
      { index: 1, type: 'GetFile', path: '/var/log/auth.log', file: 'auth.log' },
      { index: 2, type: 'GetFile', path: '/srv/app/auth.log', file: 'auth-2.log' },
    ]);
    expect(await readFile(join(ctx.cli.dir, 'auth-2.log'), 'utf8')).toBe('file 2\n');
  });

  it('should exit 7 when the action Succeeded but the script exited non-zero', async ({ ctx }) => {
    liveServer(ctx, 3);
    const res = await ctx.cli.run(args, ctx.creds());
    expect(res.code).toBe(7);
    expect(res.stdout).toContain('--- probe.sh (exit 3)\nout\n');
  });
});

describe.concurrent('cordon --version', () => {
  it('should print the version of the cli package', async ({ ctx }) => {
    const { version } = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(await ctx.cli.run(['--version'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });
});

describe.concurrent('-o output formats', () => {
  it('should print JSON, YAML, a table and a wide table of the same rows', async ({ ctx }) => {
    const action = makeWireAction({ requestorComment: 'contain now', errorMessage: 'nft missing', status: 'Failed' });
    ctx.handler = () => ({ body: { value: [action] } });
    const json = await ctx.cli.run(['actions', 'list', '-o', 'json'], ctx.creds());
    expect(JSON.parse(json.stdout)).toEqual([action]);
    const yaml = await ctx.cli.run(['actions', 'list', '-o', 'yaml'], ctx.creds());
    expect(parseYaml(yaml.stdout)).toEqual([action]);
    const table = await ctx.cli.run(['actions', 'list', '-o', 'table'], ctx.creds());
    expect(table.stdout.split('\n')[0]).toMatch(/^ID\s+TYPE\s+STATUS\s+MACHINE\s+CREATED \(UTC\)\s+REQUESTOR$/);
    const wide = await ctx.cli.run(['actions', 'list', '-o', 'wide'], ctx.creds());
    expect(wide.stdout.split('\n')[0]).toMatch(/REQUESTOR\s+UPDATED \(UTC\)\s+COMMENT\s+ERROR$/);
    expect(wide.stdout.split('\n')[1]).toMatch(/contain now\s+nft missing$/);
  });

  it('should print one machine as YAML and refuse an unknown format before sending anything', async ({ ctx }) => {
    const machine = { id: 'm1', computerDnsName: 'host1', machineTags: ['prod'] };
    ctx.handler = () => ({ body: machine });
    expect(parseYaml((await ctx.cli.run(['machines', 'get', 'm1', '-o', 'yaml'], ctx.creds())).stdout)).toEqual(machine);
    const bad = await ctx.cli.run(['machines', 'list', '-o', 'xml'], ctx.creds());
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("argument 'xml' is invalid. Allowed choices are table, wide, json, yaml, tsv.");
    expect(ctx.api()).toHaveLength(1);
  });
});
