import { describe, expect, vi } from 'vitest';
import { ACTION_SPECS } from '@cordon/protocol';
import { makeWireAction, mdeError } from '@cordon/api-client/testing';
import { it, type Ctx } from './cli-fixture.js';
import { replay, runInTerminal } from './terminal.js';

/** Each test spawns node (about 1-2 s of CPU per run); leave room on a loaded CI machine. */
vi.setConfig({ testTimeout: 120_000 });

/** Flags a verb needs besides --comment. */
const EXTRA: Record<string, string[]> = { quarantine: ['--sha1', 'a'.repeat(40)], restore: ['--sha1', 'a'.repeat(40)] };
const VERBS = ACTION_SPECS.flatMap((s) => (s.cli ? [[s.cli.verb, s.segment] as const] : []));

describe.concurrent('--dry-run', () => {
  it.for(VERBS)('%s --dry-run should print the request and send nothing', async ([verb, segment], { ctx }) => {
    const res = await ctx.cli.run([verb, 'host 1', '--comment', 'c', ...(EXTRA[verb] ?? []), '--dry-run'], ctx.creds());
    expect(res).toMatchObject({ code: 0, stderr: '' });
    const [line, ...body] = res.stdout.split('\n');
    expect(line).toBe(`POST ${ctx.server.url}/api/machines/host%201/${segment}`);
    expect(JSON.parse(body.join('\n'))).toMatchObject({ Comment: 'c' });
    expect(ctx.server.requests).toEqual([]);
  });

  it('should print the body with the flags given, as one JSON document with --json', async ({ ctx }) => {
    const res = await ctx.cli.run(['isolate', 'm1', '--comment', 'contain', '--type', 'Selective', '--dry-run', '--json'], ctx.creds());
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout)).toEqual({ method: 'POST', url: `${ctx.server.url}/api/machines/m1/isolate`, body: { Comment: 'contain', IsolationType: 'Selective' } });
    expect(ctx.server.requests).toEqual([]);
  });

  it('live run --dry-run should print the live response request and send nothing', async ({ ctx }) => {
    const res = await ctx.cli.run(['live', 'run', 'm1', '--comment', 'lr', '--script', 's.sh', '--args', '-x', '--get', '/etc/hosts', '--wait', '--dry-run', '--json'], ctx.creds());
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout)).toEqual({
      method: 'POST',
      url: `${ctx.server.url}/api/machines/m1/runliveresponse`,
      body: {
        Commands: [
          { type: 'RunScript', params: [{ key: 'ScriptName', value: 's.sh' }, { key: 'Args', value: '-x' }] },
          { type: 'GetFile', params: [{ key: 'Path', value: '/etc/hosts' }] },
        ],
        Comment: 'lr',
      },
    });
    expect(ctx.server.requests).toEqual([]);
  });
});

describe.concurrent('confirming a destructive verb', () => {
  const CONFIRMED = ACTION_SPECS.flatMap((s) => (s.cli?.confirm ? [s.cli.verb] : []));
  const machine = { id: 'f00dbabe00000000000000000000000000000001', computerDnsName: 'db-prod-1' };
  /** GET of the machine answers `machine`; the POST answers a new action. */
  const serve = (ctx: Ctx) => {
    ctx.handler = (req) => (req.method === 'GET' ? { body: machine } : { status: 201, body: makeWireAction() });
  };
  const inTerminal = (ctx: Ctx, args: string[], input: string) => {
    const { argv, env } = ctx.cli.command(args, ctx.creds());
    return runInTerminal(argv, env, 120, ctx.cli.dir, input);
  };

  it('should ask for exactly isolate, restrict, offboard and quarantine', () => {
    expect(CONFIRMED.sort()).toEqual(['isolate', 'offboard', 'quarantine', 'restrict']);
  });

  it.for(CONFIRMED)('%s on a terminal should show the machine, ask, and send nothing when declined', async (verb, { ctx }) => {
    serve(ctx);
    const { code, drawn } = await inTerminal(ctx, [verb, 'db-prod-1', '--comment', 'c', ...(EXTRA[verb] ?? [])], 'n\n');
    const screen = replay(drawn, 120).rows.join('\n');
    expect(screen).toContain(`${verb} will act on db-prod-1 (id ${machine.id})`);
    expect(screen).toContain('Proceed? [y/N]');
    expect(screen).toContain('cordon: not confirmed; nothing was sent');
    expect(code).toBe(1);
    expect(ctx.api().map((r) => `${r.method} ${r.url}`)).toEqual(['GET /api/machines/db-prod-1']);
  });

  it('should send the action to the machine id shown when the answer is y', async ({ ctx }) => {
    serve(ctx);
    const { code, drawn } = await inTerminal(ctx, ['isolate', 'db-prod-1', '--comment', 'c'], 'y\n');
    expect(replay(drawn, 120).rows.join('\n')).toContain('Proceed? [y/N]');
    expect(code).toBe(0);
    expect(ctx.api().map((r) => `${r.method} ${r.url}`)).toEqual(['GET /api/machines/db-prod-1', `POST /api/machines/${machine.id}/isolate`]);
  });

  it('should not ask with --yes', async ({ ctx }) => {
    serve(ctx);
    const { code, drawn } = await inTerminal(ctx, ['offboard', 'db-prod-1', '--comment', 'c', '--yes'], '');
    expect(drawn).not.toContain('Proceed?');
    expect(code).toBe(0);
    expect(ctx.api().map((r) => `${r.method} ${r.url}`)).toEqual(['POST /api/machines/db-prod-1/offboard']);
  });

  it('should not ask for a verb that is not destructive', async ({ ctx }) => {
    serve(ctx);
    const { code, drawn } = await inTerminal(ctx, ['scan', 'db-prod-1', '--comment', 'c'], '');
    expect(drawn).not.toContain('Proceed?');
    expect(code).toBe(0);
    expect(ctx.api().map((r) => `${r.method} ${r.url}`)).toEqual(['POST /api/machines/db-prod-1/runAntiVirusScan']);
  });

  it('should never ask when stdin is not a terminal', async ({ ctx }) => {
    serve(ctx);
    const res = await ctx.cli.run(['isolate', 'db-prod-1', '--comment', 'c'], ctx.creds());
    expect(res).toMatchObject({ code: 0, stderr: '' });
    expect(ctx.api().map((r) => `${r.method} ${r.url}`)).toEqual(['POST /api/machines/db-prod-1/isolate']);
  });
});

describe.concurrent('errors under --json and -o json', () => {
  it('should print a server refusal as the JSON error envelope, exit 1', async ({ ctx }) => {
    ctx.handler = () => mdeError(400, 'ActiveRequestAlreadyExists', 'Action is already in progress', 'req-42');
    const res = await ctx.cli.run(['isolate', 'm1', '--comment', 'c', '--json'], ctx.creds());
    expect(res).toEqual({ code: 1, stdout: '', stderr: '{"error":{"code":"ActiveRequestAlreadyExists","message":"Action is already in progress","target":"req-42"}}\n' });
  });

  it('should print an unreachable server as JSON under -o json, keeping exit 6', async ({ ctx }) => {
    const res = await ctx.cli.run(['machines', 'list', '-o', 'json'], { ...ctx.creds(), CORDON_SERVER: 'http://127.0.0.1:1' });
    expect(res.code).toBe(6);
    expect(JSON.parse(res.stderr)).toEqual({ error: { code: 'NetworkError', message: expect.stringContaining('cannot reach http://127.0.0.1:1') } });
  });

  it('should print an error of the CLI itself as CliError', async ({ ctx }) => {
    const res = await ctx.cli.run(['live', 'run', 'm1', '--comment', 'c', '--json'], ctx.creds());
    expect(res).toEqual({ code: 1, stdout: '', stderr: '{"error":{"code":"CliError","message":"nothing to do: pass --put, --script and/or --get"}}\n' });
    expect(ctx.server.requests).toEqual([]);
  });

  it.for([
    [['isolate', 'm1', '--json'], 'UsageError', "required option '--comment <text>' not specified"],
    [['isolate', 'm1', '--comment', 'c', '--timeout', '5s', '--json'], 'UsageError', '--timeout only apply with --wait'],
    [['isolate', 'm1', '--comment', 'c', '--wait', '--timeout', '1x', '-o', 'json'], 'UsageError', "option '--timeout <duration>' argument '1x' is invalid"],
    [['machines', 'list', '-o', 'json', '--top', '-1'], 'UsageError', '--top must be a whole number'],
  ] as const)('should print the usage error of %j as JSON alone (no help text), exit 1', async ([args, code, message], { ctx }) => {
    const res = await ctx.cli.run([...args], ctx.creds());
    expect(res.code).toBe(1);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    const { error } = JSON.parse(res.stderr) as { error: { code: string; message: string } };
    expect(error.message).toContain(message);
    expect(error.code).toBe(code);
    expect(ctx.server.requests).toEqual([]);
  });

  it('should keep the one-line text error without --json', async ({ ctx }) => {
    ctx.handler = () => mdeError(400, 'ActiveRequestAlreadyExists', 'Action is already in progress', 'req-42');
    const res = await ctx.cli.run(['isolate', 'm1', '--comment', 'c'], ctx.creds());
    expect(res).toEqual({ code: 1, stdout: '', stderr: 'cordon: ActiveRequestAlreadyExists: Action is already in progress (request req-42)\n' });
  });
});
