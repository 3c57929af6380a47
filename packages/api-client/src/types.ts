/** Client-side shapes that protocol does not (yet) define: OData pages, list queries, library files. */
import type { MachineAction, Machine, TenantSettings } from '@cordon/protocol';

/** A collection page as the API returns it (mde-api.md §2.4). */
export interface ODataPage<T> {
  '@odata.context'?: string;
  '@odata.count'?: number;
  '@odata.nextLink'?: string;
  value: T[];
}

/** An entity body: the entity plus its `@odata.context` annotation. */
export type Entity<T> = T & { '@odata.context'?: string };

/** OData system query options; `filter` is sent as-is (`status eq 'Pending'`). */
export interface ListQuery {
  filter?: string;
  top?: number;
  skip?: number;
  orderby?: string;
  select?: readonly string[];
  count?: boolean;
}

/** A live response library entry (mde-api.md §4.11). */
export interface LibraryFile {
  fileName: string;
  sha256: string;
  description: string | null;
  creationTime: string;
  lastUpdatedTime: string;
  createdBy: string;
  hasParameters: boolean;
  parametersDescription?: string | null;
  /** @extension Cordon: the content size in bytes (older servers omit it). */
  size?: number;
}

/** What a RunScript command's result link serves (mde-api.md §4.10). */
export interface ScriptTranscript {
  script_name?: string;
  exit_code?: number;
  script_output?: string;
  script_errors?: string;
}

export type MachineActionEntity = Entity<MachineAction>;
export type MachineEntity = Entity<Machine>;
/** The tenant's response settings (Cordon extension, `GET /api/cordon/settings`). */
export type CordonSettingsEntity = Entity<TenantSettings>;

export function toSearchParams(query: ListQuery = {}): URLSearchParams {
  const params = new URLSearchParams();
  if (query.filter) params.set('$filter', query.filter);
  if (query.top !== undefined) params.set('$top', String(query.top));
  if (query.skip !== undefined) params.set('$skip', String(query.skip));
  if (query.orderby) params.set('$orderby', query.orderby);
  if (query.select && query.select.length > 0) params.set('$select', query.select.join(','));
  if (query.count) params.set('$count', 'true');
  return params;
}

/** POST /api/cordon/agentPackages: links that work while the secret can enroll (public, no token). */
export interface AgentPackageLinks {
  expiresAt: string;
  maxUses: number;
  debUrl: string;
  tarUrl: string;
  installScriptUrl: string;
  /** `curl -fsSL … | sudo sh`, pinning the server's public key when it serves TLS. */
  installCommand: string;
}
