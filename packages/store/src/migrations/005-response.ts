/**
 * Alerts (scan detections, investigation findings) and per-tenant response settings.
 * Filterable alert properties are columns; the whole wire alert is kept as JSON in `body`.
 */
import type { Kysely, Migration } from 'kysely';
import type { ColumnTypes } from '../dialects/types.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's Database type
type AnyDb = Kysely<any>;

export function responseMigration(t: ColumnTypes): Migration {
  return {
    async up(db: AnyDb) {
      await db.schema
        .createTable('alerts')
        .addColumn('tenant_id', t.text, (c) => c.notNull())
        .addColumn('id', t.text, (c) => c.notNull())
        // NULLs are distinct in unique indexes on both engines: null keys never collide.
        .addColumn('dedupe_key', t.text)
        .addColumn('incident_id', t.bigint)
        .addColumn('investigation_id', t.bigint)
        .addColumn('assigned_to', t.text)
        .addColumn('severity', t.text, (c) => c.notNull())
        .addColumn('status', t.text, (c) => c.notNull())
        .addColumn('classification', t.text)
        .addColumn('determination', t.text)
        .addColumn('investigation_state', t.text, (c) => c.notNull())
        .addColumn('detection_source', t.text, (c) => c.notNull())
        .addColumn('category', t.text, (c) => c.notNull())
        .addColumn('threat_family_name', t.text)
        .addColumn('threat_name', t.text)
        .addColumn('title', t.text, (c) => c.notNull())
        .addColumn('alert_creation_time', t.text, (c) => c.notNull())
        .addColumn('first_event_time', t.text, (c) => c.notNull())
        .addColumn('last_event_time', t.text, (c) => c.notNull())
        .addColumn('last_update_time', t.text, (c) => c.notNull())
        .addColumn('resolved_time', t.text)
        .addColumn('machine_id', t.text, (c) => c.notNull())
        .addColumn('computer_dns_name', t.text, (c) => c.notNull())
        .addColumn('rbac_group_name', t.text)
        .addColumn('action_id', t.text)
        .addColumn('body', t.text, (c) => c.notNull())
        .addPrimaryKeyConstraint('alerts_pk', ['tenant_id', 'id'])
        .execute();
      await db.schema.createIndex('alerts_dedupe_unique').on('alerts').columns(['tenant_id', 'dedupe_key']).unique().execute();
      await db.schema.createIndex('alerts_tenant_created').on('alerts').columns(['tenant_id', 'alert_creation_time']).execute();
      await db.schema.createIndex('alerts_tenant_machine').on('alerts').columns(['tenant_id', 'machine_id']).execute();

      await db.schema
        .createTable('tenant_settings')
        .addColumn('tenant_id', t.text, (c) => c.primaryKey())
        .addColumn('body', t.text, (c) => c.notNull())
        .addColumn('updated_at', t.text, (c) => c.notNull())
        .execute();
    },
  };
}
