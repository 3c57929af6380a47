/** The core IdentityStore over Kysely: tenants, applications, signing keys. */
import type { Kysely } from 'kysely';
import type { AppRecord, IdentityStore, SigningKeyRecord, TenantRecord } from '@cordon/core';
import type { Database } from './schema.js';
import { toDbBool } from './rows/json.js';
import { toAppRecord, toAppRow, toSigningKeyRecord, toSigningKeyRow, toTenantRecord, toTenantRow } from './rows/identity-rows.js';

export class KyselyIdentityStore implements IdentityStore {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async createTenant(tenant: TenantRecord): Promise<void> {
    await this.#db.insertInto('tenants').values(toTenantRow(tenant)).execute();
  }

  async getTenant(id: string): Promise<TenantRecord | undefined> {
    const row = await this.#db.selectFrom('tenants').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toTenantRecord(row);
  }

  async listTenants(): Promise<TenantRecord[]> {
    const rows = await this.#db.selectFrom('tenants').selectAll().orderBy('created_at').orderBy('id').execute();
    return rows.map(toTenantRecord);
  }

  async createApp(app: AppRecord): Promise<void> {
    await this.#db.insertInto('apps').values(toAppRow(app)).execute();
  }

  async getApp(clientId: string): Promise<AppRecord | undefined> {
    const row = await this.#db.selectFrom('apps').selectAll().where('client_id', '=', clientId).executeTakeFirst();
    return row && toAppRecord(row);
  }

  async listApps(tenantId: string): Promise<AppRecord[]> {
    const rows = await this.#db.selectFrom('apps').selectAll().where('tenant_id', '=', tenantId).orderBy('created_at').orderBy('client_id').execute();
    return rows.map(toAppRecord);
  }

  async setAppDisabled(clientId: string, disabled: boolean): Promise<boolean> {
    const result = await this.#db.updateTable('apps').set({ disabled: toDbBool(disabled) }).where('client_id', '=', clientId).executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async setAppSecretHash(clientId: string, secretHash: string): Promise<boolean> {
    const result = await this.#db.updateTable('apps').set({ secret_hash: secretHash }).where('client_id', '=', clientId).executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async ensureSigningKey(candidate: SigningKeyRecord): Promise<SigningKeyRecord> {
    // Insert-or-ignore on the UNIQUE current_use, then read whichever key won: every process that
    // races here ends up with the same key, and no transaction is needed.
    await this.#db
      .insertInto('signing_keys')
      .values(toSigningKeyRow(candidate))
      .onConflict((oc) => oc.column('current_use').doNothing())
      .execute();
    const row = await this.#db.selectFrom('signing_keys').selectAll().where('current_use', '=', candidate.use).executeTakeFirstOrThrow();
    return toSigningKeyRecord(row);
  }

  async listSigningKeys(use: SigningKeyRecord['use']): Promise<SigningKeyRecord[]> {
    const rows = await this.#db.selectFrom('signing_keys').selectAll().where('use', '=', use).orderBy('created_at').orderBy('kid').execute();
    return rows.map(toSigningKeyRecord);
  }
}
