/** Identity records <-> rows. */
import type { AppRecord, SigningKeyRecord, TenantRecord } from '@cordon/core';
import type { AppsTable, SigningKeysTable, TenantsTable } from '../schema.js';
import { fromDbBool, fromJson, toDbBool, toJson } from './json.js';

export function toTenantRecord(row: TenantsTable): TenantRecord {
  return { id: row.id, name: row.name, createdAt: row.created_at };
}

export function toTenantRow(t: TenantRecord): TenantsTable {
  return { id: t.id, name: t.name, created_at: t.createdAt };
}

export function toAppRecord(row: AppsTable): AppRecord {
  return {
    tenantId: row.tenant_id,
    clientId: row.client_id,
    name: row.name,
    roles: fromJson<string[]>(row.roles),
    secretHash: row.secret_hash,
    createdAt: row.created_at,
    disabled: fromDbBool(row.disabled),
  };
}

export function toAppRow(a: AppRecord): AppsTable {
  return {
    tenant_id: a.tenantId,
    client_id: a.clientId,
    name: a.name,
    roles: toJson(a.roles),
    secret_hash: a.secretHash,
    created_at: a.createdAt,
    disabled: toDbBool(a.disabled),
  };
}

export function toSigningKeyRecord(row: SigningKeysTable): SigningKeyRecord {
  return {
    kid: row.kid,
    use: row.use as SigningKeyRecord['use'],
    alg: row.alg,
    publicJwk: fromJson<Record<string, unknown>>(row.public_jwk),
    privateJwk: fromJson<Record<string, unknown>>(row.private_jwk),
    createdAt: row.created_at,
  };
}

export function toSigningKeyRow(k: SigningKeyRecord): SigningKeysTable {
  return {
    kid: k.kid,
    use: k.use,
    alg: k.alg,
    public_jwk: toJson(k.publicJwk),
    private_jwk: toJson(k.privateJwk),
    created_at: k.createdAt,
    current_use: k.use,
  };
}
