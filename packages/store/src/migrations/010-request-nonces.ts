/**
 * Nonces of device-signed requests (the replay cache), shared by every server process: one row per
 * nonce until its request's timestamp leaves the clock window.
 */
import type { Kysely, Migration } from 'kysely';
import type { ColumnTypes } from '../dialects/types.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's Database type
type AnyDb = Kysely<any>;

export function requestNoncesMigration(t: ColumnTypes): Migration {
  return {
    async up(db: AnyDb) {
      await db.schema
        .createTable('request_nonces')
        // `<machine id>:<nonce>`: the primary key is what makes a second insert fail.
        .addColumn('nonce', t.text, (c) => c.primaryKey())
        .addColumn('expires_at', t.bigint, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('request_nonces_expires_at').on('request_nonces').column('expires_at').execute();
    },
  };
}
