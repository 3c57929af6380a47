/** LibraryStore contract: one file per tenant and name (case-sensitive), name-ordered list, replace/delete returning the old record; SecretStore: first value wins. */
import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import type { LibraryFileRecord } from '@cordon/core';
import type { ContractContext } from './context.js';

export function libraryContract(ctx: ContractContext): void {
  const lib = () => ctx.store().library;
  const file = (overrides: Partial<LibraryFileRecord> = {}): LibraryFileRecord => ({
    tenantId: ctx.newTenant(),
    fileName: 'collect.sh',
    blobId: 'a'.repeat(32),
    size: 12,
    sha256: 'b'.repeat(64),
    description: 'collects things',
    creationTime: '2026-01-01T00:00:00.0000000Z',
    lastUpdatedTime: '2026-01-01T00:00:00.0000000Z',
    createdBy: 'admin app',
    hasParameters: true,
    parametersDescription: '-v',
    ...overrides,
  });

  ctx.it('should create once per tenant and name, and list in name order', async () => {
    const a = file({ fileName: 'z.sh' });
    expect(await lib().create(a)).toBe(true);
    expect(await lib().create({ ...a, blobId: 'c'.repeat(32) })).toBe(false);
    expect(await lib().get(a.tenantId, a.fileName)).toEqual(a);
    const b = file({ tenantId: a.tenantId, fileName: 'a.py', hasParameters: false, parametersDescription: null, description: null });
    expect(await lib().create(b)).toBe(true);
    expect(await lib().list(a.tenantId)).toEqual([b, a]);
    expect(await lib().list(ctx.newTenant())).toEqual([]);
    expect(await lib().get(a.tenantId, 'Z.sh')).toBeUndefined(); // names are case-sensitive
    expect(await lib().create(file({ tenantId: a.tenantId, fileName: 'Z.sh' }))).toBe(true);
  });

  ctx.it('should keep tenants apart: the same name in two tenants, get/replace/delete see only their own', async () => {
    const a = file();
    const b = file({ blobId: 'f'.repeat(32) });
    expect(await lib().create(a)).toBe(true);
    expect(await lib().create(b)).toBe(true);
    expect(await lib().get(a.tenantId, a.fileName)).toEqual(a);
    expect(await lib().get(b.tenantId, b.fileName)).toEqual(b);
    expect(await lib().replace({ ...a, tenantId: ctx.newTenant() })).toBeUndefined();
    expect(await lib().delete(ctx.newTenant(), a.fileName)).toBeUndefined();
    expect(await lib().delete(b.tenantId, b.fileName)).toEqual(b);
    expect(await lib().get(a.tenantId, a.fileName)).toEqual(a);
  });

  ctx.it('should let exactly one of concurrent creates of a name win', async () => {
    const a = file();
    const won = await Promise.all(Array.from({ length: 5 }, (_, i) => lib().create({ ...a, blobId: String(i).repeat(32) })));
    expect(won.filter(Boolean)).toHaveLength(1);
    expect(await lib().list(a.tenantId)).toHaveLength(1);
  });

  ctx.it('should replace content and metadata but keep creation time and author', async () => {
    const a = file();
    await lib().create(a);
    const next = { ...a, blobId: 'd'.repeat(32), sha256: 'e'.repeat(64), size: 3, lastUpdatedTime: '2026-02-01T00:00:00.0000000Z', creationTime: 'ignored', createdBy: 'someone else', description: 'v2' };
    expect(await lib().replace(next)).toEqual(a);
    expect(await lib().get(a.tenantId, a.fileName)).toEqual({ ...next, creationTime: a.creationTime, createdBy: a.createdBy });
    expect(await lib().replace(file({ fileName: 'missing.sh' }))).toBeUndefined();
  });

  ctx.it('should delete and return what it deleted', async () => {
    const a = file();
    await lib().create(a);
    expect(await lib().delete(a.tenantId, a.fileName)).toEqual(a);
    expect(await lib().delete(a.tenantId, a.fileName)).toBeUndefined();
    expect(await lib().get(a.tenantId, a.fileName)).toBeUndefined();
    expect(await lib().create(a)).toBe(true);
  });
}

export function secretContract(ctx: ContractContext): void {
  const secrets = () => ctx.store().secrets;

  ctx.it('should keep the first value created for a name', async () => {
    const name = `n-${randomBytes(4).toString('hex')}`;
    expect(await secrets().getOrCreate(name, () => 'first')).toBe('first');
    expect(await secrets().getOrCreate(name, () => 'second')).toBe('first');
    expect(await secrets().getOrCreate(`${name}-other`, () => 'other')).toBe('other');
  });

  ctx.it('should give every concurrent caller the same value', async () => {
    const name = `n-${randomBytes(4).toString('hex')}`;
    const values = await Promise.all([1, 2, 3, 4, 5].map((n) => secrets().getOrCreate(name, () => `v${n}`)));
    expect(new Set(values).size).toBe(1);
    expect(await secrets().getOrCreate(name, () => 'late')).toBe(values[0]);
  });
}
