/**
 * The core InvestigationStore over Kysely, written once for both engines. Tables are
 * typed here so the change stays in new files (like kysely-alert-store.ts).
 */
import type { Kysely } from 'kysely';
import type { InvestigationPatch, InvestigationRecord, InvestigationStage, InvestigationStore, ListResult, ODataQuery } from '@cordon/core';
import type { InvestigationState } from '@cordon/protocol';
import { countOf } from './count.js';
import { applyODataFilter, applyODataOrderAndPage, type ColumnMap } from './odata-to-kysely.js';

export interface InvestigationTables {
  investigations: {
    tenant_id: string;
    id: string;
    id_number: number | string;
    stage: string;
    state: string;
    start_time: string;
    end_time: string | null;
    cancelled_by: string | null;
    machine_id: string;
    computer_dns_name: string;
    triggering_alert_id: string | null;
    last_update_time: string;
    body: string;
  };
}

type Row = InvestigationTables['investigations'];

/** Canonical Investigation properties (core INVESTIGATION_FIELDS) -> columns of `investigations as iv`. */
export const INVESTIGATION_COLUMNS: ColumnMap = {
  id: { kind: 'column', column: 'iv.id', notNull: true },
  startTime: { kind: 'column', column: 'iv.start_time', notNull: true },
  endTime: { kind: 'column', column: 'iv.end_time' },
  state: { kind: 'column', column: 'iv.state', notNull: true },
  cancelledBy: { kind: 'column', column: 'iv.cancelled_by' },
  machineId: { kind: 'column', column: 'iv.machine_id', notNull: true },
  computerDnsName: { kind: 'column', column: 'iv.computer_dns_name', notNull: true },
  triggeringAlertId: { kind: 'column', column: 'iv.triggering_alert_id' },
};

function toRow(r: InvestigationRecord): Row {
  return {
    tenant_id: r.tenantId,
    id: r.id,
    id_number: Number(r.id),
    stage: r.stage,
    state: r.state,
    start_time: r.startTime,
    end_time: r.endTime,
    cancelled_by: r.cancelledBy,
    machine_id: r.machineId,
    computer_dns_name: r.computerDnsName,
    triggering_alert_id: r.triggeringAlertId,
    last_update_time: r.lastUpdateTime,
    body: JSON.stringify(r),
  };
}

const toRecord = (row: Pick<Row, 'body'>): InvestigationRecord => JSON.parse(row.body) as InvestigationRecord;

export class KyselyInvestigationStore implements InvestigationStore {
  readonly #db: Kysely<InvestigationTables>;

  constructor(db: Kysely<any>) { // eslint-disable-line @typescript-eslint/no-explicit-any -- see InvestigationTables
    this.#db = db as Kysely<InvestigationTables>;
  }

  async create(record: InvestigationRecord): Promise<boolean> {
    const result = await this.#db.insertInto('investigations').values(toRow(record)).onConflict((oc) => oc.doNothing()).executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async get(tenantId: string, id: string): Promise<InvestigationRecord | undefined> {
    const row = await this.#db.selectFrom('investigations').select('body').where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
    return row && toRecord(row);
  }

  async list(tenantId: string, query: ODataQuery): Promise<ListResult<InvestigationRecord>> {
    const base = applyODataFilter(this.#db.selectFrom('investigations as iv').where('iv.tenant_id', '=', tenantId), query.filter, INVESTIGATION_COLUMNS);
    const rows = await applyODataOrderAndPage(base.select('iv.body'), query, INVESTIGATION_COLUMNS, 'iv.id').execute();
    const count = query.count ? await countOf(base) : undefined;
    return { rows: rows.map(toRecord), count };
  }

  async update(tenantId: string, id: string, expectedStage: InvestigationStage, patch: InvestigationPatch, expectedState?: InvestigationState): Promise<InvestigationRecord | undefined> {
    return this.#db.transaction().execute(async (trx) => {
      let read = trx.selectFrom('investigations').select('body').where('tenant_id', '=', tenantId).where('id', '=', id).where('stage', '=', expectedStage);
      if (expectedState !== undefined) read = read.where('state', '=', expectedState);
      const row = await read.executeTakeFirst();
      if (!row) return undefined;
      const next: InvestigationRecord = { ...toRecord(row), ...patch };
      const { tenant_id: _t, id: _i, ...columns } = toRow(next);
      // The stage (and state) in the WHERE makes this a compare-and-set across processes too.
      let write = trx.updateTable('investigations').set(columns).where('tenant_id', '=', tenantId).where('id', '=', id).where('stage', '=', expectedStage);
      if (expectedState !== undefined) write = write.where('state', '=', expectedState);
      const res = await write.executeTakeFirst();
      return Number(res.numUpdatedRows) > 0 ? next : undefined;
    });
  }

  async listUnfinished(): Promise<InvestigationRecord[]> {
    const rows = await this.#db.selectFrom('investigations').select('body').where('stage', '<>', 'Done').orderBy('start_time').execute();
    return rows.map(toRecord);
  }

  async unfinishedOnMachine(tenantId: string, machineId: string): Promise<InvestigationRecord | undefined> {
    const row = await this.#db
      .selectFrom('investigations')
      .select('body')
      .where('tenant_id', '=', tenantId)
      .where('machine_id', '=', machineId)
      .where('stage', '<>', 'Done')
      .orderBy('start_time', 'desc')
      .executeTakeFirst();
    return row && toRecord(row);
  }
}
