/** The server processes sharing this database and their public URLs (see ServerRegistryStore). */
import type { Kysely, Migration } from 'kysely';
import type { ColumnTypes } from '../dialects/types.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's Database type
type AnyDb = Kysely<any>;

export function serverProcessesMigration(t: ColumnTypes): Migration {
  return {
    async up(db: AnyDb) {
      await db.schema
        .createTable('server_processes')
        .addColumn('process_id', t.text, (c) => c.primaryKey())
        .addColumn('public_url', t.text, (c) => c.notNull())
        // Epoch ms: compared as numbers on both engines.
        .addColumn('expires_at', t.bigint, (c) => c.notNull())
        .execute();
    },
  };
}
