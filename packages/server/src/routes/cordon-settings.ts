/**
 * @extension Cordon: `GET/PUT /cordon/settings`, the tenant's response settings
 * (isolation exceptions, execution allow-list, scan signatures, scan CPU share, quarantine search
 * paths). PUT replaces the whole document; agents get the new settings pushed.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { TenantSettingsService } from '@cordon/core';
import { TenantSettingsBody } from '@cordon/protocol';
import { callerOf } from '../caller-of.js';
import { entityBody } from '../odata-response.js';

export interface SettingsRoutesOptions {
  settings: TenantSettingsService;
}

/** Hash lists can be long (100,000 lines of ~100 characters); the default body limit is smaller. */
const SETTINGS_BODY_LIMIT = 16 * 1024 * 1024;

export const cordonSettingsRoutes: FastifyPluginAsync<SettingsRoutesOptions> = async (app, { settings }) => {
  app.get('/cordon/settings', { config: { operation: 'getCordonSettings' } }, async (request) => {
    return entityBody(request, 'CordonSettings/$entity', await settings.get(callerOf(request).tenantId));
  });

  app.put<{ Body: TenantSettingsBody }>(
    '/cordon/settings',
    { config: { operation: 'updateCordonSettings' }, bodyLimit: SETTINGS_BODY_LIMIT, schema: { body: TenantSettingsBody } },
    async (request) => {
      return entityBody(request, 'CordonSettings/$entity', await settings.replace(callerOf(request).tenantId, request.body));
    },
  );
};
