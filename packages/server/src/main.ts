/**
 * Composition root of the server: config -> store -> app -> listen, plus background jobs.
 * The only place that constructs adapters.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { openStore, type Store } from '@cordon/store';
import type { FastifyInstance } from 'fastify';
import { buildApp, randomIds, systemClock } from './app.js';
import type { ServerConfig } from './config.js';
import { bootstrapFirstStart } from './bootstrap.js';
import { startActionReaper } from './jobs/expire-actions.js';

export interface RunningServer {
  app: FastifyInstance;
  store: Store;
  url: string;
  close(): Promise<void>;
}

export async function openConfiguredStore(config: Readonly<ServerConfig>): Promise<Store> {
  if (config.databaseUrl) return openStore({ url: config.databaseUrl });
  await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
  return openStore({ sqlitePath: join(config.dataDir, 'cordon.db') });
}

export async function runServer(config: Readonly<ServerConfig>): Promise<RunningServer> {
  const store = await openConfiguredStore(config);
  const { app, actions } = await buildApp({ config, store, logger: { level: config.logLevel } });
  const first = await bootstrapFirstStart({ identity: store.identity, clock: systemClock, ids: randomIds, dataDir: config.dataDir, publicUrl: config.publicUrl });
  if (first) {
    // Printed once, on the console only (never through the logger, whose lines may be shipped).
    process.stdout.write(
      `\nCordon first start: created tenant ${first.tenantId} and an admin application.\n` +
        `  client id:     ${first.clientId}\n  client secret: ${first.clientSecret}\n` +
        `  saved to ${first.credentialsFile} (mode 0600); the secret is not shown again.\n\n`,
    );
  }
  const url = await app.listen({ port: config.port, host: config.host });
  const reaper = startActionReaper(actions, config.reaperIntervalMs, app.log);
  return {
    app,
    store,
    url,
    async close() {
      reaper.stop();
      await app.close();
      await store.close();
    },
  };
}
