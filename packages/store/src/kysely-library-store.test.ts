/** Library and secret stores on SQLite (memory) and PostgreSQL (private schema, dropped after; fails if unreachable). */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { LibraryFileRecord } from '@cordon/core';
import { openStore, type Store } from './index.js';

// eslint-disable-next-line no-process-env -- test configuration
const url = process.env.CORDON_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `cordon_lib_${randomBytes(6).toString('hex')}`;
const stores: Record<string, Store> = {};

beforeAll(async () => {
  stores.sqlite = await openStore({ sqlitePath: ':memory:' });
  try {
    stores.postgres = await openStore({ url, pgSchema: schema });
  } catch (error) {
    throw new Error(`PostgreSQL not reachable at ${url}: set CORDON_TEST_PG_URL`, { cause: error });
  }
});

afterAll(async () => {
  await stores.sqlite?.close();
  if (stores.postgres) {
    await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(stores.postgres.db);
    await stores.postgres.close();
  }
});

const file = (overrides: Partial<LibraryFileRecord> = {}): LibraryFileRecord => ({
  tenantId: `t-${randomBytes(4).toString('hex')}`,
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

describe.each(['sqlite', 'postgres'])('KyselyLibraryStore on %s', (engine) => {
  it('should create once per tenant and name, and list in name order', async () => {
    const lib = stores[engine]!.library;
    const a = file({ fileName: 'z.sh' });
    expect(await lib.create(a)).toBe(true);
    expect(await lib.create({ ...a, blobId: 'c'.repeat(32) })).toBe(false);
    const b = file({ tenantId: a.tenantId, fileName: 'a.py', hasParameters: false, parametersDescription: null, description: null });
    expect(await lib.create(b)).toBe(true);
    expect(await lib.list(a.tenantId)).toEqual([b, a]);
    expect(await lib.list('other')).toEqual([]);
    expect(await lib.get(a.tenantId, 'Z.sh')).toBeUndefined(); // names are case-sensitive
  });

  it('should replace content and metadata but keep creation time and author', async () => {
    const lib = stores[engine]!.library;
    const a = file();
    await lib.create(a);
    const next = { ...a, blobId: 'd'.repeat(32), sha256: 'e'.repeat(64), size: 3, lastUpdatedTime: '2026-02-01T00:00:00.0000000Z', creationTime: 'ignored', createdBy: 'someone else', description: 'v2' };
    expect(await lib.replace(next)).toEqual(a);
    expect(await lib.get(a.tenantId, a.fileName)).toEqual({ ...next, creationTime: a.creationTime, createdBy: a.createdBy });
    expect(await lib.replace(file({ fileName: 'missing.sh' }))).toBeUndefined();
  });

  it('should delete and return what it deleted', async () => {
    const lib = stores[engine]!.library;
    const a = file();
    await lib.create(a);
    expect(await lib.delete(a.tenantId, a.fileName)).toEqual(a);
    expect(await lib.delete(a.tenantId, a.fileName)).toBeUndefined();
  });
});

describe.each(['sqlite', 'postgres'])('KyselySecretStore on %s', (engine) => {
  it('should keep the first value created for a name', async () => {
    const secrets = stores[engine]!.secrets;
    const name = `n-${randomBytes(4).toString('hex')}`;
    expect(await secrets.getOrCreate(name, () => 'first')).toBe('first');
    expect(await secrets.getOrCreate(name, () => 'second')).toBe('first');
  });
});
