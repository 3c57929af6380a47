/**
 * Analyst comments on alerts (MDE Alert `comments[]`, added by `PATCH /alerts/{id}`). A table of
 * their own rather than the alert's JSON `body`: comments are only ever appended, so a rewrite of
 * the alert (an investigation moving its state) can never drop one, and the body stays small.
 */
import type { Kysely, Migration } from 'kysely';
import type { ColumnTypes } from '../dialects/types.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's Database type
type AnyDb = Kysely<any>;

export function alertCommentsMigration(t: ColumnTypes): Migration {
  return {
    async up(db: AnyDb) {
      await db.schema
        .createTable('alert_comments')
        .addColumn('tenant_id', t.text, (c) => c.notNull())
        .addColumn('alert_id', t.text, (c) => c.notNull())
        // 1, 2, ... per alert, in the order the comments were added (the alert row lock orders them).
        .addColumn('seq', t.bigint, (c) => c.notNull())
        .addColumn('comment', t.text, (c) => c.notNull())
        .addColumn('created_by', t.text, (c) => c.notNull())
        .addColumn('created_time', t.text, (c) => c.notNull())
        .addPrimaryKeyConstraint('alert_comments_pk', ['tenant_id', 'alert_id', 'seq'])
        .execute();
    },
  };
}
