/**
 * The server side of response actions, as one plugin for app.ts: alerts (under both API
 * prefixes), the tenant settings extension, scan results -> alerts, and the settings push signal
 * (a notifier message per changed tenant; the dispatch hub forwards it to connected agents).
 */
import type { FastifyPluginAsync } from 'fastify';
import { AlertService, TenantSettingsService, subscribeScanAlerts, type Clock, type IdGenerator } from '@cordon/core';
import type { Store } from '@cordon/store';
import type { ActionBus } from '../events/action-bus.js';
import { alertRoutes } from './alerts.js';
import { cordonSettingsRoutes } from './cordon-settings.js';

/** Notifier channel: payload is the tenant id whose settings changed. */
export const SETTINGS_CHANNEL = 'cordon_settings';

export interface ResponseOptions {
  store: Pick<Store, 'alerts' | 'tenantSettings' | 'machines' | 'notifier'>;
  bus: ActionBus;
  clock: Clock;
  ids: IdGenerator;
}

export const responsePlugin: FastifyPluginAsync<ResponseOptions> = async (app, { store, bus, clock, ids }) => {
  const alerts = new AlertService({ alerts: store.alerts, machines: store.machines, clock, ids });
  const settings = new TenantSettingsService({
    settings: store.tenantSettings,
    clock,
    onChange: (tenantId) => void store.notifier.notify(SETTINGS_CHANNEL, tenantId).catch((err: unknown) => app.log.error({ err }, 'settings change notify failed')),
  });
  const unsubscribe = subscribeScanAlerts(bus, alerts, (err, actionId) => app.log.error({ err, actionId }, 'could not create alerts from a scan result'));
  app.addHook('onClose', async () => unsubscribe());
  for (const prefix of ['/api', '/api/v1.0']) {
    await app.register(
      async (api) => {
        await api.register(alertRoutes, { alerts });
        await api.register(cordonSettingsRoutes, { settings });
      },
      { prefix },
    );
  }
};
