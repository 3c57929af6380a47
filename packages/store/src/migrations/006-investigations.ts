/**
 * Automated investigations. Filterable Investigation properties are columns; findings and
 * the action lists live in the JSON `body` (the wire entity plus Cordon's bookkeeping).
 */
import type { Kysely, Migration } from 'kysely';
import type { ColumnTypes } from '../dialects/types.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's Database type
type AnyDb = Kysely<any>;

export function investigationsMigration(t: ColumnTypes): Migration {
  return {
    async up(db: AnyDb) {
      await db.schema
        .createTable('investigations')
        .addColumn('tenant_id', t.text, (c) => c.notNull())
        .addColumn('id', t.text, (c) => c.notNull())
        // Numeric twin of `id` so $orderby=id sorts as numbers on both engines.
        .addColumn('id_number', t.bigint, (c) => c.notNull())
        .addColumn('stage', t.text, (c) => c.notNull())
        .addColumn('state', t.text, (c) => c.notNull())
        .addColumn('start_time', t.text, (c) => c.notNull())
        .addColumn('end_time', t.text)
        .addColumn('cancelled_by', t.text)
        .addColumn('machine_id', t.text, (c) => c.notNull())
        .addColumn('computer_dns_name', t.text, (c) => c.notNull())
        .addColumn('triggering_alert_id', t.text)
        .addColumn('last_update_time', t.text, (c) => c.notNull())
        .addColumn('body', t.text, (c) => c.notNull())
        .addPrimaryKeyConstraint('investigations_pk', ['tenant_id', 'id'])
        .execute();
      await db.schema.createIndex('investigations_tenant_machine').on('investigations').columns(['tenant_id', 'machine_id', 'stage']).execute();
      await db.schema.createIndex('investigations_stage').on('investigations').columns(['stage']).execute();
      await db.schema.createIndex('investigations_tenant_start').on('investigations').columns(['tenant_id', 'start_time']).execute();
    },
  };
}
