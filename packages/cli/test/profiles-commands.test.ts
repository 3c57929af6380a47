import { describe, expect, vi } from 'vitest';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { mdeError, tokenReply, type FakeHandler } from '@cordon/api-client/testing';
import { it, type Ctx } from './cli-fixture.js';

/** Each test spawns node up to a dozen times (about 1-2 s of CPU per run); leave room on a loaded CI machine. */
vi.setConfig({ testTimeout: 300_000 });

/** A JWT the CLI can read `exp` from (the fake server does not check signatures). */
const jwt = (claims: Record<string, unknown>) => ['e30', Buffer.from(JSON.stringify(claims)).toString('base64url'), 'sig'].join('.');
const inAnHour = Math.floor(Date.now() / 1000) + 3600;

/** Profiles under a private XDG_CONFIG_HOME; CORDON_PROFILE (set by the sandbox to a file) is cleared. */
function xdg(ctx: Ctx): { env: Record<string, string>; dir: string } {
  const home = join(ctx.cli.dir, 'xdg');
  return { env: { XDG_CONFIG_HOME: home, CORDON_PROFILE: '' }, dir: join(home, 'cordon') };
}

/** The web UI's session endpoints, as the server answers them for alice. */
const sessionServer: FakeHandler = (req) => {
  if (req.method === 'POST' && req.url === '/ui/session') return { body: { user: { name: 'alice' }, tenantId: 't1', csrfToken: 'csrf-1' }, headers: { 'set-cookie': 'cordon_session=abc; Path=/; HttpOnly' } };
  if (req.method === 'POST' && req.url === '/ui/session/token') return { body: { token_type: 'Bearer', access_token: jwt({ exp: inAnHour, tid: 't1' }), expires_on: inAnHour } };
  if (req.method === 'DELETE' && req.url === '/ui/session') return { status: 204 };
  return mdeError(404, 'ResourceNotFound', `no ${req.method} ${req.url}`);
};

const mode = async (path: string) => (await stat(path)).mode & 0o777;

describe.concurrent('cordon profiles', () => {
  it('should create named profiles with login, list them, switch, report status and log out', async ({ ctx }) => {
    const { env, dir } = xdg(ctx);
    ctx.handler = sessionServer;
    const work = await ctx.cli.run(['login', '--profile', 'work', '--server', ctx.server.url, '--tenant', 't1', '--client-id', 'c1', '--client-secret', 's3cret'], env);
    expect(work.code).toBe(0);
    const workPath = join(dir, 'profiles', 'work.json');
    // No D-Bus session bus here, so the keyring cannot answer and the file keeps the secret.
    expect(work.stdout).toMatch(new RegExp(`^signed in to ${ctx.server.url} \\(tenant t1\\) as application c1; profile work \\(${workPath}\\) saved \\(current\\)\nclient secret stored in ${workPath} \\(mode 0600\\): no OS keyring \\(.+\\)\n$`));
    expect(await mode(workPath)).toBe(0o600);
    expect(await mode(dir)).toBe(0o700);
    expect(await mode(join(dir, 'profiles'))).toBe(0o700);
    expect(JSON.parse(await readFile(join(dir, 'config.json'), 'utf8'))).toEqual({ current: 'work' });
    expect(await mode(join(dir, 'config.json'))).toBe(0o600);

    const lab = await ctx.cli.run(['login', '--profile', 'lab', '--server', ctx.server.url, '--user', 'alice', '--password', 'pw'], env);
    expect(lab.code).toBe(0);
    expect(lab.stdout).toContain('as user alice; profile lab');
    expect(lab.stdout).not.toContain('(current)');
    expect(lab.stdout).toContain('session cookie stored in');

    const list = await ctx.cli.run(['profiles', 'list'], env);
    expect(list.code).toBe(0);
    expect(list.stdout.split('\n').map((l) => l.trimEnd())).toEqual([
      `CURRENT  NAME  SERVER${' '.repeat(ctx.server.url.length - 6)}  TENANT  SIGNED IN AS    SECRETS`,
      `         lab   ${ctx.server.url}  t1      user alice      profile file`,
      `*        work  ${ctx.server.url}  t1      application c1  profile file`,
      '',
    ]);

    expect(await ctx.cli.run(['profiles', 'use', 'lab'], env)).toMatchObject({ code: 0, stdout: 'current profile: lab\n' });
    const json = await ctx.cli.run(['profiles', 'list', '-o', 'json'], env);
    expect(JSON.parse(json.stdout)).toEqual([
      { name: 'lab', current: true, path: join(dir, 'profiles', 'lab.json'), server: ctx.server.url, tenant: 't1', signIn: 'user alice', secretStore: 'file' },
      { name: 'work', current: false, path: workPath, server: ctx.server.url, tenant: 't1', signIn: 'application c1', secretStore: 'file' },
    ]);

    const status = await ctx.cli.run(['auth', 'status', '-o', 'json'], env);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toEqual({
      profile: 'lab',
      path: join(dir, 'profiles', 'lab.json'),
      server: ctx.server.url,
      tenant: 't1',
      method: 'user',
      clientId: null,
      user: 'alice',
      secretStore: 'file',
      signedIn: true,
      tokenExpiresAt: new Date(inAnHour * 1000).toISOString(),
      error: null,
    });

    const before = ctx.api().length;
    const out = await ctx.cli.run(['logout'], env);
    expect(out).toEqual({ code: 0, stderr: '', stdout: `ended the session of alice on ${ctx.server.url}\nremoved the session cookie from ${join(dir, 'profiles', 'lab.json')}\n` });
    const deleted = ctx.api()[before]!;
    expect([deleted.method, deleted.url, deleted.headers.cookie, deleted.headers['x-cordon-csrf']]).toEqual(['DELETE', '/ui/session', 'cordon_session=abc', 'csrf-1']);
    expect(JSON.parse(await readFile(join(dir, 'profiles', 'lab.json'), 'utf8'))).toEqual({ server: ctx.server.url, tenant: 't1', user: 'alice' });

    const after = await ctx.cli.run(['auth', 'status'], env);
    expect(after.code).toBe(1);
    expect(after.stdout).toContain('token:        not signed in: profile lab');
    expect((await ctx.cli.run(['profiles', 'list', '--query', "[?name=='lab'].signIn | [0]"], env)).stdout).toBe('null\n');
  });

  it('should show the application, where its secret is and the token expiry in auth status', async ({ ctx }) => {
    const { env } = xdg(ctx);
    ctx.tokenHandler = () => tokenReply(jwt({ exp: inAnHour }));
    await ctx.cli.run(['login', '--server', ctx.server.url, '--tenant', 't1', '--client-id', 'c1', '--client-secret', 's3cret'], env);
    const res = await ctx.cli.run(['auth', 'status'], env);
    expect(res.code).toBe(0);
    const lines = res.stdout.split('\n');
    expect(lines.slice(1, 5)).toEqual([`server:       ${ctx.server.url}`, 'tenant:       t1', 'signed in as: application c1', expect.stringMatching(/^secret in: {4}\/.*\/cordon\/profile\.json \(mode 0600\)$/)]);
    expect(lines[5]).toMatch(new RegExp(`^token: {8}valid until ${new Date(inAnHour * 1000).toISOString()} \\(in (59m|1h00m)\\)$`));
  });

  it('should exit 1 from auth status when the server refuses the secret, naming its error', async ({ ctx }) => {
    const { env } = xdg(ctx);
    await ctx.cli.run(['login', '--server', ctx.server.url, '--tenant', 't1', '--client-id', 'c1', '--client-secret', 's3cret'], env);
    ctx.tokenHandler = () => ({ status: 401, body: { error: 'invalid_client', error_description: 'the secret was revoked' } });
    const res = await ctx.cli.run(['auth', 'status', '--json'], env);
    expect(res.code).toBe(1);
    expect(JSON.parse(res.stdout)).toMatchObject({ profile: 'default', method: 'application', signedIn: false, error: { code: 'invalid_client', message: 'the secret was revoked' } });
  });

  it('should read an existing ~/.config/cordon/profile.json as the profile "default", and keep it current', async ({ ctx }) => {
    const { env, dir } = xdg(ctx);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'profile.json'), JSON.stringify({ server: ctx.server.url, tenant: 't1', clientId: 'old', clientSecret: 'x' }), { mode: 0o600 });
    ctx.handler = () => ({ body: { value: [] } });
    expect((await ctx.cli.run(['machines', 'list'], env)).code).toBe(0);
    expect(ctx.server.requests[0]!.body.toString()).toContain('client_id=old');
    const login = await ctx.cli.run(['login', '--profile', 'new', '--server', ctx.server.url, '--tenant', 't1', '--client-id', 'c2', '--client-secret', 'y'], env);
    expect(login.stdout).not.toContain('(current)');
    const list = JSON.parse((await ctx.cli.run(['profiles', 'list', '--json'], env)).stdout) as Array<{ name: string; current: boolean }>;
    expect(list.map((p) => [p.name, p.current])).toEqual([
      ['default', true],
      ['new', false],
    ]);
    // --profile NAME picks a profile for one command.
    await ctx.cli.run(['machines', 'list', '--profile', 'new'], env);
    expect(ctx.server.requests.at(-2)!.body.toString()).toContain('client_id=c2');
  });

  it('should keep treating a --profile or CORDON_PROFILE value with a / as a file', async ({ ctx }) => {
    const { env } = xdg(ctx);
    const file = join(ctx.cli.dir, 'elsewhere', 'ci.json');
    const res = await ctx.cli.run(['login', '--profile', file, '--server', ctx.server.url, '--tenant', 't1', '--client-id', 'c1', '--client-secret', 's'], env);
    expect(res.stdout).toContain(`profile ${file} saved\n`);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ server: ctx.server.url, tenant: 't1', clientId: 'c1', clientSecret: 's' });
    const status = await ctx.cli.run(['auth', 'status', '--json'], { ...env, CORDON_PROFILE: file });
    expect(JSON.parse(status.stdout)).toMatchObject({ profile: null, path: file, signedIn: true });
  });

  it('should refuse an unknown profile for profiles use, a bad name, and logout of nothing, changing nothing', async ({ ctx }) => {
    const { env, dir } = xdg(ctx);
    expect(await ctx.cli.run(['profiles', 'use', 'nope'], env)).toEqual({ code: 1, stdout: '', stderr: 'cordon: no profile nope: cordon profiles list shows the saved ones; cordon login --profile nope ... creates it\n' });
    const bad = await ctx.cli.run(['login', '--profile', 'two words', '--server', ctx.server.url, '--tenant', 't1', '--client-id', 'c1', '--client-secret', 's'], env);
    expect(bad).toMatchObject({ code: 1, stderr: expect.stringContaining('bad profile name "two words"') });
    expect(ctx.server.requests).toEqual([]);
    expect(await ctx.cli.run(['logout', '--profile', 'ghost'], env)).toMatchObject({ code: 1, stderr: `cordon: no profile ghost (${join(dir, 'profiles', 'ghost.json')}): nothing to log out of\n` });
    await expect(stat(dir)).rejects.toThrow(/ENOENT/);
  });

  it('should remove the secret of an application profile on logout, and say when there was none', async ({ ctx }) => {
    const { env, dir } = xdg(ctx);
    await ctx.cli.run(['login', '--profile', 'ci', '--server', ctx.server.url, '--tenant', 't1', '--client-id', 'c1', '--client-secret', 's'], env);
    const out = await ctx.cli.run(['logout', '--profile', 'ci', '--json'], env);
    expect(JSON.parse(out.stdout)).toEqual({ profile: 'ci', path: join(dir, 'profiles', 'ci.json'), removed: 'file', serverSession: null });
    expect(JSON.parse(await readFile(join(dir, 'profiles', 'ci.json'), 'utf8'))).toEqual({ server: ctx.server.url, tenant: 't1', clientId: 'c1' });
    expect((await ctx.cli.run(['logout', '--profile', 'ci'], env)).stdout).toBe(`profile ci (${join(dir, 'profiles', 'ci.json')}) held no secrets; nothing removed\n`);
  });
});

describe.concurrent('cordon login --json', () => {
  it('should print the saved profile without secrets: its path, name, whether it is current and where the secret went', async ({ ctx }) => {
    const { env, dir } = xdg(ctx);
    const res = await ctx.cli.run(['login', '--profile', 'ci', '--server', ctx.server.url, '--tenant', 't1', '--client-id', 'c1', '--client-secret', 's', '--json'], env);
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout)).toEqual({ server: ctx.server.url, tenant: 't1', clientId: 'c1', user: null, profile: join(dir, 'profiles', 'ci.json'), name: 'ci', current: true, secretStore: 'file' });
  });
});
