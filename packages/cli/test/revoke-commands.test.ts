import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { openStore, type Store } from '@cordon/store';
import { buildApp, createApplication, createUser, loadConfig, randomIds, userStoreOf, type CordonApp } from '@cordon/server';
import { cliSandbox, type CliSandbox } from './cli-harness.js';

// Each command spawns node (1-2 s of CPU); leave room on a loaded machine.
vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

const PASSWORD = 'a long passphrase';

/**
 * `cordon apps disable` and `cordon users disable` against the data directory a running server uses:
 * the application's and the person's existing tokens stop working once the server's 5-second lookup
 * cache has passed (a settable clock, so nothing sleeps).
 */
describe('cordon apps|users disable', () => {
  let cli: CliSandbox;
  let dataDir: string;
  let store: Store;
  let built: CordonApp;
  const clock = { ms: Date.now(), now() { return this.ms; } };

  beforeEach(async () => {
    cli = await cliSandbox();
    dataDir = join(cli.dir, 'data');
    await mkdir(dataDir, { mode: 0o700 });
    store = await openStore({ sqlitePath: join(dataDir, 'cordon.db') });
    built = await buildApp({ config: loadConfig({ CORDON_PORT: '0', CORDON_PUBLIC_URL: 'http://cordon.test', CORDON_DATA: dataDir }), store, clock });
  });
  afterEach(async () => {
    await built.app.close();
    await store.close();
    await cli.cleanup();
  });

  async function tenant(): Promise<string> {
    const id = randomIds.uuid();
    await store.identity.createTenant({ id, name: 'default', createdAt: '2026-01-01T00:00:00.0000000Z' });
    return id;
  }
  const machines = (token: string) => built.app.inject({ method: 'GET', url: '/api/machines', headers: { authorization: `Bearer ${token}` } });

  it('should refuse a disabled application its tokens, and say so for an unknown client id', async () => {
    const tenantId = await tenant();
    const app = await createApplication(store.identity, { tenantId, name: 'SOAR', roles: ['Machine.Read.All'] }, { clock, ids: randomIds });
    const issued = await built.app.inject({
      method: 'POST',
      url: `/${tenantId}/oauth2/v2.0/token`,
      payload: new URLSearchParams({ grant_type: 'client_credentials', scope: 'https://api.securitycenter.microsoft.com/.default', client_id: app.clientId, client_secret: app.clientSecret }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    const token = issued.json().access_token as string;
    expect((await machines(token)).statusCode).toBe(200);

    const disabled = await cli.run(['apps', 'disable', app.clientId, '--data', dataDir]);
    expect(disabled).toEqual({ code: 0, stdout: `${JSON.stringify({ clientId: app.clientId, disabled: true })}\n`, stderr: '' });
    clock.ms += 5_000;
    expect((await machines(token)).statusCode).toBe(401);

    const unknown = await cli.run(['apps', 'disable', randomIds.uuid(), '--data', dataDir]);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('no application with client id');
  });

  it('should refuse a disabled person their session and their delegated token', async () => {
    const tenantId = await tenant();
    await createUser(userStoreOf(store), { tenantId, name: 'erin', password: PASSWORD, roles: ['View data'] }, { clock, ids: randomIds });
    const signIn = await built.app.inject({ method: 'POST', url: '/ui/session', headers: { 'x-cordon-csrf': '1' }, payload: { name: 'erin', password: PASSWORD } });
    expect(signIn.statusCode).toBe(200);
    const cookie = String(signIn.headers['set-cookie']).split(';')[0]!;
    const minted = await built.app.inject({ method: 'POST', url: '/ui/session/token', headers: { cookie, 'x-cordon-csrf': signIn.json().csrfToken } });
    const token = minted.json().access_token as string;
    expect((await machines(token)).statusCode).toBe(200);

    const disabled = await cli.run(['users', 'disable', 'erin', '--data', dataDir]);
    expect(disabled.code).toBe(0);
    expect(JSON.parse(disabled.stdout)).toMatchObject({ name: 'erin', disabled: true });
    clock.ms += 5_000;
    expect((await machines(token)).statusCode).toBe(401);
    expect((await built.app.inject({ method: 'GET', url: '/ui/me', headers: { cookie } })).statusCode).toBe(401);
  });
});
