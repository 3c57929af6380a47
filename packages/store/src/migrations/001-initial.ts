/**
 * The first schema: identity, machines (+ tags and addresses as rows), actions, rate-limit windows.
 * Dialect-neutral: per-engine column spellings come from `types` (dialects/*.ts).
 */
import { sql, type Kysely, type Migration } from 'kysely';
import type { ColumnTypes } from '../dialects/types.js';
import { ACTIVE_ACTION_INDEX } from '../schema.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's Database type
type AnyDb = Kysely<any>;

export function initialMigration(t: ColumnTypes): Migration {
  return {
    async up(db: AnyDb) {
      await db.schema
        .createTable('tenants')
        .addColumn('id', t.text, (c) => c.primaryKey())
        .addColumn('name', t.text, (c) => c.notNull())
        .addColumn('created_at', t.text, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('apps')
        .addColumn('client_id', t.text, (c) => c.primaryKey())
        .addColumn('tenant_id', t.text, (c) => c.notNull().references('tenants.id'))
        .addColumn('name', t.text, (c) => c.notNull())
        .addColumn('roles', t.text, (c) => c.notNull())
        .addColumn('secret_hash', t.text, (c) => c.notNull())
        .addColumn('created_at', t.text, (c) => c.notNull())
        .addColumn('disabled', t.bool, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('apps_tenant').on('apps').columns(['tenant_id', 'created_at']).execute();

      await db.schema
        .createTable('signing_keys')
        .addColumn('kid', t.text, (c) => c.primaryKey())
        .addColumn('use', t.text, (c) => c.notNull())
        .addColumn('alg', t.text, (c) => c.notNull())
        .addColumn('public_jwk', t.text, (c) => c.notNull())
        .addColumn('private_jwk', t.text, (c) => c.notNull())
        .addColumn('created_at', t.text, (c) => c.notNull())
        .addColumn('current_use', t.text)
        .execute();
      await db.schema.createIndex('signing_keys_current_use_unique').on('signing_keys').column('current_use').unique().execute();

      await createMachines(db, t);
      await createActions(db, t);

      await db.schema
        .createTable('rate_limit_windows')
        .addColumn('key', t.text, (c) => c.notNull())
        .addColumn('window_start', t.bigint, (c) => c.notNull())
        .addColumn('count', 'integer', (c) => c.notNull().defaultTo(1))
        .addPrimaryKeyConstraint('rate_limit_windows_pk', ['key', 'window_start'])
        .execute();
      await db.schema.createIndex('rate_limit_windows_start').on('rate_limit_windows').column('window_start').execute();
    },
  };
}

async function createMachines(db: AnyDb, t: ColumnTypes): Promise<void> {
  await db.schema
    .createTable('machines')
    .addColumn('tenant_id', t.text, (c) => c.notNull())
    .addColumn('id', t.text, (c) => c.notNull())
    .addColumn('computer_dns_name', t.text, (c) => c.notNull())
    .addColumn('first_seen', t.text, (c) => c.notNull())
    .addColumn('last_seen', t.text, (c) => c.notNull())
    .addColumn('os_platform', t.text, (c) => c.notNull())
    .addColumn('os_version', t.text)
    .addColumn('os_architecture', t.text, (c) => c.notNull())
    .addColumn('version', t.text)
    .addColumn('os_build', 'integer')
    .addColumn('last_ip_address', t.text)
    .addColumn('last_external_ip_address', t.text)
    .addColumn('agent_version', t.text)
    .addColumn('health_status', t.text, (c) => c.notNull())
    .addColumn('device_value', t.text, (c) => c.notNull())
    .addColumn('rbac_group_id', 'integer', (c) => c.notNull())
    .addColumn('rbac_group_name', t.text)
    .addColumn('risk_score', t.text, (c) => c.notNull())
    .addColumn('exposure_level', t.text, (c) => c.notNull())
    .addColumn('aad_device_id', t.text)
    .addColumn('is_aad_joined', t.bool, (c) => c.notNull())
    .addColumn('onboarding_status', t.text, (c) => c.notNull())
    .addColumn('ip_addresses', t.text, (c) => c.notNull())
    .addColumn('isolation_state', t.text, (c) => c.notNull())
    .addColumn('is_restricted', t.bool, (c) => c.notNull())
    .addColumn('capabilities', t.text, (c) => c.notNull())
    .addPrimaryKeyConstraint('machines_pk', ['tenant_id', 'id'])
    .execute();
  await db.schema.createIndex('machines_dns_name').on('machines').columns(['tenant_id', 'computer_dns_name']).execute();
  // resolve() matches computer names case-insensitively: an expression index serves lower(name) = lower(?).
  await db.schema.createIndex('machines_dns_name_lower').on('machines').column('tenant_id').expression(sql`lower(computer_dns_name)`).execute();
  await db.schema.createIndex('machines_aad_device_id').on('machines').columns(['tenant_id', 'aad_device_id']).execute();
  await db.schema.createIndex('machines_last_seen').on('machines').columns(['tenant_id', 'last_seen']).execute();
  // markInactive() runs across tenants.
  await db.schema.createIndex('machines_last_seen_all').on('machines').column('last_seen').execute();

  for (const [table, column] of [
    ['machine_tags', 'tag'],
    ['machine_ip_addresses', 'ip_address'],
  ] as const) {
    await db.schema
      .createTable(table)
      .addColumn('tenant_id', t.text, (c) => c.notNull())
      .addColumn('machine_id', t.text, (c) => c.notNull())
      .addColumn(column, t.text, (c) => c.notNull())
      .addPrimaryKeyConstraint(`${table}_pk`, ['tenant_id', 'machine_id', column])
      .addForeignKeyConstraint(`${table}_machine_fk`, ['tenant_id', 'machine_id'], 'machines', ['tenant_id', 'id'], (fk) => fk.onDelete('cascade'))
      .execute();
    await db.schema.createIndex(`${table}_${column}`).on(table).columns(['tenant_id', column]).execute();
  }
}

async function createActions(db: AnyDb, t: ColumnTypes): Promise<void> {
  // No foreign keys to machines or tenants: actions are history and outlive a machine's record,
  // and tenant rows are the identity store's business (machines likewise).
  await db.schema
    .createTable('machine_actions')
    .addColumn('tenant_id', t.text, (c) => c.notNull())
    .addColumn('id', t.text, (c) => c.notNull())
    .addColumn('type', t.text, (c) => c.notNull())
    .addColumn('title', t.text)
    .addColumn('requestor', t.text, (c) => c.notNull())
    .addColumn('requestor_comment', t.text, (c) => c.notNull())
    .addColumn('request_source', t.text, (c) => c.notNull())
    .addColumn('external_id', t.text)
    .addColumn('status', t.text, (c) => c.notNull())
    .addColumn('machine_id', t.text, (c) => c.notNull())
    .addColumn('computer_dns_name', t.text)
    .addColumn('creation_date_time_utc', t.text, (c) => c.notNull())
    .addColumn('last_update_date_time_utc', t.text, (c) => c.notNull())
    .addColumn('cancellation_requestor', t.text)
    .addColumn('cancellation_comment', t.text)
    .addColumn('cancellation_date_time_utc', t.text)
    .addColumn('error_h_result', 'integer', (c) => c.notNull())
    .addColumn('error_message', t.text)
    .addColumn('scope', t.text)
    .addColumn('related_file_info', t.text)
    .addColumn('commands', t.text, (c) => c.notNull())
    .addColumn('troubleshoot_info', t.text)
    .addColumn('parameters', t.text, (c) => c.notNull())
    .addColumn('result', t.text)
    .addColumn('expiration_date_time_utc', t.text, (c) => c.notNull())
    .addColumn('deadline_date_time_utc', t.text, (c) => c.notNull())
    .addColumn('active_type', t.text)
    .addPrimaryKeyConstraint('machine_actions_pk', ['tenant_id', 'id'])
    .execute();
  const index = (name: string, columns: string[]) => db.schema.createIndex(name).on('machine_actions').columns(columns).execute();
  // The default order (newest first) and the documented filters, each followed by the sort key.
  await index('machine_actions_created', ['tenant_id', 'creation_date_time_utc desc', 'id']);
  await index('machine_actions_machine', ['tenant_id', 'machine_id', 'creation_date_time_utc desc']);
  await index('machine_actions_status_type', ['tenant_id', 'status', 'type', 'creation_date_time_utc desc']);
  await index('machine_actions_type', ['tenant_id', 'type', 'creation_date_time_utc desc']);
  await index('machine_actions_requestor', ['tenant_id', 'requestor', 'creation_date_time_utc desc']);
  // At most one non-final action per (machine, type); NULL (final) never collides on either engine.
  await db.schema.createIndex(ACTIVE_ACTION_INDEX).on('machine_actions').columns(['tenant_id', 'machine_id', 'active_type']).unique().execute();
  // The reaper scans only open actions by deadline: a partial index (both engines support them).
  await db.schema.createIndex('machine_actions_open_deadline').on('machine_actions').column('deadline_date_time_utc').where(sql.ref('active_type'), 'is not', null).execute();
}
