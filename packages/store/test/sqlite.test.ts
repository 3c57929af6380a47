/** The store contract on SQLite: in memory, and on a file (WAL, the way the server runs it). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { openStore } from '@cordon/store';
import { runStoreContract } from '@cordon/store/testing';

runStoreContract({ name: "sqlite ':memory:'", newStore: () => openStore({ sqlitePath: ':memory:' }) });

const dir = mkdtempSync(join(tmpdir(), 'cordon-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
runStoreContract({ name: 'sqlite file', newStore: () => openStore({ sqlitePath: join(dir, 'cordon.db') }) });
