/**
 * Blobs kept in the database (the PostgreSQL blob store; SQLite in-memory stores use it
 * too), the live response library, and deployment secrets (the download-link HMAC key).
 */
import type { Kysely, Migration } from 'kysely';
import type { ColumnTypes } from '../dialects/types.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's Database type
type AnyDb = Kysely<any>;

export function forensicsMigration(t: ColumnTypes): Migration {
  return {
    async up(db: AnyDb) {
      await db.schema
        .createTable('blobs')
        .addColumn('id', t.text, (c) => c.primaryKey())
        .addColumn('tenant_id', t.text, (c) => c.notNull())
        .addColumn('name', t.text, (c) => c.notNull())
        .addColumn('content_type', t.text, (c) => c.notNull())
        .addColumn('size', t.bigint, (c) => c.notNull())
        // Empty while writing; readers only ever see `ready` rows.
        .addColumn('sha256', t.text, (c) => c.notNull())
        .addColumn('state', t.text, (c) => c.notNull())
        .addColumn('created_at', t.text, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('blobs_state_created').on('blobs').columns(['state', 'created_at']).execute();
      await db.schema
        .createTable('blob_chunks')
        .addColumn('blob_id', t.text, (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('data', t.bytes, (c) => c.notNull())
        .addPrimaryKeyConstraint('blob_chunks_pk', ['blob_id', 'seq'])
        .execute();

      await db.schema
        .createTable('library_files')
        .addColumn('tenant_id', t.text, (c) => c.notNull())
        .addColumn('file_name', t.text, (c) => c.notNull())
        .addColumn('blob_id', t.text, (c) => c.notNull())
        .addColumn('size', t.bigint, (c) => c.notNull())
        .addColumn('sha256', t.text, (c) => c.notNull())
        .addColumn('description', t.text)
        .addColumn('creation_time', t.text, (c) => c.notNull())
        .addColumn('last_updated_time', t.text, (c) => c.notNull())
        .addColumn('created_by', t.text, (c) => c.notNull())
        .addColumn('has_parameters', t.bool, (c) => c.notNull())
        .addColumn('parameters_description', t.text)
        .addPrimaryKeyConstraint('library_files_pk', ['tenant_id', 'file_name'])
        .execute();

      await db.schema
        .createTable('server_secrets')
        .addColumn('name', t.text, (c) => c.primaryKey())
        .addColumn('value', t.text, (c) => c.notNull())
        .addColumn('created_at', t.text, (c) => c.notNull())
        .execute();
    },
  };
}
