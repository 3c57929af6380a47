/**
 * Live response console sessions: the session, its commands, and its event stream (what the SSE
 * route replays and resumes from with Last-Event-ID, whichever process serves it).
 */
import { sql, type Kysely, type Migration } from 'kysely';
import type { ColumnTypes } from '../dialects/types.js';
import { ACTIVE_LIVE_SESSION_INDEX } from '../schema.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's Database type
type AnyDb = Kysely<any>;

export function liveSessionsMigration(t: ColumnTypes): Migration {
  return {
    async up(db: AnyDb) {
      await db.schema
        .createTable('live_sessions')
        .addColumn('id', t.text, (c) => c.primaryKey())
        .addColumn('tenant_id', t.text, (c) => c.notNull())
        .addColumn('machine_id', t.text, (c) => c.notNull())
        .addColumn('computer_dns_name', t.text)
        .addColumn('opened_by', t.text, (c) => c.notNull())
        .addColumn('state', t.text, (c) => c.notNull())
        .addColumn('current_directory', t.text, (c) => c.notNull())
        .addColumn('trace', t.bool, (c) => c.notNull())
        .addColumn('creation_date_time_utc', t.text, (c) => c.notNull())
        .addColumn('last_activity_date_time_utc', t.text, (c) => c.notNull())
        .addColumn('closed_date_time_utc', t.text)
        .addColumn('close_reason', t.text)
        // Counters the database increments, so two processes never hand out the same id or seq.
        .addColumn('last_command_id', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('last_event_seq', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      // One Active session per device, held by the database: a partial unique index (both engines).
      await db.schema.createIndex(ACTIVE_LIVE_SESSION_INDEX).on('live_sessions').columns(['tenant_id', 'machine_id']).unique().where(sql.ref('state'), '=', 'Active').execute();
      await db.schema.createIndex('live_sessions_active_by_tenant').on('live_sessions').columns(['tenant_id', 'opened_by']).where(sql.ref('state'), '=', 'Active').execute();
      await db.schema.createIndex('live_sessions_active_by_activity').on('live_sessions').column('last_activity_date_time_utc').where(sql.ref('state'), '=', 'Active').execute();
      await db.schema.createIndex('live_sessions_by_machine').on('live_sessions').columns(['tenant_id', 'machine_id', 'creation_date_time_utc']).execute();

      await db.schema
        .createTable('live_session_commands')
        .addColumn('tenant_id', t.text, (c) => c.notNull())
        .addColumn('session_id', t.text, (c) => c.notNull())
        .addColumn('id', 'integer', (c) => c.notNull())
        .addColumn('command_line', t.text, (c) => c.notNull())
        .addColumn('command', t.text, (c) => c.notNull())
        .addColumn('argv', t.text, (c) => c.notNull()) // JSON string[]
        .addColumn('cwd', t.text, (c) => c.notNull())
        .addColumn('requestor', t.text, (c) => c.notNull())
        .addColumn('background', t.bool, (c) => c.notNull())
        .addColumn('output_format', t.text, (c) => c.notNull())
        .addColumn('status', t.text, (c) => c.notNull())
        .addColumn('exit_code', 'integer')
        .addColumn('errors', t.text, (c) => c.notNull()) // JSON string[]
        .addColumn('start_date_time_utc', t.text, (c) => c.notNull())
        .addColumn('end_date_time_utc', t.text)
        .addColumn('expires_at', t.text, (c) => c.notNull())
        .addColumn('timeout_ms', 'integer', (c) => c.notNull())
        .addColumn('machine_action_id', t.text)
        .addColumn('result_file', t.text) // JSON or NULL
        .addColumn('output_truncated', t.bool, (c) => c.notNull())
        .addColumn('output_bytes', 'integer', (c) => c.notNull())
        .addColumn('next_chunk', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('live_session_commands_pk', ['session_id', 'id'])
        .execute();
      await db.schema.createIndex('live_session_commands_by_action').on('live_session_commands').columns(['tenant_id', 'machine_action_id']).execute();

      await db.schema
        .createTable('live_session_events')
        .addColumn('tenant_id', t.text, (c) => c.notNull())
        .addColumn('session_id', t.text, (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('event', t.text, (c) => c.notNull())
        .addColumn('command_id', 'integer')
        .addColumn('data', t.text, (c) => c.notNull()) // JSON
        .addPrimaryKeyConstraint('live_session_events_pk', ['session_id', 'seq'])
        .execute();
    },
  };
}
