/**
 * Which result blobs a device uploaded for which action, one row per result slot: the action's
 * one allowed result per slot (primary key), orphan deletion when it ends, and retention.
 */
import type { Kysely, Migration } from 'kysely';
import type { ColumnTypes } from '../dialects/types.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's Database type
type AnyDb = Kysely<any>;

export function actionResultsMigration(t: ColumnTypes): Migration {
  return {
    async up(db: AnyDb) {
      await db.schema
        .createTable('action_results')
        .addColumn('tenant_id', t.text, (c) => c.notNull())
        .addColumn('action_id', t.text, (c) => c.notNull())
        .addColumn('slot', t.text, (c) => c.notNull())
        // NULL while the upload runs: the slot is reserved before any byte is stored.
        .addColumn('blob_id', t.text)
        .addColumn('created_at', t.text, (c) => c.notNull())
        .addColumn('settled_at', t.text)
        .addColumn('expired_at', t.text)
        .addPrimaryKeyConstraint('action_results_pk', ['tenant_id', 'action_id', 'slot'])
        .execute();
      await db.schema.createIndex('action_results_expiring').on('action_results').columns(['expired_at', 'created_at']).execute();
      await db.schema.createIndex('action_results_unsettled').on('action_results').columns(['settled_at', 'tenant_id', 'action_id']).execute();
      await db.schema.createIndex('action_results_blob').on('action_results').columns(['tenant_id', 'blob_id']).execute();
    },
  };
}
