/**
 * `cordon onboarding-package`: opens the configured store, makes sure the action-signing key
 * exists, and issues a package for one tenant (the only tenant when there is one).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { OnboardingPackage } from '@cordon/protocol';
import type { ServerConfig } from '../config.js';
import { openConfiguredStore } from '../open-store.js';
import { systemClock } from '../system.js';
import { loadActionSigner } from './action-signer.js';
import { createOnboardingPackage } from './enrollment.js';

export interface OnboardingPackageOptions {
  tenantId?: string;
  ttlMs?: number;
  maxUses?: number;
}

export async function issueOnboardingPackage(config: Readonly<ServerConfig>, options: OnboardingPackageOptions = {}): Promise<OnboardingPackage> {
  const store = await openConfiguredStore(config);
  try {
    let tenantId = options.tenantId;
    if (!tenantId) {
      const tenants = await store.identity.listTenants();
      if (tenants.length !== 1) throw new Error(tenants.length === 0 ? 'no tenant yet: start the server once first' : 'several tenants: pass --tenant');
      tenantId = tenants[0]!.id;
    } else if (!(await store.identity.getTenant(tenantId))) {
      throw new Error(`tenant ${tenantId} does not exist`);
    }
    const signer = await loadActionSigner(store.identity, systemClock);
    const certPath = config.tlsCert ?? (config.tlsSelfSigned ? join(config.dataDir, 'tls', 'cert.pem') : undefined);
    const tlsCertPem = certPath ? await readFile(certPath, 'utf8') : undefined;
    return await createOnboardingPackage(
      { agents: store.agents, signer, clock: systemClock },
      { tenantId, serverUrls: config.agentServerUrls, tlsCertPem, ...(options.ttlMs !== undefined ? { ttlMs: options.ttlMs } : {}), ...(options.maxUses !== undefined ? { maxUses: options.maxUses } : {}) },
    );
  } finally {
    await store.close();
  }
}
