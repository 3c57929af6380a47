/** LogonUserStore contract: replace per machine (atomic, tenant- and machine-scoped), list newest first. */
import { expect } from 'vitest';
import type { LogonUserRecord } from '@cordon/core';
import type { ContractContext } from './context.js';

const user = (accountName: string, lastSeen: string, overrides: Partial<LogonUserRecord> = {}): LogonUserRecord => ({
  accountName,
  logonTypes: ['Interactive'],
  firstSeen: '2026-01-01T00:00:00.0000000Z',
  lastSeen,
  ...overrides,
});

export function logonUserContract(ctx: ContractContext): void {
  const users = () => ctx.store().logonUsers;

  ctx.it('should list the users of one machine exactly as stored, most recently seen first', async () => {
    const tenant = ctx.newTenant();
    const alice = user('alice', '2026-01-02T00:00:00.0000000Z', { logonTypes: ['Interactive', 'RemoteInteractive'] });
    const bob = user('bob', '2026-01-03T00:00:00.0000000Z');
    await users().replaceForMachine(tenant, 'm1', [alice, bob]);
    expect(await users().listForMachine(tenant, 'm1')).toEqual([bob, alice]);
    expect(await users().listForMachine(tenant, 'm2')).toEqual([]);
    expect(await users().listForMachine(ctx.newTenant(), 'm1')).toEqual([]);
  });

  ctx.it('should replace the whole list of a machine and leave other machines alone', async () => {
    const tenant = ctx.newTenant();
    await users().replaceForMachine(tenant, 'm1', [user('alice', '2026-01-02T00:00:00.0000000Z'), user('bob', '2026-01-02T00:00:00.0000000Z')]);
    await users().replaceForMachine(tenant, 'm2', [user('carol', '2026-01-02T00:00:00.0000000Z')]);
    const root = user('root', '2026-01-05T00:00:00.0000000Z', { logonTypes: ['RemoteInteractive'] });
    await users().replaceForMachine(tenant, 'm1', [root]);
    expect(await users().listForMachine(tenant, 'm1')).toEqual([root]);
    expect((await users().listForMachine(tenant, 'm2')).map((u) => u.accountName)).toEqual(['carol']);
    await users().replaceForMachine(tenant, 'm1', []);
    expect(await users().listForMachine(tenant, 'm1')).toEqual([]);
  });

  ctx.it('should keep names with quotes, backslash-free punctuation and non-ASCII as given', async () => {
    const tenant = ctx.newTenant();
    const odd = user("o'brien; DROP TABLE x--", '2026-01-02T00:00:00.0000000Z');
    const accented = user('jürgen', '2026-01-01T00:00:00.0000000Z');
    await users().replaceForMachine(tenant, 'm1', [odd, accented]);
    expect(await users().listForMachine(tenant, 'm1')).toEqual([odd, accented]);
  });

  ctx.it('should leave exactly one of concurrent replacements of a machine, never a mix', async () => {
    const tenant = ctx.newTenant();
    await users().replaceForMachine(tenant, 'm1', [user('old', '2026-01-01T00:00:00.0000000Z')]);
    const lists = [1, 2, 3, 4].map((n) => [user(`a${n}`, '2026-01-02T00:00:00.0000000Z'), user(`b${n}`, '2026-01-01T00:00:00.0000000Z')]);
    await Promise.all(lists.map((l) => users().replaceForMachine(tenant, 'm1', l)));
    expect(lists).toContainEqual(await users().listForMachine(tenant, 'm1'));
  });
}
