import { describe, expect, vi } from 'vitest';
import { ACTION_SPECS } from '@cordon/protocol';
import { it } from './cli-fixture.js';

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
