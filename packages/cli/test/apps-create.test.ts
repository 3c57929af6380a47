import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { openStore } from '@cordon/store';
import { cliSandbox, type CliSandbox } from './cli-harness.js';

// Each command spawns node (1-2 s of CPU); leave room on a loaded machine.
vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

/** `cordon apps create` follows the server's admin tenant rule (the one `cordon users create` follows). */
describe('cordon apps create', () => {
  let cli: CliSandbox;
  let dataDir: string;

  beforeEach(async () => {
    cli = await cliSandbox();
    dataDir = join(cli.dir, 'data');
    await mkdir(dataDir, { mode: 0o700 });
  });
  afterEach(async () => cli.cleanup());

  it('should refuse a store with no tenant, and create the default tenant only with --create-tenant', async () => {
    const refused = await cli.run(['apps', 'create', '--name', 'SOAR', '--roles', 'Machine.Read.All', '--data', dataDir]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('no tenant yet: start the server once (it creates the default tenant), or pass --create-tenant');

    const created = await cli.run(['apps', 'create', '--name', 'SOAR', '--roles', 'Machine.Read.All', '--create-tenant', '--data', dataDir]);
    expect(created.code).toBe(0);
    const { tenantId, clientId } = JSON.parse(created.stdout) as { tenantId: string; clientId: string };
    const store = await openStore({ sqlitePath: join(dataDir, 'cordon.db') });
    try {
      expect((await store.identity.listTenants()).map((t) => ({ id: t.id, name: t.name }))).toEqual([{ id: tenantId, name: 'default' }]);
      expect((await store.identity.getApp(clientId))?.tenantId).toBe(tenantId);
    } finally {
      await store.close();
    }
  });
});
