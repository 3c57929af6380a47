/** Creating applications (OAuth2 clients): used by the first start and by `cordon apps create`. */
import { APP_PERMISSIONS, toMdeTimestamp } from '@cordon/protocol';
import { DomainError, type Clock, type IdGenerator, type IdentityStore } from '@cordon/core';
import { generateSecret, hashSecret } from './secret-hash.js';

export interface NewApplication {
  tenantId: string;
  name: string;
  /** Application permissions (protocol APP_PERMISSIONS). */
  roles: readonly string[];
}

export interface CreatedApplication {
  tenantId: string;
  clientId: string;
  /** Shown once: only its hash is stored. */
  clientSecret: string;
}

/**
 * Creates an application with a fresh client id and secret, storing only the secret's hash.
 * @example const { clientId, clientSecret } = await createApplication(store.identity, { tenantId, name: 'SOAR', roles: ['Machine.Isolate'] }, { clock, ids });
 */
export async function createApplication(
  identity: IdentityStore,
  app: NewApplication,
  deps: { clock: Clock; ids: IdGenerator },
): Promise<CreatedApplication> {
  const unknown = app.roles.filter((r) => !(APP_PERMISSIONS as readonly string[]).includes(r));
  if (unknown.length > 0) throw new DomainError('InvalidInput', `Unknown application permission(s): ${unknown.join(', ')}`);
  if (!app.name.trim()) throw new DomainError('InvalidInput', 'Application name is empty');
  if (!(await identity.getTenant(app.tenantId))) throw new DomainError('InvalidInput', `Tenant ${app.tenantId} does not exist`);
  const clientId = deps.ids.uuid();
  const clientSecret = generateSecret();
  await identity.createApp({
    tenantId: app.tenantId,
    clientId,
    name: app.name,
    roles: [...new Set(app.roles)],
    secretHash: await hashSecret(clientSecret),
    createdAt: toMdeTimestamp(deps.clock.now()),
    disabled: false,
  });
  return { tenantId: app.tenantId, clientId, clientSecret };
}
