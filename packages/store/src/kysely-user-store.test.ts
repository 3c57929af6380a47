import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from './index.js';
import { KyselyUserStore, type UserRecord } from './kysely-user-store.js';

const user = (overrides: Partial<UserRecord> = {}): UserRecord => ({
  id: 'u-1',
  tenantId: 't-1',
  name: 'alice',
  displayName: 'Alice Analyst',
  passwordHash: '$scrypt$x',
  roles: ['View data', 'Active remediation actions'],
  disabled: false,
  createdAt: '2025-01-15T10:00:00.0000000Z',
  ...overrides,
});

describe(KyselyUserStore.name, () => {
  let store: Store;
  let users: KyselyUserStore;
  beforeEach(async () => {
    store = await openStore({ sqlitePath: ':memory:' });
    users = new KyselyUserStore(store.db);
  });
  afterEach(async () => store.close());

  it('should create a user and read it back by id and by name in any case', async () => {
    expect(await users.createUser(user({ name: 'Alice' }))).toBe(true);
    expect(await users.getUser('u-1')).toEqual(user());
    expect(await users.findUserByName('ALICE')).toEqual(user());
    expect(await users.listUsers('t-1')).toEqual([user()]);
  });

  it('should refuse a second user with the same name', async () => {
    await users.createUser(user());
    expect(await users.createUser(user({ id: 'u-2', name: 'alice' }))).toBe(false);
  });

  it('should update roles, password and disabled flag', async () => {
    await users.createUser(user());
    expect(await users.updateUser('u-1', { roles: ['View data'], disabled: true, passwordHash: null })).toBe(true);
    expect(await users.getUser('u-1')).toEqual(user({ roles: ['View data'], disabled: true, passwordHash: null }));
    expect(await users.updateUser('nope', { disabled: true })).toBe(false);
  });

  it('should return a session only before it expires, and delete expired ones', async () => {
    const session = { idHash: 'h1', userId: 'u-1', tenantId: 't-1', csrfToken: 'c', createdAt: '2025-01-15T10:00:00.0000000Z', expiresAt: '2025-01-15T18:00:00.0000000Z' };
    await users.createSession(session);
    expect(await users.getSession('h1', '2025-01-15T17:59:59.0000000Z')).toEqual(session);
    expect(await users.getSession('h1', '2025-01-15T18:00:00.0000000Z')).toBeUndefined();
    expect(await users.deleteExpiredSessions('2025-01-15T18:00:00.0000000Z')).toBe(1);
    await users.createSession(session);
    await users.deleteSession('h1');
    expect(await users.getSession('h1', '2025-01-15T10:00:00.0000000Z')).toBeUndefined();
  });
});
