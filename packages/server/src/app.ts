/**
 * buildApp(deps) -> FastifyInstance. Never listens (main.ts does), so tests drive it with inject().
 * The MDE API is mounted twice, under `/api` and `/api/v1.0` (mde-api.md §1.1); paths match
 * case-insensitively (client-wire-facts 2).
 */
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { ActionEvents, ActionResultService, ActionService, Clock, IdGenerator, LogonUserService, MachineService } from '@cordon/core';
import type { Store } from '@cordon/store';
import type { ServerConfig } from './config.js';
import type { ActionBus } from './events/action-bus.js';
import { createServices, subscribeServices, type Services } from './services.js';
import { machineActionRoutes } from './routes/machine-actions.js';
import { machineRoutes } from './routes/machines.js';
import { machineTimelineRoutes } from './routes/machine-timeline.js';
import { responseActionRoutes } from './routes/response-actions.js';
import { resultLinkRoutes } from './routes/result-links.js';
import { libraryFileRoutes } from './routes/library-files.js';
import { liveResponseRoutes } from './routes/live-response.js';
import { liveSessionRoutes } from './routes/live-sessions.js';
import { investigationRoutes } from './routes/investigations.js';
import { alertRoutes } from './routes/alerts.js';
import { cordonEventRoutes } from './routes/cordon-events.js';
import { cordonSettingsRoutes } from './routes/cordon-settings.js';
import { downloadRoutes } from './routes/downloads.js';
import { agentFileRoutes } from './routes/agent-files.js';
import { agentInstallRoutes, agentPackageApiRoutes, type AgentPackageRoutesOptions } from './routes/agent-packages.js';
import { oauthRoutes } from './routes/oauth.js';
import { uiPlugin } from './ui/session.js';
import { MachineChanges } from './events/machine-changes.js';
import { errorHandlerPlugin, errorHandlerServerOptions } from './plugins/error-handler.js';
import { requestIdOptions, requestIdPlugin } from './plugins/request-id.js';
import { authPlugin } from './plugins/auth.js';
import { rateLimitPlugin } from './plugins/rate-limit.js';
import { serverLimitOptions } from './plugins/server-limits.js';
import { bodyTimeoutPlugin } from './plugins/body-timeout.js';
import { openApiPlugin } from './plugins/openapi.js';

export { randomIds, systemClock } from './system.js';

export interface AppDeps {
  config: Readonly<ServerConfig>;
  /** The services (createServices); when absent they are built here from `store`, `clock` and `ids`. */
  services?: Services;
  /** Only read when `services` is absent. */
  store?: Store;
  clock?: Clock;
  ids?: IdGenerator;
  events?: ActionEvents;
  /** Serve HTTPS with this pair (`--tls-cert/--tls-key`, or the self-signed one of tls.ts). */
  https?: { cert: string; key: string };
  /** Where `npm run build:agent` left the agent artifact (default: packages/agent/artifact). */
  agentArtifactDir?: string;
  /** Fastify logger options; tests pass false. */
  logger?: FastifyServerOptions['logger'];
}

export interface CordonApp {
  app: FastifyInstance;
  config: Readonly<ServerConfig>;
  services: Services;
  /** Every action change; dispatch and live UI updates subscribe here. */
  bus: ActionBus;
  actions: ActionService;
  machines: MachineService;
  /** Result uploads, orphan deletion and retention (the retention job runs its sweep). */
  results: ActionResultService;
  /** Logon users agents report (`agent/logons`), served by `/machines/{id}/logonusers`. */
  logonUsers: LogonUserService;
}

export async function buildApp(deps: AppDeps): Promise<CordonApp> {
  const { config } = deps;
  const services = deps.services ?? createServices({ store: requireStore(deps.store), config, clock: deps.clock, ids: deps.ids });
  const { store, clock, ids, bus, actions, machines, results, logonUsers, keys, users } = services;

  const app = Fastify({
    // Header size and request-receive timeout, enforced by Node's server (server-limits.ts).
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

  services.log.target = app.log;
  await services.liveLink.start();
  await app.register(requestIdPlugin);
  await app.register(bodyTimeoutPlugin, { timeoutMs: config.bodyTimeoutMs });
  await app.register(errorHandlerPlugin);
  // /openapi.json and /docs, generated from the routes' own schemas (so registered first).
  await app.register(openApiPlugin, { publicUrl: config.publicUrl });
  await app.register(authPlugin, { identity: store.identity, people: users, clock, keys, audience: config.audience, issuerBase: `${config.publicUrl}/sts`, trustedIssuers: config.trustedIssuers });
  await app.register(rateLimitPlugin, { store: store.rateLimits, clock, limits: config.rateLimits });
  await app.register(oauthRoutes, { identity: store.identity, clock, keys, ids, audience: config.audience, issuerBase: `${config.publicUrl}/sts`, publicUrl: config.publicUrl });
  const machineChanges = new MachineChanges({ notifier: store.notifier, machines: store.machines, bus, log: app.log });
  await machineChanges.start();
  app.addHook('onClose', async () => machineChanges.stop());
  // Web UI sign-in, session tokens, live action and machine events and the static SPA.
  await app.register(uiPlugin, {
    users, bus, machineChanges, clock, ids, keys, audience: config.audience, issuerBase: `${config.publicUrl}/sts`,
    oidc: { oidc: config.oidc, publicUrl: config.publicUrl, identity: store.identity },
  });

  const agentPackages: AgentPackageRoutesOptions = { agents: store.agents, identity: store.identity, clock, publicUrl: config.publicUrl, tlsCertPem: deps.https?.cert, ...(deps.agentArtifactDir ? { artifactDir: deps.agentArtifactDir } : {}) };
  // Registered in the order the OpenAPI document lists them: machine actions and machines, library,
  // live response and result links, alerts and settings, investigations.
  await underApiPrefixes(app, async (api) => {
    await api.register(machineActionRoutes, { actions });
    await api.register(responseActionRoutes, { actions });
    await api.register(machineRoutes, { machines, logonUsers });
    await api.register(machineTimelineRoutes, { timeline: services.timeline });
    await api.register(agentPackageApiRoutes, agentPackages);
  });
  // Agent packages (.deb, .tar.gz, the one-line installer) for an issued enrollment secret.
  await app.register(agentInstallRoutes, agentPackages);
  await underApiPrefixes(app, async (api) => {
    await api.register(libraryFileRoutes, { library: services.library, links: services.downloadLinks, publicUrl: config.publicUrl });
    await api.register(liveResponseRoutes, { liveResponse: services.liveResponse });
    await api.register(resultLinkRoutes, { actions, blobs: store.blobs, results, links: services.downloadLinks, publicUrl: config.publicUrl });
  });
  // Signed result and library downloads (public: the link is the authorization).
  await app.register(downloadRoutes, { blobs: store.blobs, links: services.downloadLinks });
  // Files devices fetch and results they upload (device-signed requests).
  await app.register(agentFileRoutes, { agents: store.agents, nonces: store.nonces, clock, actions, library: services.library, blobs: store.blobs, results });
  await underApiPrefixes(app, async (api) => {
    await api.register(alertRoutes, { alerts: services.alerts });
    await api.register(cordonSettingsRoutes, { settings: services.settings });
    await api.register(cordonEventRoutes, { actions, bus, clock });
    await api.register(liveSessionRoutes, { sessions: services.liveSessions, link: services.liveLink, clock });
  });
  await underApiPrefixes(app, async (api) => {
    await api.register(investigationRoutes, { investigations: services.investigations });
  });
  const unsubscribe = subscribeServices(services);
  app.addHook('onClose', async () => unsubscribe());
  // Investigations whose actions finished while the server was down move on once the app is ready.
  app.addHook('onReady', async () => {
    void services.investigations.resumeAll().catch((err: unknown) => app.log.error({ err }, 'could not resume automated investigations'));
  });
  app.get('/healthz', async () => ({ status: 'ok' }));
  if (deps.events) bus.subscribe((event) => deps.events!.publish(event));
  return { app, config, services, bus, actions, machines, results, logonUsers };
}

/** The MDE API answers under both prefixes (mde-api.md §1.1). */
async function underApiPrefixes(app: FastifyInstance, routes: (api: FastifyInstance) => Promise<void>): Promise<void> {
  for (const prefix of ['/api', '/api/v1.0']) await app.register(routes, { prefix });
}

function requireStore(store: Store | undefined): Store {
  if (!store) throw new Error('buildApp needs `services` or a `store` to build them from');
  return store;
}
