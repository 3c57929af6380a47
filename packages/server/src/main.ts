/**
 * Composition root of the server: config -> store -> app -> listen, plus background jobs.
 * The only place that constructs adapters.
 */
import { mkdir } from 'node:fs/promises';
import type { Store } from '@cordon/store';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import type { ServerConfig } from './config.js';
import { bootstrapFirstStart } from './bootstrap.js';
import { startActionReaper } from './jobs/expire-actions.js';
import { startLiveSessionReaper } from './jobs/expire-live-sessions.js';
import { startHealthJob } from './jobs/health.js';
import { RESULT_SWEEP_INTERVAL_MS, startResultRetention } from './jobs/result-retention.js';
import { wireDispatch } from './wire-dispatch.js';
import { loadTls } from './tls.js';
import { lockDataDir, type DataDirLock } from './data-dir-lock.js';
import { loggerOptions } from './logging.js';
import { openConfiguredStore } from './open-store.js';
import { createServices } from './services.js';
import { randomIds, systemClock } from './system.js';

export { openConfiguredStore } from './open-store.js';

export interface RunningServer {
  app: FastifyInstance;
  store: Store;
  url: string;
  close(): Promise<void>;
}

export async function runServer(config: Readonly<ServerConfig>): Promise<RunningServer> {
  const lock = config.databaseUrl ? undefined : await lockSqliteDataDir(config);
  try {
    return await startServer(config, lock);
  } catch (err) {
    await lock?.release();
    throw err;
  }
}

async function lockSqliteDataDir(config: Readonly<ServerConfig>): Promise<DataDirLock> {
  await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
  return lockDataDir(config.dataDir);
}

async function startServer(config: Readonly<ServerConfig>, lock: DataDirLock | undefined): Promise<RunningServer> {
  const store = await openConfiguredStore(config);
  const tls = await loadTls({ certPath: config.tlsCert, keyPath: config.tlsKey, selfSigned: config.tlsSelfSigned, dataDir: config.dataDir, hostnames: [config.host, new URL(config.publicUrl).hostname] });
  const services = createServices({ store, config, clock: systemClock, ids: randomIds });
  const built = await buildApp({ config, services, logger: loggerOptions(config.logLevel), ...(tls ? { https: { cert: tls.cert, key: tls.key } } : {}) });
  const { app, actions, results } = built;
  // Devices: the dispatcher and the agent channel endpoints.
  await wireDispatch({ built, store, clock: systemClock, heartbeatIntervalMs: config.heartbeatIntervalMs, inactiveAfterMs: config.inactiveAfterMs });
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
  // A minute's granularity on a 30-minute idle timeout.
  const liveReaper = startLiveSessionReaper(services.liveSessions, 60_000, app.log);
  const retention = startResultRetention(results, RESULT_SWEEP_INTERVAL_MS, app.log);
  const health = startHealthJob({ machines: store.machines, clock: systemClock, inactiveAfterMs: config.inactiveAfterMs, intervalMs: config.healthCheckIntervalMs, log: app.log });
  return {
    app,
    store,
    url,
    async close() {
      reaper.stop();
      liveReaper.stop();
      retention.stop();
      health.stop();
      await app.close();
      await store.close();
      await lock?.release();
    },
  };
}
