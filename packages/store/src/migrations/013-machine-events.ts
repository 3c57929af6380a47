/**
 * The change history of machines (health, tags, isolation, restriction) for the device timeline:
 * the machine row keeps only the current values. Bounded per machine (MACHINE_EVENTS_KEPT).
 */
import type { Kysely, Migration } from 'kysely';
import type { ColumnTypes } from '../dialects/types.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's Database type
type AnyDb = Kysely<any>;

export function machineEventsMigration(t: ColumnTypes): Migration {
  return {
    async up(db: AnyDb) {
      await db.schema
        .createTable('machine_events')
        .addColumn('id', t.text, (c) => c.primaryKey())
        .addColumn('tenant_id', t.text, (c) => c.notNull())
        .addColumn('machine_id', t.text, (c) => c.notNull())
        .addColumn('time', t.text, (c) => c.notNull())
        .addColumn('kind', t.text, (c) => c.notNull())
        // JSON: the MachineChange without its kind.
        .addColumn('detail', t.text, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('machine_events_by_machine').on('machine_events').columns(['tenant_id', 'machine_id', 'time', 'id']).execute();
    },
  };
}
