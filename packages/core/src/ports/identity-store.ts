/** Tenants and the applications (OAuth2 clients) and keys of the control plane. */

export interface TenantRecord {
  id: string;
  name: string;
  createdAt: string;
}

export interface AppRecord {
  tenantId: string;
  /** The OAuth2 client_id (a GUID). */
  clientId: string;
  /** Display name; becomes the `requestor` of the actions it creates. */
  name: string;
  /** Application permissions it holds (`roles` claim). */
  roles: string[];
  /** Slow hash of the secret (scrypt, with its parameters); the secret itself is never stored. */
  secretHash: string;
  createdAt: string;
  disabled: boolean;
}

/** A signing key the server generated; private part stored as a JWK. */
export interface SigningKeyRecord {
  kid: string;
  /** 'jwt' signs access tokens; 'action' signs actions sent to agents. */
  use: 'jwt' | 'action';
  alg: string;
  publicJwk: Record<string, unknown>;
  privateJwk: Record<string, unknown>;
  createdAt: string;
}

export interface IdentityStore {
  createTenant(tenant: TenantRecord): Promise<void>;
  getTenant(id: string): Promise<TenantRecord | undefined>;
  listTenants(): Promise<TenantRecord[]>;
  createApp(app: AppRecord): Promise<void>;
  getApp(clientId: string): Promise<AppRecord | undefined>;
  listApps(tenantId: string): Promise<AppRecord[]>;
  /** Disables (or re-enables) an application: no new tokens, existing ones refused. False when no such app. */
  setAppDisabled(clientId: string, disabled: boolean): Promise<boolean>;
  /** Replaces an application's secret hash (the old secret stops working at once). False when no such app. */
  setAppSecretHash(clientId: string, secretHash: string): Promise<boolean>;
  /** Inserts a key unless one with the same `use` exists; returns the key in force (first writer wins across processes). */
  ensureSigningKey(candidate: SigningKeyRecord): Promise<SigningKeyRecord>;
  listSigningKeys(use: SigningKeyRecord['use']): Promise<SigningKeyRecord[]>;
}
