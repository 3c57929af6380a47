import { afterEach, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { openStore, type Store } from './index.js';
import { TEST_PG_URL, withPgHint } from './testing/postgres.js';

const schema = `t_agents_${randomBytes(4).toString('hex')}`;
const targets: { name: string; open: () => Promise<Store>; cleanup: (store: Store) => Promise<void> }[] = [
  { name: 'sqlite', open: () => openStore({ sqlitePath: ':memory:' }), cleanup: async () => {} },
  {
    name: 'postgres',
    open: () => withPgHint(() => openStore({ url: TEST_PG_URL, pgSchema: schema })),
    // Each test leaves nothing behind: the private schema goes with its rows.
    cleanup: async (store) => void (await sql.raw(`drop schema if exists "${schema}" cascade`).execute(store.db)),
  },
];

for (const target of targets) {
  describe(`KyselyAgentStore (${target.name})`, () => {
    let store: Store | undefined;
    afterEach(async () => {
      if (store) await target.cleanup(store);
      await store?.close();
      store = undefined;
    });
    const secret = { id: 'sec1', tenantId: 't1', secretHash: 'h', createdAt: '2026-01-01T00:00:00.0000000Z', expiresAt: '2026-01-02T00:00:00.0000000Z', maxUses: 1, uses: 0 };

    it('should spend a single-use secret exactly once', async () => {
      store = await target.open();
      await store.agents.createEnrollmentSecret(secret);
      const results = await Promise.all([1, 2, 3].map(() => store!.agents.spendEnrollmentSecret('sec1', '2026-01-01T01:00:00.0000000Z')));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect((await store.agents.getEnrollmentSecret('sec1'))?.uses).toBe(1);
    });

    it('should refuse an expired secret', async () => {
      store = await target.open();
      await store.agents.createEnrollmentSecret({ ...secret, maxUses: 5 });
      expect(await store.agents.spendEnrollmentSecret('sec1', '2026-01-02T00:00:00.0000000Z')).toBe(false);
      expect(await store.agents.spendEnrollmentSecret('missing', '2026-01-01T00:00:00.0000000Z')).toBe(false);
    });

    it('should keep the first credential of a machine id and revoke it', async () => {
      store = await target.open();
      const device = { machineId: 'a'.repeat(40), tenantId: 't1', publicKey: 'k1', enrolledAt: secret.createdAt, revokedAt: null };
      expect(await store.agents.addDevice(device)).toBe(true);
      expect(await store.agents.addDevice({ ...device, publicKey: 'k2' })).toBe(false);
      expect(await store.agents.getDevice(device.machineId)).toEqual(device);
      await store.agents.revokeDevice(device.machineId, '2026-01-03T00:00:00.0000000Z');
      await store.agents.revokeDevice(device.machineId, '2026-01-04T00:00:00.0000000Z');
      expect((await store.agents.getDevice(device.machineId))?.revokedAt).toBe('2026-01-03T00:00:00.0000000Z');
    });
  });
}
