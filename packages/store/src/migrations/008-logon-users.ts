/**
 * The accounts that logged on to each machine (`GET /machines/{id}/logonusers`), from agent
 * reports. One row per account; logon types are a JSON string[].
 */
import type { Kysely, Migration } from 'kysely';
import type { ColumnTypes } from '../dialects/types.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's Database type
type AnyDb = Kysely<any>;

export function logonUsersMigration(t: ColumnTypes): Migration {
  return {
    async up(db: AnyDb) {
      await db.schema
        .createTable('machine_logon_users')
        .addColumn('tenant_id', t.text, (c) => c.notNull())
        .addColumn('machine_id', t.text, (c) => c.notNull())
        .addColumn('account_name', t.text, (c) => c.notNull())
        .addColumn('logon_types', t.text, (c) => c.notNull())
        .addColumn('first_seen', t.text, (c) => c.notNull())
        .addColumn('last_seen', t.text, (c) => c.notNull())
        .addPrimaryKeyConstraint('machine_logon_users_pk', ['tenant_id', 'machine_id', 'account_name'])
        .execute();
    },
  };
}
