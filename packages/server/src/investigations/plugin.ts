/**
 * The server side of automated investigations as one plugin for app.ts: the service, its routes
 * under both API prefixes, core's investigation-steps reaction subscribed to the ActionBus, and the
 * resume at start (actions that finished while the server was down).
 */
import type { FastifyPluginAsync } from 'fastify';
import { AlertService, InvestigationService, TenantSettingsService, subscribeInvestigationSteps, type ActionService, type Clock, type IdGenerator } from '@cordon/core';
import type { Store } from '@cordon/store';
import type { ActionBus } from '../events/action-bus.js';
import { investigationRoutes } from '../routes/investigations.js';
import { createBlobPackageReader } from './package-reader.js';

export interface InvestigationsOptions {
  store: Pick<Store, 'investigations' | 'alerts' | 'tenantSettings' | 'machines' | 'blobs'>;
  bus: ActionBus;
  actions: ActionService;
  clock: Clock;
  ids: IdGenerator;
}

export const investigationsPlugin: FastifyPluginAsync<InvestigationsOptions> = async (app, options) => {
  const { store, bus, actions, clock, ids } = options;
  const alerts = new AlertService({ alerts: store.alerts, machines: store.machines, clock, ids });
  const settings = new TenantSettingsService({ settings: store.tenantSettings, clock });
  const investigations = new InvestigationService({
    investigations: store.investigations,
    actions,
    machines: store.machines,
    alerts,
    packages: createBlobPackageReader(store.blobs),
    clock,
    ids,
    indicators: async (tenantId) => (await settings.get(tenantId)).scanSignatures.hashes,
    // The tenant setting (default Full, MDE's default automation level), read when an investigation
    // decides, so a change applies to investigations already running.
    remediationLevel: async (tenantId) => (await settings.get(tenantId)).remediationLevel,
    onError: (err, context) => app.log.error({ err, ...context }, 'automated investigation step failed'),
  });
  const unsubscribe = subscribeInvestigationSteps(bus, investigations, (err, actionId) => app.log.error({ err, actionId }, 'could not advance an automated investigation'));
  app.addHook('onReady', async () => {
    void investigations.resumeAll().catch((err: unknown) => app.log.error({ err }, 'could not resume automated investigations'));
  });
  app.addHook('onClose', async () => unsubscribe());
  for (const prefix of ['/api', '/api/v1.0']) {
    await app.register(async (api) => api.register(investigationRoutes, { investigations }), { prefix });
  }
};
