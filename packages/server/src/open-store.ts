/** Opens the store the configuration names: PostgreSQL at CORDON_DATABASE_URL, else SQLite in the data directory. */
import { access, mkdir } from 'node:fs/promises';
import { constants } from 'node:fs';
import { join } from 'node:path';
import { openStore, type Store } from '@cordon/store';
import type { ServerConfig } from './config.js';

export async function openConfiguredStore(config: Readonly<ServerConfig>): Promise<Store> {
  if (config.databaseUrl) return openStore({ url: config.databaseUrl });
  await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
  // Say plainly why, instead of SQLite's "unable to open database file".
  await access(config.dataDir, constants.W_OK).catch((err: NodeJS.ErrnoException) => {
    throw new Error(`data directory ${config.dataDir} is not writable (${err.code ?? err.message}): Cordon keeps its database there`);
  });
  return openStore({ sqlitePath: join(config.dataDir, 'cordon.db') });
}
