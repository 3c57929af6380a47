import { describe, expect, it } from 'vitest';
import { createApplication } from './applications.js';
import { ManualClock, MemoryIdentityStore, sequentialIds } from '../testing/auth.js';
import { verifySecret } from './secret-hash.js';

async function setup() {
  const identity = new MemoryIdentityStore();
  await identity.createTenant({ id: 't1', name: 'default', createdAt: '2025-01-01T00:00:00.0000000Z' });
  return { identity, deps: { clock: new ManualClock(Date.UTC(2025, 0, 15)), ids: sequentialIds() } };
}

describe('createApplication', () => {
  it('should store the app with only a hash of the secret it returns once', async () => {
    const { identity, deps } = await setup();
    const created = await createApplication(identity, { tenantId: 't1', name: 'SOAR', roles: ['Machine.Isolate', 'Machine.Isolate'] }, deps);
    expect(created).toEqual({ tenantId: 't1', clientId: '00000000-0000-4000-8000-000000000001', clientSecret: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
    const stored = await identity.getApp(created.clientId);
    expect(stored).toEqual({
      tenantId: 't1',
      clientId: created.clientId,
      name: 'SOAR',
      roles: ['Machine.Isolate'],
      secretHash: expect.stringMatching(/^\$scrypt\$/),
      createdAt: '2025-01-15T00:00:00.0000000Z',
      disabled: false,
    });
    expect(JSON.stringify(stored)).not.toContain(created.clientSecret);
    expect(await verifySecret(created.clientSecret, stored!.secretHash)).toBe(true);
  });

  it('should refuse unknown permissions and unknown tenants', async () => {
    const { identity, deps } = await setup();
    await expect(createApplication(identity, { tenantId: 't1', name: 'x', roles: ['Machine.Everything'] }, deps)).rejects.toMatchObject({ code: 'InvalidInput' });
    await expect(createApplication(identity, { tenantId: 'nope', name: 'x', roles: [] }, deps)).rejects.toMatchObject({ code: 'InvalidInput' });
    expect(await identity.listApps('t1')).toEqual([]);
  });
});
