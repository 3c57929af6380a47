/**
 * The store contract: one suite every engine must pass (house-style 8.3; kysely's
 * `for (const dialect of DIALECTS)`, hono's `runTest`). Each test works in a fresh tenant and
 * seeds what it needs; the few cross-tenant operations (expireDue, markInactive, signing keys)
 * use instants or keys no other test touches.
 * @example runStoreContract({ name: 'sqlite :memory:', newStore: () => openStore({ sqlitePath: ':memory:' }) });
 */
import { afterAll, beforeAll, describe } from 'vitest';
import type { Store } from '../index.js';
import { contractIt, newTenantId, type ContractContext, type StoreContractSkip } from './contract/context.js';
import { actionContract } from './contract/actions.js';
import { actionListContract } from './contract/action-list.js';
import { machineContract } from './contract/machines.js';
import { machineListContract } from './contract/machine-list.js';
import { identityContract } from './contract/identity.js';
import { rateLimitContract } from './contract/rate-limits.js';
import { actionResultContract } from './contract/action-results.js';
import { logonUserContract } from './contract/logon-users.js';
import { machineEventContract } from './contract/machine-events.js';
import { requestNonceContract } from './contract/request-nonces.js';
import { serverRegistryContract } from './contract/server-registry.js';
import { alertContract } from './contract/alerts.js';
import { tenantSettingsContract } from './contract/tenant-settings.js';
import { libraryContract, secretContract } from './contract/library.js';
import { investigationContract } from './contract/investigations.js';
import { userContract } from './contract/users.js';
import { agentContract } from './contract/agents.js';
import { liveSessionContract } from './contract/live-sessions.js';
import { runBlobStoreContract } from '../blobs/blob-store-contract.js';

export type { StoreContractSkip } from './contract/context.js';

export interface StoreContractOptions {
  /** Shown in the describe block, e.g. 'sqlite :memory:'. */
  name: string;
  /** Opens the store under test; called once per suite, closed after it. */
  newStore: () => Promise<Store>;
  skip?: StoreContractSkip[];
}

export function runStoreContract(options: StoreContractOptions): void {
  describe(`store contract: ${options.name}`, () => {
    let store: Store | undefined;
    beforeAll(async () => {
      store = await options.newStore();
    });
    afterAll(async () => {
      await store?.close();
    });
    const ctx: ContractContext = {
      store: () => {
        if (!store) throw new Error('store contract: the store did not open (see the beforeAll error)');
        return store;
      },
      newTenant: newTenantId,
      it: contractIt(options.skip ?? []),
    };
    describe('ActionStore', () => actionContract(ctx));
    describe('ActionStore.list', () => actionListContract(ctx));
    describe('MachineStore', () => machineContract(ctx));
    describe('MachineStore.list', () => machineListContract(ctx));
    describe('IdentityStore', () => identityContract(ctx));
    describe('RateLimitStore', () => rateLimitContract(ctx));
    describe('ActionResultStore', () => actionResultContract(ctx));
    describe('LogonUserStore', () => logonUserContract(ctx));
    describe('MachineEventStore', () => machineEventContract(ctx));
    describe('RequestNonceStore', () => requestNonceContract(ctx));
    describe('ServerRegistryStore', () => serverRegistryContract(ctx));
    describe('AlertStore', () => alertContract(ctx));
    describe('TenantSettingsStore', () => tenantSettingsContract(ctx));
    describe('LibraryStore', () => libraryContract(ctx));
    describe('SecretStore', () => secretContract(ctx));
    describe('InvestigationStore', () => investigationContract(ctx));
    describe('UserStore', () => userContract(ctx));
    describe('AgentStore', () => agentContract(ctx));
    describe('LiveSessionStore', () => liveSessionContract(ctx));
    // The blob backend openStore picks for this engine (files beside a SQLite file, rows otherwise).
    runBlobStoreContract('as opened by openStore', () => ctx.store().blobs);
  });
}
