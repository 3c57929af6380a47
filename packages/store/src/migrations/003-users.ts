/**
 * People who sign in to the web UI (local users with roles) and their sessions.
 * Dialect-neutral; timestamps are MDE text (fixed width, so text order is time order on both engines).
 */
import type { Kysely, Migration } from 'kysely';
import type { ColumnTypes } from '../dialects/types.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's Database type
type AnyDb = Kysely<any>;

export function usersMigration(t: ColumnTypes): Migration {
  return {
    async up(db: AnyDb) {
      await db.schema
        .createTable('users')
        .addColumn('id', t.text, (c) => c.primaryKey())
        .addColumn('tenant_id', t.text, (c) => c.notNull())
        // Sign-in name, stored lower-cased so `Alice` and `alice` cannot both exist.
        .addColumn('name', t.text, (c) => c.notNull())
        .addColumn('display_name', t.text, (c) => c.notNull())
        // Null for people who only sign in through OIDC.
        .addColumn('password_hash', t.text)
        // JSON array of role names (server roles.ts).
        .addColumn('roles', t.text, (c) => c.notNull())
        .addColumn('disabled', t.bool, (c) => c.notNull())
        .addColumn('created_at', t.text, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('users_name_unique').on('users').column('name').unique().execute();

      await db.schema
        .createTable('user_sessions')
        // SHA-256 of the cookie value: a leaked table does not yield usable cookies.
        .addColumn('id_hash', t.text, (c) => c.primaryKey())
        .addColumn('user_id', t.text, (c) => c.notNull())
        .addColumn('tenant_id', t.text, (c) => c.notNull())
        .addColumn('csrf_token', t.text, (c) => c.notNull())
        .addColumn('created_at', t.text, (c) => c.notNull())
        .addColumn('expires_at', t.text, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('user_sessions_expiry').on('user_sessions').column('expires_at').execute();
    },
  };
}
