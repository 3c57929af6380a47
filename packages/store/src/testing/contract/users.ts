/**
 * UserStore contract (users and web sessions; the server's people module is the caller): sign-in
 * names are unique across the deployment and matched in any case, lists are per tenant, sessions
 * read only before they expire. deleteExpiredSessions is global: its test uses far-past instants.
 */
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { KyselyUserStore, type SessionRecord, type UserRecord } from '../../kysely-user-store.js';
import type { ContractContext } from './context.js';

export function userContract(ctx: ContractContext): void {
  const users = () => new KyselyUserStore(ctx.store().db);
  const user = (overrides: Partial<UserRecord> = {}): UserRecord => ({
    id: randomUUID(),
    tenantId: ctx.newTenant(),
    name: `alice-${randomUUID().slice(0, 8)}`,
    displayName: 'Alice Analyst',
    passwordHash: '$scrypt$x',
    roles: ['View data', 'Active remediation actions'],
    disabled: false,
    createdAt: '2025-01-15T10:00:00.0000000Z',
    ...overrides,
  });
  const session = (u: UserRecord, overrides: Partial<SessionRecord> = {}): SessionRecord => ({
    idHash: randomUUID(), userId: u.id, tenantId: u.tenantId, csrfToken: 'c', createdAt: '2025-01-15T10:00:00.0000000Z', expiresAt: '2025-01-15T18:00:00.0000000Z', ...overrides,
  });

  ctx.it('should create a user and read it back by id and by name in any case', async () => {
    const u = user();
    expect(await users().createUser({ ...u, name: u.name.toUpperCase() })).toBe(true);
    expect(await users().getUser(u.id)).toEqual(u);
    expect(await users().findUserByName(u.name.toUpperCase())).toEqual(u);
    expect(await users().findUserByName(u.name)).toEqual(u);
    expect(await users().listUsers(u.tenantId)).toEqual([u]);
    expect(await users().getUser(randomUUID())).toBeUndefined();
    expect(await users().findUserByName(`${u.name}-nobody`)).toBeUndefined();
  });

  ctx.it('should refuse a second user with the same name, in any tenant', async () => {
    const u = user();
    await users().createUser(u);
    expect(await users().createUser(user({ name: u.name }))).toBe(false);
    expect(await users().createUser(user({ tenantId: u.tenantId, name: u.name.toUpperCase() }))).toBe(false);
    expect(await users().findUserByName(u.name)).toEqual(u);
  });

  ctx.it('should let exactly one of concurrent creates of a name win', async () => {
    const name = `bob-${randomUUID().slice(0, 8)}`;
    const won = await Promise.all(Array.from({ length: 5 }, () => users().createUser(user({ name }))));
    expect(won.filter(Boolean)).toHaveLength(1);
  });

  ctx.it('should list the users of one tenant only, by name', async () => {
    const tenantId = ctx.newTenant();
    const suffix = randomUUID().slice(0, 8);
    const [b, a] = [user({ tenantId, name: `b-${suffix}` }), user({ tenantId, name: `a-${suffix}` })];
    await users().createUser(b);
    await users().createUser(a);
    await users().createUser(user());
    expect(await users().listUsers(tenantId)).toEqual([a, b]);
    expect(await users().listUsers(ctx.newTenant())).toEqual([]);
  });

  ctx.it('should update roles, password and disabled flag', async () => {
    const u = user();
    await users().createUser(u);
    expect(await users().updateUser(u.id, { roles: ['View data'], disabled: true, passwordHash: null })).toBe(true);
    expect(await users().getUser(u.id)).toEqual({ ...u, roles: ['View data'], disabled: true, passwordHash: null });
    expect(await users().updateUser(u.id, { displayName: 'Alice A.' })).toBe(true);
    expect((await users().getUser(u.id))?.displayName).toBe('Alice A.');
    expect(await users().updateUser(randomUUID(), { disabled: true })).toBe(false);
  });

  ctx.it('should return a session only before it expires, and delete expired ones', async () => {
    const u = user();
    await users().createUser(u);
    // Far in the past, so deleting expired sessions here cannot touch another test's.
    const s = session(u, { createdAt: '1990-01-15T10:00:00.0000000Z', expiresAt: '1990-01-15T18:00:00.0000000Z' });
    await users().createSession(s);
    expect(await users().getSession(s.idHash, '1990-01-15T17:59:59.0000000Z')).toEqual(s);
    expect(await users().getSession(s.idHash, '1990-01-15T18:00:00.0000000Z')).toBeUndefined();
    expect(await users().getSession(randomUUID(), '1990-01-15T10:00:00.0000000Z')).toBeUndefined();
    expect(await users().deleteExpiredSessions('1990-01-15T18:00:00.0000000Z')).toBe(1);
    expect(await users().getSession(s.idHash, '1990-01-15T10:00:00.0000000Z')).toBeUndefined();
    await users().createSession(s);
    await users().deleteSession(s.idHash);
    expect(await users().getSession(s.idHash, '1990-01-15T10:00:00.0000000Z')).toBeUndefined();
    await users().deleteSession(s.idHash);
  });
}
