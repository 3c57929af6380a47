/** The core ActionStore over Kysely, written once for both engines. One query per method. */
import type { Kysely } from 'kysely';
import { isFinalStatus, type ActionStatus } from '@cordon/protocol';
import { EXPIRED_MESSAGE, type ActionPatch, type ActionRecord, type ActionStore, type BulkTransition, type CreateActionOutcome, type ListResult, type ODataQuery, type TransitionEffects } from '@cordon/core';
import { ACTIVE_ACTION_INDEX, type Database } from './schema.js';
import type { StoreDialect } from './dialects/types.js';
import { toActionPatchRow, toActionRecord, toActionRow } from './rows/action-rows.js';
import { countOf } from './count.js';
import { patchMachine } from './kysely-machine-store.js';
import { revokeAgentDevices } from './kysely-agent-store.js';
import { applyODataFilter, applyODataOrderAndPage, type ColumnMap } from './odata-to-kysely.js';

/** Canonical MachineAction properties (core MACHINE_ACTION_FIELDS) -> columns of `machine_actions as a`. */
export const ACTION_COLUMNS: ColumnMap = {
  id: { kind: 'column', column: 'a.id', notNull: true },
  type: { kind: 'column', column: 'a.type', notNull: true },
  requestor: { kind: 'column', column: 'a.requestor', notNull: true },
  status: { kind: 'column', column: 'a.status', notNull: true },
  machineId: { kind: 'column', column: 'a.machine_id', notNull: true },
  computerDnsName: { kind: 'column', column: 'a.computer_dns_name' },
  creationDateTimeUtc: { kind: 'column', column: 'a.creation_date_time_utc', notNull: true },
  lastUpdateDateTimeUtc: { kind: 'column', column: 'a.last_update_date_time_utc', notNull: true },
  lastUpdateTimeUtc: { kind: 'column', column: 'a.last_update_date_time_utc', notNull: true },
  scope: { kind: 'column', column: 'a.scope' },
  externalId: { kind: 'column', column: 'a.external_id' },
  requestSource: { kind: 'column', column: 'a.request_source', notNull: true },
  expirationDateTimeUtc: { kind: 'column', column: 'a.expiration_date_time_utc', notNull: true },
};

/** Newest first when the client gives no $orderby ("latest two" = `$top=2`, mde-api.md §2.4). */
const DEFAULT_ORDER = [{ field: 'creationDateTimeUtc', direction: 'desc' }] as const;

/** Kept exported from the store for callers that predate it moving to core's lifecycle. */
export { EXPIRED_MESSAGE };

export class KyselyActionStore implements ActionStore {
  readonly #db: Kysely<Database>;
  readonly #dialect: StoreDialect;

  constructor(db: Kysely<Database>, dialect: StoreDialect) {
    this.#db = db;
    this.#dialect = dialect;
  }

  async create(action: ActionRecord): Promise<CreateActionOutcome> {
    try {
      await this.#db.insertInto('machine_actions').values(toActionRow(action)).execute();
      return { ok: true };
    } catch (error) {
      if (this.#dialect.isUniqueViolation(error, { index: ACTIVE_ACTION_INDEX, column: 'active_type' })) {
        return { ok: false, reason: 'ActiveRequestAlreadyExists' };
      }
      throw error;
    }
  }

  async get(tenantId: string, id: string): Promise<ActionRecord | undefined> {
    const row = await this.#db.selectFrom('machine_actions').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
    return row && toActionRecord(row);
  }

  async list(tenantId: string, query: ODataQuery): Promise<ListResult<ActionRecord>> {
    const base = applyODataFilter(this.#db.selectFrom('machine_actions as a').where('a.tenant_id', '=', tenantId), query.filter, ACTION_COLUMNS);
    const ordered = query.orderBy.length > 0 ? query : { ...query, orderBy: DEFAULT_ORDER };
    const rows = await applyODataOrderAndPage(base.selectAll('a'), ordered, ACTION_COLUMNS, 'a.id').execute();
    const count = query.count ? await countOf(base) : undefined;
    return { rows: rows.map(toActionRecord), count };
  }

  async transition(tenantId: string, id: string, expected: readonly ActionStatus[], patch: ActionPatch, effects?: TransitionEffects): Promise<ActionRecord | undefined> {
    if (expected.length === 0) return undefined;
    const set = toActionPatchRow(patch);
    // Leaving the open statuses frees the (machine, type) slot of the active-duplicate index.
    const leavesOpen = patch.status !== undefined && isFinalStatus(patch.status);
    const values = leavesOpen ? { ...set, active_type: null } : set;
    const move = (db: Kysely<Database>) =>
      db.updateTable('machine_actions').set(values).where('tenant_id', '=', tenantId).where('id', '=', id).where('status', 'in', expected).returningAll().executeTakeFirst();
    if (!effects?.machinePatch && effects?.revokeAgentsAt === undefined) {
      const row = await move(this.#db);
      return row && toActionRecord(row);
    }
    // The status and its effects commit together: a crash between two writes would leave a
    // Succeeded action whose machine never changed, and no later finish would redo it.
    const row = await this.#db.transaction().execute(async (trx) => {
      const moved = await move(trx);
      if (!moved) return undefined;
      if (effects.machinePatch) await patchMachine(trx, tenantId, moved.machine_id, effects.machinePatch);
      if (effects.revokeAgentsAt !== undefined) await revokeAgentDevices(trx, moved.machine_id, effects.revokeAgentsAt);
      return moved;
    });
    return row && toActionRecord(row);
  }

  async expireDue(now: string, move: BulkTransition): Promise<ActionRecord[]> {
    if (move.expected.length === 0) return [];
    // One UPDATE: rows another process expired (or finished) first no longer match, so each action
    // is returned to exactly one caller. `active_type is not null` = open, and uses the partial index.
    const set = toActionPatchRow(move.patch);
    const leavesOpen = move.patch.status !== undefined && isFinalStatus(move.patch.status);
    const rows = await this.#db
      .updateTable('machine_actions')
      .set(leavesOpen ? { ...set, active_type: null } : set)
      .where('active_type', 'is not', null)
      .where('status', 'in', move.expected)
      .where('deadline_date_time_utc', '<=', now)
      .returningAll()
      .execute();
    return rows.map(toActionRecord);
  }

  async listOpenForMachine(tenantId: string, machineId: string): Promise<ActionRecord[]> {
    const rows = await this.#db
      .selectFrom('machine_actions')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('machine_id', '=', machineId)
      .where('active_type', 'is not', null)
      .orderBy('creation_date_time_utc', 'asc')
      .orderBy('id', 'asc')
      .execute();
    return rows.map(toActionRecord);
  }
}
