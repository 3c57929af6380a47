import { afterEach, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { openStore, type Store } from './index.js';

const PG_URL = process.env.TEST_PG_URL;
if (!PG_URL) console.log('kysely-agent-store.test: TEST_PG_URL not set; PostgreSQL variant skipped');

const targets: { name: string; open: () => Promise<Store>; skip: boolean }[] = [
  { name: 'sqlite', open: () => openStore({ sqlitePath: ':memory:' }), skip: false },
  { name: 'postgres', open: () => openStore({ url: PG_URL!, pgSchema: `t_agents_${randomBytes(4).toString('hex')}` }), skip: !PG_URL },
];

for (const target of targets) {
  describe(`KyselyAgentStore (${target.name})`, () => {
    let store: Store | undefined;
    afterEach(async () => {
      await store?.close();
      store = undefined;
    });
    const secret = { id: 'sec1', tenantId: 't1', secretHash: 'h', createdAt: '2026-01-01T00:00:00.0000000Z', expiresAt: '2026-01-02T00:00:00.0000000Z', maxUses: 1, uses: 0 };

    it.skipIf(target.skip)('should spend a single-use secret exactly once', async () => {
      store = await target.open();
      await store.agents.createEnrollmentSecret(secret);
      const results = await Promise.all([1, 2, 3].map(() => store!.agents.spendEnrollmentSecret('sec1', '2026-01-01T01:00:00.0000000Z')));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect((await store.agents.getEnrollmentSecret('sec1'))?.uses).toBe(1);
    });

    it.skipIf(target.skip)('should refuse an expired secret', async () => {
      store = await target.open();
      await store.agents.createEnrollmentSecret({ ...secret, maxUses: 5 });
      expect(await store.agents.spendEnrollmentSecret('sec1', '2026-01-02T00:00:00.0000000Z')).toBe(false);
      expect(await store.agents.spendEnrollmentSecret('missing', '2026-01-01T00:00:00.0000000Z')).toBe(false);
    });

    it.skipIf(target.skip)('should keep the first credential of a machine id and revoke it', async () => {
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
