import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { execFile, spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { openStore, type Store } from '@cordon/store';
import { buildApp, createApplication, createUser, loadConfig, randomIds, userStoreOf, type CordonApp } from '@cordon/server';
import { cliSandbox, type CliSandbox } from './cli-harness.js';

// Each command spawns node (1-2 s of CPU); leave room on a loaded machine.
vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

const PASSWORD = 'a long passphrase';
const NEW_PASSWORD = 'another long passphrase';

/** `cordon apps list|rotate-secret` and `cordon users list|set-password` against a server's data directory. */
describe('cordon apps and users administration', () => {
  let cli: CliSandbox;
  let dataDir: string;
  let store: Store;
  let built: CordonApp;
  let tenantId: string;
  const deps = { clock: { now: () => Date.now() }, ids: randomIds };

  beforeEach(async () => {
    cli = await cliSandbox();
    dataDir = join(cli.dir, 'data');
    await mkdir(dataDir, { mode: 0o700 });
    store = await openStore({ sqlitePath: join(dataDir, 'cordon.db') });
    built = await buildApp({ config: loadConfig({ CORDON_PORT: '0', CORDON_PUBLIC_URL: 'http://cordon.test', CORDON_DATA: dataDir }), store });
    tenantId = randomIds.uuid();
    await store.identity.createTenant({ id: tenantId, name: 'default', createdAt: '2026-01-01T00:00:00.0000000Z' });
  });
  afterEach(async () => {
    await built.app.close();
    await store.close();
    await cli.cleanup();
  });

  const token = (clientId: string, clientSecret: string) =>
    built.app.inject({
      method: 'POST',
      url: `/${tenantId}/oauth2/v2.0/token`,
      payload: new URLSearchParams({ grant_type: 'client_credentials', scope: 'https://api.securitycenter.microsoft.com/.default', client_id: clientId, client_secret: clientSecret }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
  const signIn = (name: string, password: string) => built.app.inject({ method: 'POST', url: '/ui/session', headers: { 'x-cordon-csrf': '1' }, payload: { name, password } });

  it('should list applications as a table, JSON and YAML, without their secrets', async () => {
    const soar = await createApplication(store.identity, { tenantId, name: 'SOAR', roles: ['Machine.Read.All', 'Machine.Isolate'] }, deps);
    await store.identity.setAppDisabled(soar.clientId, true);
    const expected = [{ tenantId, clientId: soar.clientId, name: 'SOAR', roles: ['Machine.Read.All', 'Machine.Isolate'], createdAt: expect.any(String), disabled: true }];

    const json = await cli.run(['apps', 'list', '--json', '--data', dataDir]);
    expect(json.stderr).toBe('');
    expect(JSON.parse(json.stdout)).toEqual(expected);
    expect(json.stdout).not.toContain(soar.clientSecret);
    expect(json.stdout).not.toContain('secretHash');
    expect(parseYaml((await cli.run(['apps', 'list', '-o', 'yaml', '--data', dataDir])).stdout)).toEqual(expected);

    const table = (await cli.run(['apps', 'list', '--data', dataDir])).stdout.trim().split('\n');
    expect(table[0]).toMatch(/^CLIENT ID\s+NAME\s+TENANT\s+ROLES\s+CREATED \(UTC\)\s+DISABLED$/);
    expect(table[1]).toMatch(new RegExp(`^${soar.clientId}\\s+SOAR\\s+${tenantId}\\s+Machine\\.Read\\.All,Machine\\.Isolate\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\s+yes$`));

    const wide = await cli.run(['apps', 'list', '-o', 'wide', '--data', dataDir]);
    expect(wide.code).toBe(1);
    expect(wide.stderr).toContain("argument 'wide' is invalid");
  });

  it('should rotate a secret: print the new one once, refuse the old one at the token endpoint', async () => {
    const soar = await createApplication(store.identity, { tenantId, name: 'SOAR', roles: ['Machine.Read.All'] }, deps);
    expect((await token(soar.clientId, soar.clientSecret)).statusCode).toBe(200);

    const rotated = await cli.run(['apps', 'rotate-secret', soar.clientId, '--data', dataDir]);
    expect(rotated).toMatchObject({ code: 0, stderr: '' });
    const printed = JSON.parse(rotated.stdout) as { tenantId: string; clientId: string; clientSecret: string };
    expect(printed).toEqual({ tenantId, clientId: soar.clientId, clientSecret: expect.any(String) });
    expect(printed.clientSecret).not.toBe(soar.clientSecret);

    expect((await token(soar.clientId, soar.clientSecret)).statusCode).toBe(401);
    expect((await token(soar.clientId, printed.clientSecret)).statusCode).toBe(200);
    expect((await cli.run(['apps', 'list', '--json', '--data', dataDir])).stdout).not.toContain(printed.clientSecret);

    const unknown = await cli.run(['apps', 'rotate-secret', randomIds.uuid(), '--data', dataDir]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^cordon: no application with client id /);
  });

  it('should list people as JSON and as a table, without password hashes', async () => {
    await createUser(userStoreOf(store), { tenantId, name: 'erin', displayName: 'Erin Analyst', password: PASSWORD, roles: ['View data'] }, deps);
    const json = await cli.run(['users', 'list', '-o', 'json', '--data', dataDir]);
    expect(JSON.parse(json.stdout)).toEqual([{ id: expect.any(String), tenantId, name: 'erin', displayName: 'Erin Analyst', roles: ['View data'], disabled: false, createdAt: expect.any(String) }]);
    expect(json.stdout).not.toContain('passwordHash');
    const table = (await cli.run(['users', 'list', '--data', dataDir])).stdout.trim().split('\n');
    expect(table[0]).toMatch(/^NAME\s+DISPLAY NAME\s+TENANT\s+ROLES\s+CREATED \(UTC\)\s+DISABLED$/);
    expect(table[1]).toMatch(new RegExp(`^erin\\s+Erin Analyst\\s+${tenantId}\\s+View data\\s+\\S+ \\S+\\s+no$`));

    const elsewhere = await cli.run(['users', 'list', '--tenant', 'no-such-tenant', '--data', dataDir]);
    expect(elsewhere).toMatchObject({ code: 1, stderr: 'cordon: tenant no-such-tenant does not exist\n' });
  });

  it('should set a password from stdin: the new one signs in, the old one no longer does', async () => {
    await createUser(userStoreOf(store), { tenantId, name: 'erin', password: PASSWORD, roles: ['View data'] }, deps);
    const { argv, env } = cli.command(['users', 'set-password', 'erin', '--password-stdin', '--data', dataDir]);
    const res = await runPiped(argv, env, cli.dir, `${NEW_PASSWORD}\n`);
    expect(res).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(res.stdout)).toEqual({ id: expect.any(String), name: 'erin', passwordChanged: true });
    expect((await signIn('erin', PASSWORD)).statusCode).toBe(401);
    expect((await signIn('erin', NEW_PASSWORD)).statusCode).toBe(200);
  });

  it('should refuse a short password, an unknown person, and a missing password without a terminal, changing nothing', async () => {
    await createUser(userStoreOf(store), { tenantId, name: 'erin', password: PASSWORD, roles: ['View data'] }, deps);
    const short = cli.command(['users', 'set-password', 'erin', '--password-stdin', '--data', dataDir]);
    expect(await runPiped(short.argv, short.env, cli.dir, 'short\n')).toMatchObject({ code: 1, stderr: 'cordon: a password has at least 8 characters\n' });
    const unknown = cli.command(['users', 'set-password', 'nobody', '--password-stdin', '--data', dataDir]);
    expect(await runPiped(unknown.argv, unknown.env, cli.dir, `${NEW_PASSWORD}\n`)).toMatchObject({ code: 1, stderr: "cordon: no user named 'nobody'\n" });
    const noFlag = await cli.run(['users', 'set-password', 'erin', '--data', dataDir]);
    expect(noFlag).toMatchObject({ code: 1, stderr: 'cordon: give the password on stdin with --password-stdin, or run on a terminal to be asked for it\n' });
    expect((await signIn('erin', PASSWORD)).statusCode).toBe(200);
  });

  it('should ask twice at a hidden prompt on a terminal, and change nothing when the answers differ', async () => {
    await createUser(userStoreOf(store), { tenantId, name: 'erin', password: PASSWORD, roles: ['View data'] }, deps);
    const { argv, env } = cli.command(['users', 'set-password', 'erin', '--data', dataDir]);
    const differ = await answerPrompts(argv, env, cli.dir, [['New password: ', NEW_PASSWORD], ['Again: ', 'something else']]);
    expect(differ.drawn).not.toContain(NEW_PASSWORD);
    expect(differ.drawn).toContain('cordon: the passwords differ; nothing was changed');
    expect(differ.code).toBe(1);
    expect((await signIn('erin', PASSWORD)).statusCode).toBe(200);

    const same = await answerPrompts(argv, env, cli.dir, [['New password: ', NEW_PASSWORD], ['Again: ', NEW_PASSWORD]]);
    expect(same.drawn).not.toContain(NEW_PASSWORD);
    expect(same.code).toBe(0);
    expect((await signIn('erin', NEW_PASSWORD)).statusCode).toBe(200);
  });
});

/** Runs argv with `input` on its stdin (a pipe). */
async function runPiped(argv: string[], env: Record<string, string>, cwd: string, input: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(argv[0]!, argv.slice(1), { cwd, env }, (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }));
    child.stdin?.end(input);
  });
}

/** Runs argv on a terminal and types each answer once its question shows (typed ahead, the terminal would echo it). */
async function answerPrompts(argv: string[], env: Record<string, string>, cwd: string, dialogue: Array<[string, string]>): Promise<{ code: number | null; drawn: string }> {
  const inner = `stty cols 100 rows 24 && exec ${argv.map((a) => `'${a}'`).join(' ')}`;
  const child = spawn('script', ['-qfec', inner, '/dev/null'], { env, cwd });
  let drawn = '';
  child.stdout.on('data', (d: Buffer) => (drawn += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let seen = 0;
  for (const [question, answer] of dialogue) {
    await vi.waitFor(() => expect(drawn.indexOf(question, seen)).toBeGreaterThanOrEqual(0), { timeout: 60_000, interval: 50 });
    seen = drawn.indexOf(question, seen) + question.length;
    child.stdin.write(`${answer}\r`);
  }
  return { code: await exited, drawn };
}
