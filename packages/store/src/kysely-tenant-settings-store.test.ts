/** Tenant settings stored by an older version read with the defaults of the fields it did not know. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { openStore, type Store } from './index.js';

let store: Store;
beforeAll(async () => {
  store = await openStore({ sqlitePath: ':memory:' });
});
afterAll(() => store?.close());

describe('KyselyTenantSettingsStore', () => {
  it('should read a body stored before scanExclusions existed with no exclusions, and keep what it had', async () => {
    const old = { isolationExceptions: ['10.0.0.0/8'], executionAllowList: [], scanSignatures: { hashes: [], yara: [] }, scanCpuPercent: 30, quarantineSearchPaths: [], lastUpdateTime: '2026-01-01T00:00:00.0000000Z' };
    await sql`insert into tenant_settings (tenant_id, body, updated_at) values (${'t-old'}, ${JSON.stringify(old)}, ${old.lastUpdateTime})`.execute(store.db);
    expect(await store.tenantSettings.get('t-old')).toMatchObject({ ...old, scanExclusions: [] });
  });

  it('should read nothing for a tenant that never saved settings', async () => {
    expect(await store.tenantSettings.get('t-none')).toBeUndefined();
  });
});
