/**
 * buildApp(deps) -> FastifyInstance. Never listens (main.ts does), so tests drive it with inject().
 * The MDE API is mounted twice, under `/api` and `/api/v1.0` (mde-api.md §1.1); paths match
 * case-insensitively (client-wire-facts 2).
 */
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { randomUUID } from 'node:crypto';
import { ActionResultService, ActionService, DEFAULT_RUN_TIMEOUTS_MS, LogonUserService, MachineService, type ActionEvents, type Clock, type IdGenerator } from '@cordon/core';
import { KyselyUserStore, type Store } from '@cordon/store';
import type { ServerConfig } from './config.js';
import { ActionBus } from './events/action-bus.js';
import { machineActionRoutes } from './routes/machine-actions.js';
import { machineRoutes } from './routes/machines.js';
import { responseActionRoutes } from './routes/response-actions.js';
import { errorHandlerPlugin, errorHandlerServerOptions } from './plugins/error-handler.js';
import { createSigningKeys } from './auth/index.js';
import { requestIdOptions, requestIdPlugin } from './plugins/request-id.js';
import { authPlugin } from './plugins/auth.js';
import { rateLimitPlugin } from './plugins/rate-limit.js';
import { oauthRoutes } from './routes/oauth.js';
import { uiPlugin } from './routes/ui.js';
import { serverLimitOptions } from './plugins/server-limits.js';
import { bodyTimeoutPlugin } from './plugins/body-timeout.js';
import { forensicsPlugin } from './routes/forensics.js';
import { openApiPlugin } from './plugins/openapi.js';
import { responsePlugin } from './routes/response.js';
import { investigationsPlugin } from './investigations/plugin.js';
import { agentInstallRoutes, agentPackageApiRoutes, type AgentPackageRoutesOptions } from './routes/agent-packages.js';

export interface AppDeps {
  config: Readonly<ServerConfig>;
  store: Store;
  clock?: Clock;
  ids?: IdGenerator;
  events?: ActionEvents;
  /** Serve HTTPS with this pair (issue 3: `--tls-cert/--tls-key` or the self-signed one of tls.ts). */
  https?: { cert: string; key: string };
  /** Where `npm run build:agent` left the agent artifact (default: packages/agent/artifact). */
  agentArtifactDir?: string;
  /** Fastify logger options; tests pass false. */
  logger?: FastifyServerOptions['logger'];
}

export interface CordonApp {
  app: FastifyInstance;
  config: Readonly<ServerConfig>;
  /** Every action change; dispatch and live UI updates subscribe here. */
  bus: ActionBus;
  actions: ActionService;
  machines: MachineService;
  /** Result uploads, orphan deletion and retention (the retention job runs its sweep). */
  results: ActionResultService;
  /** Logon users agents report (`agent/logons`), served by `/machines/{id}/logonusers`. */
  logonUsers: LogonUserService;
}

export const systemClock: Clock = { now: () => performance.timeOrigin + performance.now() };
export const randomIds: IdGenerator = { uuid: () => randomUUID() };

export async function buildApp(deps: AppDeps): Promise<CordonApp> {
  const { config, store } = deps;
  const clock = deps.clock ?? systemClock;
  const ids = deps.ids ?? randomIds;
  const bus = new ActionBus();
  const actions = new ActionService({
    actions: store.actions,
    machines: store.machines,
    clock,
    ids,
    events: bus,
    timeouts: { pendingExpiryMs: config.actionExpiryMs, runTimeoutMs: DEFAULT_RUN_TIMEOUTS_MS },
  });
  const machines = new MachineService({ machines: store.machines });
  const results = new ActionResultService({ results: store.results, blobs: store.blobs, actions: store.actions, clock, retentionDays: config.resultRetentionDays });
  const logonUsers = new LogonUserService({ logonUsers: store.logonUsers, machines: store.machines });

  const app = Fastify({
    // Issue 7: header size and request-receive timeout, enforced by Node's server (server-limits.ts).
    ...serverLimitOptions({ maxHeaderBytes: config.maxHeaderBytes, requestTimeoutMs: config.requestTimeoutMs }, deps.https),
    logger: deps.logger ?? false,
    bodyLimit: config.bodyLimitBytes,
    routerOptions: {
      caseSensitive: false,
      ignoreTrailingSlash: true, // `findByTag/?tag=` (client-wire-facts 3)
      ignoreDuplicateSlashes: true,
    },
    ...requestIdOptions(),
    ...errorHandlerServerOptions(),
    ajv: {
      // Body parameter names are case-sensitive and types exact (mde-api.md §2.1): refuse unknown
      // properties instead of silently dropping them, and never coerce 123 into "123".
      customOptions: { removeAdditional: false, coerceTypes: false, useDefaults: false, allErrors: false },
    },
  });

  await app.register(requestIdPlugin);
  await app.register(bodyTimeoutPlugin, { timeoutMs: config.bodyTimeoutMs });
  await app.register(errorHandlerPlugin);
  // Issue 6: /openapi.json and /docs, generated from the routes' own schemas (so registered first).
  await app.register(openApiPlugin, { publicUrl: config.publicUrl });
  const keys = createSigningKeys(store.identity, clock);
  const users = new KyselyUserStore(store.db);
  await app.register(authPlugin, { identity: store.identity, people: users, clock, keys, audience: config.audience, issuerBase: `${config.publicUrl}/sts`, trustedIssuers: config.trustedIssuers });
  await app.register(rateLimitPlugin, { store: store.rateLimits, clock, limits: config.rateLimits });
  await app.register(oauthRoutes, { identity: store.identity, clock, keys, ids, audience: config.audience, issuerBase: `${config.publicUrl}/sts`, publicUrl: config.publicUrl });
  // Issue 6: web UI sign-in, session tokens, live action events and the static SPA.
  await app.register(uiPlugin, {
    store, users, bus, clock, ids, keys, audience: config.audience, issuerBase: `${config.publicUrl}/sts`,
    oidc: { oidc: config.oidc, publicUrl: config.publicUrl, identity: store.identity },
  });

  const agentPackages: AgentPackageRoutesOptions = { agents: store.agents, identity: store.identity, clock, publicUrl: config.publicUrl, tlsCertPem: deps.https?.cert, ...(deps.agentArtifactDir ? { artifactDir: deps.agentArtifactDir } : {}) };
  for (const prefix of ['/api', '/api/v1.0']) {
    await app.register(
      async (api) => {
        await api.register(machineActionRoutes, { actions });
        await api.register(responseActionRoutes, { actions });
        await api.register(machineRoutes, { machines, logonUsers });
        await api.register(agentPackageApiRoutes, agentPackages);
      },
      { prefix },
    );
  }
  // Agent packages (.deb, .tar.gz, the one-line installer) for an issued enrollment secret.
  await app.register(agentInstallRoutes, agentPackages);
  // Issue 5: library, live response, result links, signed downloads, agent file transfer.
  await app.register(forensicsPlugin, { store, actions, results, bus, clock, publicUrl: config.publicUrl, linkTtlMs: config.downloadLinkTtlMs });
  // Issue 4: alerts from scan detections, tenant response settings (pushed to agents).
  await app.register(responsePlugin, { store, bus, clock, ids });
  // Issue 8: automated investigations (routes, ActionBus subscriber, resume at start).
  await app.register(investigationsPlugin, { store, bus, actions, clock, ids });
  app.get('/healthz', async () => ({ status: 'ok' }));
  if (deps.events) bus.subscribe((event) => deps.events!.publish(event));
  return { app, config, bus, actions, machines, results, logonUsers };
}
