import { describe, expect, vi } from 'vitest';
import { ACTION_SPECS } from '@cordon/protocol';
import { makeWireAction } from '@cordon/api-client/testing';
import { it, type Ctx } from './cli-fixture.js';
import { replay, runInTerminal } from './terminal.js';

/** Each test spawns node (about 1-2 s of CPU per run); leave room on a loaded CI machine. */
vi.setConfig({ testTimeout: 120_000 });

/** Flags a verb needs besides --comment. */
const EXTRA: Record<string, string[]> = { quarantine: ['--sha1', 'a'.repeat(40)] };
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
