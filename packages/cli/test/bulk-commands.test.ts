import { describe, expect, vi } from 'vitest';
import { makeWireAction, mdeError } from '@cordon/api-client/testing';
import { it, type Ctx } from './cli-fixture.js';
import { replay, runInTerminal } from './terminal.js';

/** Each test spawns node (about 1-2 s of CPU per run); leave room on a loaded CI machine. */
vi.setConfig({ testTimeout: 120_000 });

const machine = (n: number, tags: string[] = ['prod']) => ({ id: `m${n}`, computerDnsName: `host-${n}`, machineTags: tags, healthStatus: 'Active', osPlatform: 'Linux', lastSeen: '2026-01-01T00:00:00Z' });
const PROD_FILTER = "machineTags/any(t: t eq 'prod')";

/**
 * A server with `pages` of machines (page 2 reached through @odata.nextLink), that creates an action
 * on each POST except for the machine ids in `refuse`.
 */
function serve(ctx: Ctx, pages: ReturnType<typeof machine>[][], refuse: string[] = []) {
  ctx.handler = (req) => {
    if (req.method === 'GET' && req.url.startsWith('/api/machines?')) {
      const page = new URL(req.url, ctx.server.url).searchParams.get('page');
      const i = page ? Number(page) : 0;
      return { body: { value: pages[i] ?? [], ...(i + 1 < pages.length ? { '@odata.nextLink': `${ctx.server.url}/api/machines?page=${i + 1}` } : {}) } };
    }
    const id = decodeURIComponent(req.url.split('/')[3] ?? '');
    if (refuse.includes(id)) return mdeError(400, 'ActiveRequestAlreadyExists', 'Action is already in progress', `req-${id}`);
    if (req.url.endsWith('/tags')) return { body: machine(Number(id.slice(1)), ['prod', 'pci']) };
    return { status: 201, body: makeWireAction({ id: `action-${id}`, machineId: id }) };
  };
}
const posts = (ctx: Ctx) => ctx.api().filter((r) => r.method === 'POST').map((r) => r.url);
const listQueries = (ctx: Ctx) => ctx.api().filter((r) => r.method === 'GET').map((r) => Object.fromEntries(new URL(r.url, ctx.server.url).searchParams));

describe.concurrent('acting on many machines', () => {
  it('should list every page, send one action per machine, and report each with a summary', async ({ ctx }) => {
    serve(ctx, [[machine(1), machine(2)], [machine(3)]]);
    const res = await ctx.cli.run(['isolate', '--tag', 'prod', '--comment', 'contain', '--yes'], ctx.creds());
    expect(res.code).toBe(0);
    expect(listQueries(ctx)[0]).toEqual({ $filter: PROD_FILTER, $orderby: 'computerDnsName asc' });
    expect(posts(ctx)).toEqual(['/api/machines/m1/isolate', '/api/machines/m2/isolate', '/api/machines/m3/isolate']);
    expect(ctx.api().filter((r) => r.method === 'POST').map((r) => JSON.parse(r.body.toString()))).toEqual([{ Comment: 'contain' }, { Comment: 'contain' }, { Comment: 'contain' }]);
    expect(res.stderr.split('\n')).toEqual([
      'isolate will act on 3 machines: host-1, host-2, host-3',
      '[1/3] host-1: Pending (action action-m1)',
      '[2/3] host-2: Pending (action action-m2)',
      '[3/3] host-3: Pending (action action-m3)',
      '',
    ]);
    expect(res.stdout).toBe('3 machines: 3 sent, 0 refused\n');
  });

  it('should carry on past a refusal, print it, and exit 8 when some were refused', async ({ ctx }) => {
    serve(ctx, [[machine(1), machine(2), machine(3)]], ['m2']);
    const res = await ctx.cli.run(['scan', '--filter', "healthStatus eq 'Active'", '--type', 'Full', '--comment', 'sweep', '--yes', '--json'], ctx.creds());
    expect(res.code).toBe(8);
    expect(listQueries(ctx)[0]).toEqual({ $filter: "healthStatus eq 'Active'", $orderby: 'computerDnsName asc' });
    expect(posts(ctx)).toEqual(['/api/machines/m1/runAntiVirusScan', '/api/machines/m2/runAntiVirusScan', '/api/machines/m3/runAntiVirusScan']);
    expect(res.stderr).toContain('[2/3] host-2: refused: ActiveRequestAlreadyExists: Action is already in progress (request req-m2)\n');
    const doc = JSON.parse(res.stdout) as { results: Array<Record<string, unknown>> };
    expect(doc).toMatchObject({ machines: 3, sent: 2, refused: 1, notSent: 0 });
    expect(doc.results.map((r) => [r.machineId, r.computerDnsName, (r.action as { id?: string } | undefined)?.id ?? r.error])).toEqual([
      ['m1', 'host-1', 'action-m1'],
      ['m2', 'host-2', { code: 'ActiveRequestAlreadyExists', message: 'Action is already in progress', target: 'req-m2' }],
      ['m3', 'host-3', 'action-m3'],
    ]);
  });

  it('should wait out a 429 for as long as Retry-After says and send the same machine again', async ({ ctx }) => {
    serve(ctx, [[machine(1), machine(2)]]);
    const inner = ctx.handler;
    let throttled = 0;
    ctx.handler = (req, server) => {
      if (req.method === 'POST' && req.url.includes('/m2/') && throttled++ === 0) {
        return { ...mdeError(429, 'TooManyRequests', 'Rate limit of 100 calls per minute exceeded; retry after 1 seconds', 'req-429'), headers: { 'retry-after': '1' } };
      }
      return inner(req, server);
    };
    const res = await ctx.cli.run(['isolate', '--tag', 'prod', '--comment', 'contain', '--yes'], ctx.creds());
    expect(res.code).toBe(0);
    expect(posts(ctx)).toEqual(['/api/machines/m1/isolate', '/api/machines/m2/isolate', '/api/machines/m2/isolate']);
    expect(res.stderr).toContain('[2/2] host-2: rate limited by the server; retrying in 1s\n[2/2] host-2: Pending (action action-m2)\n');
    expect(res.stdout).toBe('2 machines: 2 sent, 0 refused\n');
  });

  it('should exit 1 when every machine was refused', async ({ ctx }) => {
    serve(ctx, [[machine(1), machine(2)]], ['m1', 'm2']);
    const res = await ctx.cli.run(['release', '--tag', 'prod', '--comment', 'c', '--yes'], ctx.creds());
    expect(res.code).toBe(1);
    expect(res.stdout).toBe('2 machines: 0 sent, 2 refused\n');
  });

  it('should combine --tag and --filter, and quote the tag as an OData string', async ({ ctx }) => {
    serve(ctx, [[machine(1)]]);
    const res = await ctx.cli.run(['collect', '--tag', "o'brien", '--filter', "startswith(computerDnsName, 'web')", '--comment', 'c', '--yes'], ctx.creds());
    expect(res.code).toBe(0);
    expect(listQueries(ctx)[0]!.$filter).toBe("(startswith(computerDnsName, 'web')) and machineTags/any(t: t eq 'o''brien')");
  });

  it('should refuse many machines without --yes when stdin is not a terminal, sending nothing', async ({ ctx }) => {
    serve(ctx, [[machine(1), machine(2)]]);
    const res = await ctx.cli.run(['unrestrict', '--tag', 'prod', '--comment', 'c'], ctx.creds());
    expect(res.code).toBe(1);
    expect(res.stderr).toBe('unrestrict will act on 2 machines: host-1, host-2\ncordon: acting on 2 machines needs --yes when stdin is not a terminal; nothing was sent\n');
    expect(posts(ctx)).toEqual([]);
  });

  it('should say so and send nothing when no machine matches', async ({ ctx }) => {
    serve(ctx, [[]]);
    const res = await ctx.cli.run(['offboard', '--tag', 'prod', '--comment', 'c', '--yes'], ctx.creds());
    expect(res).toEqual({ code: 1, stdout: '', stderr: `cordon: no machine matches ${PROD_FILTER}; nothing was sent\n` });
    expect(posts(ctx)).toEqual([]);
  });

  it('--dry-run should print every request and send none', async ({ ctx }) => {
    serve(ctx, [[machine(1)], [machine(2)]]);
    const res = await ctx.cli.run(['quarantine', '--tag', 'prod', '--sha1', 'a'.repeat(40), '--comment', 'c', '--dry-run', '--json'], ctx.creds());
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout)).toEqual([
      { method: 'POST', url: `${ctx.server.url}/api/machines/m1/StopAndQuarantineFile`, body: { Comment: 'c', Sha1: 'a'.repeat(40) } },
      { method: 'POST', url: `${ctx.server.url}/api/machines/m2/StopAndQuarantineFile`, body: { Comment: 'c', Sha1: 'a'.repeat(40) } },
    ]);
    expect(res.stderr).toBe('quarantine would act on 2 machines: host-1, host-2\n');
    expect(posts(ctx)).toEqual([]);
  });

  it.for([
    [['isolate', 'm1', '--tag', 'prod', '--comment', 'c'], 'cordon: name one machine, or choose machines with --tag/--filter, not both'],
    [['isolate', '--comment', 'c'], 'cordon: name a machine, or choose machines with --tag <tag> or --filter <odata>'],
    [['isolate', '--tag', 'prod', '--comment', 'c', '--wait', '--yes'], 'cordon: --wait follows one action: with --tag/--filter, follow each with cordon actions watch <id>, or cordon actions list --status Pending'],
  ] as const)('should refuse %j before sending anything', async ([args, message], { ctx }) => {
    serve(ctx, [[machine(1)]]);
    const res = await ctx.cli.run([...args], ctx.creds());
    expect(res).toEqual({ code: 1, stdout: '', stderr: `${message}\n` });
    expect(ctx.server.requests).toEqual([]);
  });

  it('should show at most ten names, then how many more', async ({ ctx }) => {
    serve(ctx, [Array.from({ length: 12 }, (_, i) => machine(i + 1))]);
    const res = await ctx.cli.run(['restrict', '--tag', 'prod', '--comment', 'c'], ctx.creds());
    expect(res.stderr.split('\n')[0]).toBe('restrict will act on 12 machines: host-1, host-2, host-3, host-4, host-5, host-6, host-7, host-8, host-9, host-10, … and 2 more');
  });

  it('should ask on a terminal for any verb, and send nothing when declined', async ({ ctx }) => {
    serve(ctx, [[machine(1), machine(2)]]);
    const { argv, env } = ctx.cli.command(['scan', '--tag', 'prod', '--comment', 'c'], ctx.creds());
    const declined = await runInTerminal(argv, env, 120, ctx.cli.dir, 'n\n');
    const screen = replay(declined.drawn, 120).rows.join('\n');
    expect(screen).toContain('scan will act on 2 machines: host-1, host-2');
    expect(screen).toContain('Proceed? [y/N]');
    expect(screen).toContain('cordon: not confirmed; nothing was sent');
    expect(declined.code).toBe(1);
    expect(posts(ctx)).toEqual([]);

    const accepted = await runInTerminal(argv, env, 120, ctx.cli.dir, 'y\n');
    expect(accepted.code).toBe(0);
    expect(posts(ctx)).toEqual(['/api/machines/m1/runAntiVirusScan', '/api/machines/m2/runAntiVirusScan']);
  });

  it('machines tag should tag every chosen machine, one call per tag', async ({ ctx }) => {
    serve(ctx, [[machine(1), machine(2)]]);
    const res = await ctx.cli.run(['machines', 'tag', '--tag', 'prod', '--add', 'pci', '--remove', 'old', '--yes'], ctx.creds());
    expect(res.code).toBe(0);
    expect(posts(ctx)).toEqual(['/api/machines/m1/tags', '/api/machines/m1/tags', '/api/machines/m2/tags', '/api/machines/m2/tags']);
    expect(ctx.api().filter((r) => r.method === 'POST').map((r) => JSON.parse(r.body.toString()))).toEqual([
      { Value: 'pci', Action: 'Add' },
      { Value: 'old', Action: 'Remove' },
      { Value: 'pci', Action: 'Add' },
      { Value: 'old', Action: 'Remove' },
    ]);
    expect(res.stderr).toContain('[2/2] host-2: tags prod, pci\n');
    expect(res.stdout).toBe('2 machines: 2 sent, 0 refused\n');
  });

  it('machines tag --dry-run should print every request of one machine and send nothing', async ({ ctx }) => {
    const res = await ctx.cli.run(['machines', 'tag', 'web 01', '--add', 'prod', '--remove', 'staging', '--dry-run'], ctx.creds());
    expect(res.code).toBe(0);
    expect(res.stdout).toBe(
      `POST ${ctx.server.url}/api/machines/web%2001/tags\n${JSON.stringify({ Value: 'prod', Action: 'Add' }, null, 2)}\nPOST ${ctx.server.url}/api/machines/web%2001/tags\n${JSON.stringify({ Value: 'staging', Action: 'Remove' }, null, 2)}\n`,
    );
    expect(ctx.server.requests).toEqual([]);
  });
});
