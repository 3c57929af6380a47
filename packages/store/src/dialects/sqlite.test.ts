import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../index.js';

const modeOf = (path: string) => statSync(path).mode & 0o777;

describe('sqliteDialect file modes', () => {
  let dir: string;
  let store: Store | undefined;
  let umask: number;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cordon-sqlite-mode-'));
    // The usual umask, under which SQLite on its own would create 0644 files.
    umask = process.umask(0o022);
  });
  afterEach(async () => {
    await store?.close();
    store = undefined;
    process.umask(umask);
    rmSync(dir, { recursive: true, force: true });
  });

  it('should create the database and its -wal and -shm files readable by the owner only', async () => {
    const path = join(dir, 'cordon.db');
    store = await openStore({ sqlitePath: path });
    await store.identity.createTenant({ id: 't1', name: 'default', createdAt: '2026-01-01T00:00:00Z' });

    expect(modeOf(path)).toBe(0o600);
    expect(modeOf(`${path}-wal`)).toBe(0o600);
    expect(modeOf(`${path}-shm`)).toBe(0o600);
  });

  it('should tighten a database file that an older version created world-readable', async () => {
    const path = join(dir, 'cordon.db');
    writeFileSync(path, '', { mode: 0o644 });
    store = await openStore({ sqlitePath: path });

    expect(modeOf(path)).toBe(0o600);
  });
});
