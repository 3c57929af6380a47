/**
 * ActionResultStore over Kysely, written once for both engines. The table is typed here (like
 * kysely-library-store.ts) so the change stays in new files.
 */
import type { Kysely } from 'kysely';
import type { ActionResultRecord, ActionResultStore } from '@cordon/core';

export interface ActionResultTables {
  action_results: {
    tenant_id: string;
    action_id: string;
    slot: string;
    blob_id: string | null;
    created_at: string;
    settled_at: string | null;
    expired_at: string | null;
  };
  /** Only what this store reads of the actions table: whether an action is still open. */
  machine_actions: { tenant_id: string; id: string; active_type: string | null };
}

type Row = ActionResultTables['action_results'];

function toRecord(row: Row): ActionResultRecord {
  return {
    tenantId: row.tenant_id,
    actionId: row.action_id,
    slot: row.slot,
    blobId: row.blob_id,
    createdAt: row.created_at,
    settledAt: row.settled_at,
    expiredAt: row.expired_at,
  };
}

export class KyselyActionResultStore implements ActionResultStore {
  readonly #db: Kysely<ActionResultTables>;

  constructor(db: Kysely<any>) { // eslint-disable-line @typescript-eslint/no-explicit-any -- see ActionResultTables
    this.#db = db as Kysely<ActionResultTables>;
  }

  async reserve(slot: { tenantId: string; actionId: string; slot: string; createdAt: string }): Promise<boolean> {
    const inserted = await this.#db
      .insertInto('action_results')
      .values({ tenant_id: slot.tenantId, action_id: slot.actionId, slot: slot.slot, blob_id: null, created_at: slot.createdAt, settled_at: null, expired_at: null })
      .onConflict((oc) => oc.columns(['tenant_id', 'action_id', 'slot']).doNothing())
      .returning('slot')
      .executeTakeFirst();
    return inserted !== undefined;
  }

  async attach(tenantId: string, actionId: string, slot: string, blobId: string): Promise<boolean> {
    const r = await this.#db
      .updateTable('action_results')
      .set({ blob_id: blobId })
      .where('tenant_id', '=', tenantId)
      .where('action_id', '=', actionId)
      .where('slot', '=', slot)
      .where('blob_id', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async release(tenantId: string, actionId: string, slot: string, blobId: string | null): Promise<boolean> {
    const r = await this.#db
      .deleteFrom('action_results')
      .where('tenant_id', '=', tenantId)
      .where('action_id', '=', actionId)
      .where('slot', '=', slot)
      .where('blob_id', blobId === null ? 'is' : '=', blobId)
      .executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  async listForAction(tenantId: string, actionId: string): Promise<ActionResultRecord[]> {
    const rows = await this.#db.selectFrom('action_results').selectAll().where('tenant_id', '=', tenantId).where('action_id', '=', actionId).orderBy('slot').execute();
    return rows.map(toRecord);
  }

  async findByBlob(tenantId: string, blobId: string): Promise<ActionResultRecord | undefined> {
    const row = await this.#db.selectFrom('action_results').selectAll().where('tenant_id', '=', tenantId).where('blob_id', '=', blobId).executeTakeFirst();
    return row && toRecord(row);
  }

  async markSettled(tenantId: string, actionId: string, slots: readonly string[], now: string): Promise<void> {
    if (slots.length === 0) return;
    await this.#db
      .updateTable('action_results')
      .set({ settled_at: now })
      .where('tenant_id', '=', tenantId)
      .where('action_id', '=', actionId)
      .where('slot', 'in', slots)
      .where('settled_at', 'is', null)
      .execute();
  }

  async listUnsettledEnded(limit: number): Promise<{ tenantId: string; actionId: string }[]> {
    const rows = await this.#db
      .selectFrom('action_results as r')
      .innerJoin('machine_actions as a', (j) => j.onRef('a.tenant_id', '=', 'r.tenant_id').onRef('a.id', '=', 'r.action_id'))
      .select(['r.tenant_id', 'r.action_id'])
      .distinct()
      .where('r.settled_at', 'is', null)
      .where('a.active_type', 'is', null)
      .orderBy('r.tenant_id')
      .orderBy('r.action_id')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ tenantId: r.tenant_id, actionId: r.action_id }));
  }

  async listExpiring(before: string, limit: number): Promise<ActionResultRecord[]> {
    const rows = await this.#db
      .selectFrom('action_results')
      .selectAll()
      .where('expired_at', 'is', null)
      .where('blob_id', 'is not', null)
      .where('created_at', '<', before)
      .orderBy('created_at')
      .orderBy('action_id')
      .orderBy('slot')
      .limit(limit)
      .execute();
    return rows.map(toRecord);
  }

  async markExpired(tenantId: string, actionId: string, slot: string, now: string): Promise<boolean> {
    const r = await this.#db
      .updateTable('action_results')
      .set({ expired_at: now })
      .where('tenant_id', '=', tenantId)
      .where('action_id', '=', actionId)
      .where('slot', '=', slot)
      .where('expired_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }
}
