import { describe, expect, vi } from 'vitest';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { mdeError } from '@cordon/api-client/testing';
import { parse as parseYaml } from 'yaml';
import { it, type Ctx } from './cli-fixture.js';
import { runInTerminal } from './terminal.js';

/** Each test spawns node (about 1-2 s of CPU per run); leave room on a loaded CI machine. */
vi.setConfig({ testTimeout: 120_000 });

const SETTINGS = {
  '@odata.context': 'http://cordon.test/api/$metadata#CordonSettings/$entity',
  isolationExceptions: ['192.0.2.10:443'],
  executionAllowList: [],
  scanSignatures: { hashes: [], yara: [] },
  scanCpuPercent: 50,
  quarantineSearchPaths: [],
  remediationLevel: 'Full',
  scanExclusions: [],
  lastUpdateTime: '2026-11-21T10:00:00.0000000Z',
};
const { '@odata.context': _c, lastUpdateTime: _u, ...EDITABLE } = SETTINGS;

/** Answers GET with SETTINGS and PUT with what was sent (or with `refuse` for the first PUTs). */
function serve(ctx: Ctx, refusals = 0) {
  let refused = 0;
  ctx.handler = (req) => {
    if (req.method === 'GET') return { body: SETTINGS };
    if (refused++ < refusals) return mdeError(400, 'InvalidRequestBody', "isolationExceptions[0]: 'not-an-ip' is not an IP address or CIDR");
    return { body: { ...SETTINGS, ...(JSON.parse(req.body.toString()) as object) } };
  };
}

/** An $EDITOR: a shell script that runs `body` with the file as $1. */
async function editor(ctx: Ctx, body: string): Promise<string> {
  const path = join(ctx.cli.dir, 'edit.sh');
  await writeFile(path, `#!/bin/sh\n${body}\n`);
  await chmod(path, 0o755);
  return path;
}

const puts = (ctx: Ctx) => ctx.api().filter((r) => r.method === 'PUT');

describe.concurrent('cordon settings get', () => {
  it('should print YAML by default and JSON with -o json', async ({ ctx }) => {
    serve(ctx);
    const yaml = await ctx.cli.run(['settings', 'get'], ctx.creds());
    expect(yaml.code).toBe(0);
    expect(parseYaml(yaml.stdout)).toEqual(SETTINGS);
    const json = await ctx.cli.run(['settings', 'get', '-o', 'json'], ctx.creds());
    expect(JSON.parse(json.stdout)).toEqual(SETTINGS);
    expect(ctx.api().map((r) => `${r.method} ${r.url}`)).toEqual(['GET /api/cordon/settings', 'GET /api/cordon/settings']);
  });
});

describe.concurrent('cordon settings edit', () => {
  it('should PUT the edited document', async ({ ctx }) => {
    serve(ctx);
    const EDITOR = await editor(ctx, `sed -i 's/^scanCpuPercent: 50$/scanCpuPercent: 30/' "$1"`);
    const res = await ctx.cli.run(['settings', 'edit'], { ...ctx.creds(), EDITOR, VISUAL: '' });
    expect(res).toMatchObject({ code: 0, stdout: 'settings saved\n' });
    expect(puts(ctx)).toHaveLength(1);
    expect(JSON.parse(puts(ctx)[0]!.body.toString())).toEqual({ ...EDITABLE, scanCpuPercent: 30 });
  });

  it('should edit JSON with --format json, preferring $VISUAL', async ({ ctx }) => {
    serve(ctx);
    const VISUAL = await editor(ctx, `sed -i 's/"remediationLevel": "Full"/"remediationLevel": "None"/' "$1"`);
    const res = await ctx.cli.run(['settings', 'edit', '--format', 'json', '--json'], { ...ctx.creds(), VISUAL, EDITOR: 'false' });
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout).remediationLevel).toBe('None');
    expect(JSON.parse(puts(ctx)[0]!.body.toString())).toEqual({ ...EDITABLE, remediationLevel: 'None' });
  });

  it('should send nothing when the document is unchanged', async ({ ctx }) => {
    serve(ctx);
    const res = await ctx.cli.run(['settings', 'edit'], { ...ctx.creds(), EDITOR: 'true', VISUAL: '' });
    expect(res).toMatchObject({ code: 0, stdout: 'no changes; nothing was sent\n' });
    expect(puts(ctx)).toEqual([]);
  });

  it("should show the server's refusal and keep the edited text in the file it names", async ({ ctx }) => {
    serve(ctx, 1);
    const EDITOR = await editor(ctx, `sed -i 's/192.0.2.10:443/not-an-ip/' "$1"`);
    const res = await ctx.cli.run(['settings', 'edit'], { ...ctx.creds(), EDITOR, VISUAL: '' });
    expect(res.code).toBe(1);
    expect(res.stderr).toContain("cordon: InvalidRequestBody: isolationExceptions[0]: 'not-an-ip' is not an IP address or CIDR");
    const kept = /your edits are kept in (\S+)/.exec(res.stderr)![1]!;
    expect(parseYaml(await readFile(kept, 'utf8')).isolationExceptions).toEqual(['not-an-ip']);
  });

  it('should refuse a document that is not YAML without sending it', async ({ ctx }) => {
    serve(ctx);
    const EDITOR = await editor(ctx, `printf 'scanCpuPercent: [30\\n' > "$1"`);
    const res = await ctx.cli.run(['settings', 'edit'], { ...ctx.creds(), EDITOR, VISUAL: '' });
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('the document is not valid YAML');
    expect(puts(ctx)).toEqual([]);
  });

  it('should offer to edit again on a terminal after a refusal', async ({ ctx }) => {
    serve(ctx, 1);
    // First run breaks the document, the second fixes it.
    const EDITOR = await editor(ctx, `if [ -e "$1.once" ]; then sed -i 's/not-an-ip/10.0.0.0\\/8/' "$1"; else touch "$1.once"; sed -i 's/192.0.2.10:443/not-an-ip/' "$1"; fi`);
    const { argv, env } = ctx.cli.command(['settings', 'edit'], { ...ctx.creds(), EDITOR, VISUAL: '' });
    const res = await runInTerminal(argv, env, 120, ctx.cli.dir, 'y\n');
    expect(res.code).toBe(0);
    expect(res.drawn).toContain('Edit again? [y/N]');
    expect(puts(ctx).map((r) => (JSON.parse(r.body.toString()) as { isolationExceptions: string[] }).isolationExceptions)).toEqual([['not-an-ip'], ['10.0.0.0/8']]);
  });
});

describe.concurrent('cordon settings set', () => {
  it.for([
    [['scanCpuPercent', '30'], { scanCpuPercent: 30 }],
    [['remediationLevel', 'None'], { remediationLevel: 'None' }],
    [['isolationExceptions', '--add', '10.0.0.0/8'], { isolationExceptions: ['192.0.2.10:443', '10.0.0.0/8'] }],
    [['isolationExceptions', '--remove', '192.0.2.10:443'], { isolationExceptions: [] }],
    [['scanSignatures.hashes', '--add', `sha256:${'a'.repeat(64)}:68:Name`], { scanSignatures: { hashes: [`sha256:${'a'.repeat(64)}:68:Name`], yara: [] } }],
  ] as const)('set %j should GET, change that key and PUT the whole document', async ([args, change], { ctx }) => {
    serve(ctx);
    const res = await ctx.cli.run(['settings', 'set', ...args], ctx.creds());
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(new RegExp(`^${args[0]!.replace('.', '\\.')}: `));
    expect(ctx.api().map((r) => r.method)).toEqual(['GET', 'PUT']);
    expect(JSON.parse(puts(ctx)[0]!.body.toString())).toEqual({ ...EDITABLE, ...change });
  });

  it('--dry-run should print the PUT and send only the GET', async ({ ctx }) => {
    serve(ctx);
    const res = await ctx.cli.run(['settings', 'set', 'executionAllowList', '--add', '/usr/bin/tool', '--dry-run', '--json'], ctx.creds());
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout)).toEqual({ method: 'PUT', url: `${ctx.server.url}/api/cordon/settings`, body: { ...EDITABLE, executionAllowList: ['/usr/bin/tool'] } });
    expect(puts(ctx)).toEqual([]);
  });

  it.for([
    [['noSuchKey', '1'], "unknown setting 'noSuchKey'"],
    [['scanCpuPercent', 'thirty'], "scanCpuPercent takes a whole number, not 'thirty'"],
    [['scanCpuPercent', '--add', '3'], 'scanCpuPercent is not a list'],
    [['isolationExceptions', '10.0.0.0/8'], 'isolationExceptions is a list: use --add'],
    [['isolationExceptions', '--remove', '203.0.113.1'], 'not in isolationExceptions: 203.0.113.1; nothing was sent'],
  ] as const)('set %j should be refused without a PUT', async ([args, message], { ctx }) => {
    serve(ctx);
    const res = await ctx.cli.run(['settings', 'set', ...args], ctx.creds());
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(message);
    // Only an item to remove needs the current list; every other mistake is found before any request.
    expect(ctx.api().map((r) => r.method)).toEqual((args as readonly string[]).includes('--remove') ? ['GET'] : []);
  });

  it('--help of each settings command should show examples', async ({ ctx }) => {
    for (const sub of ['get', 'edit', 'set']) expect((await ctx.cli.run(['settings', sub, '--help'])).stdout).toContain(`Examples:\n  cordon settings ${sub}`);
  });
});
