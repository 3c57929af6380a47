/**
 * First start: when the store has no tenant yet, create a default tenant and an admin application
 * holding every application permission, print its credentials once, and write them to
 * `<dataDir>/credentials.json` (mode 0600) so a newcomer can call the API right away.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { APP_PERMISSIONS, toMdeTimestamp } from '@cordon/protocol';
import type { Clock, IdGenerator, IdentityStore } from '@cordon/core';
import { createApplication } from './auth/index.js';

export interface BootstrapResult {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  credentialsFile: string;
}

export async function bootstrapFirstStart(deps: { identity: IdentityStore; clock: Clock; ids: IdGenerator; dataDir: string; publicUrl: string }): Promise<BootstrapResult | undefined> {
  const tenants = await deps.identity.listTenants();
  if (tenants.length > 0) return undefined;
  const tenantId = deps.ids.uuid();
  await deps.identity.createTenant({ id: tenantId, name: 'default', createdAt: toMdeTimestamp(deps.clock.now()) });
  const app = await createApplication(deps.identity, { tenantId, name: 'Cordon admin', roles: [...APP_PERMISSIONS] }, { clock: deps.clock, ids: deps.ids });
  await mkdir(deps.dataDir, { recursive: true, mode: 0o700 });
  const credentialsFile = join(deps.dataDir, 'credentials.json');
  const body = {
    tenantId,
    clientId: app.clientId,
    clientSecret: app.clientSecret,
    tokenUrl: `${deps.publicUrl}/${tenantId}/oauth2/v2.0/token`,
    apiUrl: `${deps.publicUrl}/api`,
  };
  await writeFile(credentialsFile, `${JSON.stringify(body, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  return { tenantId, clientId: app.clientId, clientSecret: app.clientSecret, credentialsFile };
}
