import { describe, expect, vi } from 'vitest';
import { makeWireAction } from '@cordon/api-client/testing';
import { it, type Ctx } from './cli-fixture.js';
import { runInTerminal } from './terminal.js';

/** Each test spawns node (about 1-2 s of CPU per run); leave room on a loaded CI machine. */
vi.setConfig({ testTimeout: 120_000 });

const GREEN_SUCCEEDED = '\x1b[32mSucceeded\x1b[39m';
const RED_FAILED = '\x1b[31mFailed\x1b[39m';

const twoActions = (ctx: Ctx) => {
  ctx.handler = () => ({ body: { value: [makeWireAction({ status: 'Succeeded' }), makeWireAction({ id: 'a2', status: 'Failed' })] } });
};

describe.concurrent('colour', () => {
  it('should colour status words in a table on a terminal', async ({ ctx }) => {
    twoActions(ctx);
    const { argv, env } = ctx.cli.command(['actions', 'list'], { ...ctx.creds(), NO_COLOR: '' });
    const { code, drawn } = await runInTerminal(argv, env, 200, ctx.cli.dir, '', 'terminal');
    expect(code).toBe(0);
    // Padding goes outside the colour, so the next column lines up: STATUS is 9 wide (Succeeded).
    expect(drawn).toContain(`${GREEN_SUCCEEDED}  host1`);
    expect(drawn).toContain(`${RED_FAILED}     host1`);
    expect(drawn).toContain(`${'ID'.padEnd(36)}  TYPE     STATUS     MACHINE`);
  });

  it('should print no colour on a terminal when NO_COLOR is set', async ({ ctx }) => {
    twoActions(ctx);
    const { argv, env } = ctx.cli.command(['actions', 'list'], { ...ctx.creds(), NO_COLOR: '1' });
    const { code, drawn } = await runInTerminal(argv, env, 200, ctx.cli.dir, '', 'terminal');
    expect(code).toBe(0);
    expect(drawn).toContain('Succeeded');
    expect(drawn).not.toContain('\x1b[');
  });

  it('should print no colour into a pipe, unless FORCE_COLOR asks for it', async ({ ctx }) => {
    twoActions(ctx);
    const piped = await ctx.cli.run(['actions', 'list'], { ...ctx.creds(), NO_COLOR: '' });
    expect(piped.code).toBe(0);
    expect(piped.stdout).toContain('Succeeded');
    expect(piped.stdout).not.toContain('\x1b[');
    const forced = await ctx.cli.run(['actions', 'list'], { ...ctx.creds(), NO_COLOR: '', FORCE_COLOR: '1' });
    expect(forced.stdout).toContain(GREEN_SUCCEEDED);
  });

  it('should colour the status in the detail view and in wait lines on a terminal', async ({ ctx }) => {
    ctx.handler = (req) => ({ status: req.method === 'POST' ? 201 : 200, body: makeWireAction({ status: req.method === 'POST' ? 'Pending' : 'Succeeded' }) });
    const detail = await runInTerminal(...withArgs(ctx, ['actions', 'get', 'a1']), 200, ctx.cli.dir, '', 'terminal');
    expect(detail.drawn).toMatch(new RegExp(`status: +${GREEN_SUCCEEDED.replace(/\[/g, '\\[')}`));
    // Wait lines go to stderr: coloured there on a terminal (stdout is discarded here).
    const wait = await runInTerminal(...withArgs(ctx, ['isolate', 'm1', '--comment', 'c', '--yes', '--wait']), 200, ctx.cli.dir);
    expect(wait.code).toBe(0);
    expect(wait.drawn).toContain('\x1b[36mPending\x1b[39m');
  });
});

function withArgs(ctx: Ctx, args: string[]): [string[], Record<string, string>] {
  const { argv, env } = ctx.cli.command(args, { ...ctx.creds(), NO_COLOR: '' });
  return [argv, env];
}

describe.concurrent('--query', () => {
  it('should apply a JMESPath expression to the JSON of a list and print the result as JSON', async ({ ctx }) => {
    twoActions(ctx);
    const res = await ctx.cli.run(['actions', 'list', '--query', "[?status=='Failed'].{id: id, status: status}"], ctx.creds());
    expect(res).toEqual({ code: 0, stderr: '', stdout: `${JSON.stringify([{ id: 'a2', status: 'Failed' }], null, 2)}\n` });
  });

  it('should apply it to one entity, and print YAML with -o yaml', async ({ ctx }) => {
    ctx.handler = () => ({ body: { id: 'm1', computerDnsName: 'web01', machineTags: ['prod', 'pci'] } });
    expect((await ctx.cli.run(['machines', 'get', 'm1', '--query', 'computerDnsName'], ctx.creds())).stdout).toBe('"web01"\n');
    expect((await ctx.cli.run(['machines', 'get', 'm1', '--query', 'machineTags', '-o', 'yaml'], ctx.creds())).stdout).toBe('- prod\n- pci\n');
  });

  it('should print -o tsv unquoted, one row per line and fields split by tabs, for shell loops', async ({ ctx }) => {
    twoActions(ctx);
    expect((await ctx.cli.run(['actions', 'list', '--query', '[].id', '-o', 'tsv'], ctx.creds())).stdout).toBe('a1b2c3d4-0000-4000-8000-000000000001\na2\n');
    expect((await ctx.cli.run(['actions', 'list', '--query', '[].[id, status, errorMessage]', '-o', 'tsv'], ctx.creds())).stdout).toBe('a1b2c3d4-0000-4000-8000-000000000001\tSucceeded\t\na2\tFailed\t\n');
  });

  it.for([
    ['a syntax error', '[?status==', 'Syntax error'],
    ['an unknown function', 'no_such_fn(@)', 'unknown function no_such_fn()'],
  ])('should refuse %s with exit 1 before any request', async ([, expression, why], { ctx }) => {
    twoActions(ctx);
    const res = await ctx.cli.run(['actions', 'list', '--query', expression!], ctx.creds());
    expect(res.code).toBe(1);
    expect(res.stdout).toBe('');
    expect(res.stderr).toContain(`error: option '--query <jmespath>' argument '${expression}' is invalid. not a JMESPath expression: `);
    expect(res.stderr).toContain(why);
    expect(ctx.server.requests).toEqual([]);
  });
});
