/**
 * The store the server-side admin commands (`cordon apps …`, `cordon users …`) act on: the data
 * directory or database of the server they run next to, opened through the server's own config.
 */
import { Option, type Command } from 'commander';
import { flagsToEnv } from './server.js';

type Server = typeof import('@cordon/server');
type Store = Awaited<ReturnType<Server['openConfiguredStore']>>;

export interface AdminStoreOptions {
  data?: string;
  database?: string;
}

export function addAdminStoreOptions(command: Command): Command {
  return command
    .addOption(new Option('--data <dir>', 'data directory').env('CORDON_DATA'))
    .addOption(new Option('--database <url>', 'postgres:// URL').env('CORDON_DATABASE_URL'));
}

/** Opens the store, runs `use` with the server's admin surface, and always closes the store. */
export async function withAdminStore<T>(opts: AdminStoreOptions, use: (store: Store, server: Server) => Promise<T>): Promise<T> {
  // Loaded on use: the agent and analyst commands must not pull in the server and its drivers.
  const server = await import('@cordon/server');
  const config = server.loadConfig({ ...process.env, ...flagsToEnv({ data: opts.data, database: opts.database }) });
  const store = await server.openConfiguredStore(config);
  try {
    return await use(store, server);
  } finally {
    await store.close();
  }
}
