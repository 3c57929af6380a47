/** The antivirus signature sets each machine's agent scans with (JSON string[]; NULL until reported). */
import type { Kysely, Migration } from 'kysely';
import type { ColumnTypes } from '../dialects/types.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's Database type
type AnyDb = Kysely<any>;

export function avSignatureSourcesMigration(t: ColumnTypes): Migration {
  return {
    async up(db: AnyDb) {
      await db.schema.alterTable('machines').addColumn('av_signature_sources', t.text).execute();
    },
  };
}
