import type { TenantSettings } from '@cordon/protocol';

/** The tenant's response settings (Cordon extension), one document per tenant. */
export interface TenantSettingsStore {
  /** The stored settings, or undefined when the tenant never saved any. */
  get(tenantId: string): Promise<TenantSettings | undefined>;
  put(tenantId: string, settings: TenantSettings): Promise<void>;
}
