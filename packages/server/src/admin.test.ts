import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '@cordon/store';
import { adminCreateApplication, adminCreateUser, adminSetApplicationDisabled, adminSetUserDisabled, AdminError } from './admin.js';
import { randomIds, systemClock } from './system.js';

const PASSWORD = 'a long passphrase';

/** Applications and people follow one tenant rule (admin.ts): refuse a missing tenant unless asked to create it. */
describe('admin surface', () => {
  let store: Store;
  const deps = () => ({ store, clock: systemClock, ids: randomIds });
  const newApp = (extra: object = {}) => adminCreateApplication(deps(), { name: 'SOAR', roles: 'Machine.Read.All', ...extra });
  const newUser = (extra: object = {}) => adminCreateUser(deps(), { name: 'erin', password: PASSWORD, roles: 'View data', ...extra });

  beforeEach(async () => {
    store = await openStore({ sqlitePath: ':memory:' });
  });
  afterEach(async () => store.close());

  for (const [what, create] of [['an application', newApp], ['a person', newUser]] as const) {
    it(`should refuse ${what} on a store with no tenant, and create none`, async () => {
      await expect(create()).rejects.toThrow(new AdminError('no tenant yet: start the server once (it creates the default tenant), or pass --create-tenant'));
      expect(await store.identity.listTenants()).toEqual([]);
    });

    it(`should create the default tenant for ${what} with createTenant`, async () => {
      const created = await create({ createTenant: true });
      const tenants = await store.identity.listTenants();
      expect(tenants.map((t) => ({ id: t.id, name: t.name }))).toEqual([{ id: created.tenantId, name: 'default' }]);
    });

    it(`should refuse ${what} in an unknown tenant unless createTenant names it`, async () => {
      const id = randomIds.uuid();
      await expect(create({ tenant: id })).rejects.toThrow(`tenant ${id} does not exist (pass --create-tenant to create it)`);
      expect((await create({ tenant: id, createTenant: true })).tenantId).toBe(id);
    });

    it(`should put ${what} in the only tenant, and refuse to guess among several`, async () => {
      const only = (await newApp({ createTenant: true })).tenantId;
      expect((await create({ name: 'second' })).tenantId).toBe(only);
      await store.identity.createTenant({ id: randomIds.uuid(), name: 'other', createdAt: '2026-01-01T00:00:00.0000000Z' });
      await expect(create({ name: 'third' })).rejects.toThrow(/^several tenants exist; pass --tenant/);
    });
  }

  it('should refuse unknown roles before touching the store', async () => {
    await expect(newApp({ roles: 'Machine.Read.All,Nope', createTenant: true })).rejects.toThrow('unknown role(s): Nope');
    await expect(newUser({ roles: 'Nope', createTenant: true })).rejects.toThrow("unknown role 'Nope'");
    expect(await store.identity.listTenants()).toEqual([]);
  });

  it('should disable and enable applications and people, and say when there is none', async () => {
    const app = await newApp({ createTenant: true });
    await adminSetApplicationDisabled({ store }, app.clientId, true);
    expect((await store.identity.getApp(app.clientId))?.disabled).toBe(true);
    await expect(adminSetApplicationDisabled({ store }, randomIds.uuid(), true)).rejects.toThrow(/^no application with client id/);
    await newUser();
    expect((await adminSetUserDisabled({ store }, 'erin', true)).name).toBe('erin');
    await expect(adminSetUserDisabled({ store }, 'nobody', true)).rejects.toThrow("no user named 'nobody'");
  });
});
