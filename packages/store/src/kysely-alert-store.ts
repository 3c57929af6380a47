/**
 * The core AlertStore and TenantSettingsStore over Kysely, written once for both engines.
 * Tables are typed here so the change stays in new files (like kysely-library-store.ts).
 */
import type { Kysely } from 'kysely';
import type { AlertPatch, AlertRecord, AlertStore, ListResult, ODataQuery, TenantSettingsStore } from '@cordon/core';
import { DEFAULT_TENANT_SETTINGS, type AlertComment, type TenantSettings } from '@cordon/protocol';
import { countOf } from './count.js';
import { applyODataFilter, applyODataOrderAndPage, type ColumnMap } from './odata-to-kysely.js';

export interface AlertTables {
  alerts: {
    tenant_id: string;
    id: string;
    dedupe_key: string | null;
    incident_id: number | string | null;
    investigation_id: number | string | null;
    assigned_to: string | null;
    severity: string;
    status: string;
    classification: string | null;
    determination: string | null;
    investigation_state: string;
    detection_source: string;
    category: string;
    threat_family_name: string | null;
    threat_name: string | null;
    title: string;
    alert_creation_time: string;
    first_event_time: string;
    last_event_time: string;
    last_update_time: string;
    resolved_time: string | null;
    machine_id: string;
    computer_dns_name: string;
    rbac_group_name: string | null;
    action_id: string | null;
    body: string;
  };
  alert_comments: {
    tenant_id: string;
    alert_id: string;
    seq: number | string;
    comment: string;
    created_by: string;
    created_time: string;
  };
  tenant_settings: { tenant_id: string; body: string; updated_at: string };
}

type Row = AlertTables['alerts'];

/** Canonical Alert properties (core ALERT_FIELDS) -> columns of `alerts as al`. */
export const ALERT_COLUMNS: ColumnMap = {
  id: { kind: 'column', column: 'al.id', notNull: true },
  incidentId: { kind: 'column', column: 'al.incident_id' },
  investigationId: { kind: 'column', column: 'al.investigation_id' },
  assignedTo: { kind: 'column', column: 'al.assigned_to' },
  severity: { kind: 'column', column: 'al.severity', notNull: true },
  status: { kind: 'column', column: 'al.status', notNull: true },
  classification: { kind: 'column', column: 'al.classification' },
  determination: { kind: 'column', column: 'al.determination' },
  investigationState: { kind: 'column', column: 'al.investigation_state', notNull: true },
  detectionSource: { kind: 'column', column: 'al.detection_source', notNull: true },
  category: { kind: 'column', column: 'al.category', notNull: true },
  threatFamilyName: { kind: 'column', column: 'al.threat_family_name' },
  threatName: { kind: 'column', column: 'al.threat_name' },
  title: { kind: 'column', column: 'al.title', notNull: true },
  alertCreationTime: { kind: 'column', column: 'al.alert_creation_time', notNull: true },
  firstEventTime: { kind: 'column', column: 'al.first_event_time', notNull: true },
  lastEventTime: { kind: 'column', column: 'al.last_event_time', notNull: true },
  lastUpdateTime: { kind: 'column', column: 'al.last_update_time', notNull: true },
  resolvedTime: { kind: 'column', column: 'al.resolved_time' },
  machineId: { kind: 'column', column: 'al.machine_id', notNull: true },
  computerDnsName: { kind: 'column', column: 'al.computer_dns_name', notNull: true },
  rbacGroupName: { kind: 'column', column: 'al.rbac_group_name' },
  actionId: { kind: 'column', column: 'al.action_id' },
};

/** Comments live in alert_comments; the body keeps an empty list (rows written before kept theirs empty too). */
function toRow(a: AlertRecord): Row {
  const { tenantId: _t, dedupeKey: _k, ...rest } = a;
  const wire = { ...rest, comments: [] };
  return {
    tenant_id: a.tenantId,
    id: a.id,
    dedupe_key: a.dedupeKey,
    incident_id: a.incidentId,
    investigation_id: a.investigationId,
    assigned_to: a.assignedTo,
    severity: a.severity,
    status: a.status,
    classification: a.classification,
    determination: a.determination,
    investigation_state: a.investigationState,
    detection_source: a.detectionSource,
    category: a.category,
    threat_family_name: a.threatFamilyName,
    threat_name: a.threatName,
    title: a.title,
    alert_creation_time: a.alertCreationTime,
    first_event_time: a.firstEventTime,
    last_event_time: a.lastEventTime,
    last_update_time: a.lastUpdateTime,
    resolved_time: a.resolvedTime,
    machine_id: a.machineId,
    computer_dns_name: a.computerDnsName,
    rbac_group_name: a.rbacGroupName,
    action_id: a.actionId,
    body: JSON.stringify(wire),
  };
}

function toRecord(row: Pick<Row, 'tenant_id' | 'dedupe_key' | 'body'>): AlertRecord {
  return { ...(JSON.parse(row.body) as Omit<AlertRecord, 'tenantId' | 'dedupeKey'>), tenantId: row.tenant_id, dedupeKey: row.dedupe_key };
}

/** Ids per comments query: far below every engine's bound-parameter limit. */
const COMMENT_LOOKUP_CHUNK = 500;
/** Attempts of an update whose alert changed between read and write (another writer won each time). */
const UPDATE_ATTEMPTS = 10;

export class KyselyAlertStore implements AlertStore {
  readonly #db: Kysely<AlertTables>;

  constructor(db: Kysely<any>) { // eslint-disable-line @typescript-eslint/no-explicit-any -- see AlertTables
    this.#db = db as Kysely<AlertTables>;
  }

  async insertNew(alerts: readonly AlertRecord[]): Promise<AlertRecord[]> {
    if (alerts.length === 0) return [];
    return this.#db.transaction().execute(async (trx) => {
      const inserted: AlertRecord[] = [];
      // One row at a time: ON CONFLICT DO NOTHING tells per row whether it went in (dedupe key taken).
      for (const alert of alerts) {
        const result = await trx.insertInto('alerts').values(toRow(alert)).onConflict((oc) => oc.doNothing()).executeTakeFirst();
        if (Number(result.numInsertedOrUpdatedRows ?? 0) > 0) inserted.push(alert);
      }
      return inserted;
    });
  }

  async get(tenantId: string, id: string): Promise<AlertRecord | undefined> {
    const row = await this.#db.selectFrom('alerts').select(['tenant_id', 'dedupe_key', 'body']).where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
    if (!row) return undefined;
    return { ...toRecord(row), comments: (await commentsOf(this.#db, tenantId, [id])).get(id) ?? [] };
  }

  async list(tenantId: string, query: ODataQuery): Promise<ListResult<AlertRecord>> {
    const base = applyODataFilter(this.#db.selectFrom('alerts as al').where('al.tenant_id', '=', tenantId), query.filter, ALERT_COLUMNS);
    const rows = await applyODataOrderAndPage(base.select(['al.tenant_id', 'al.dedupe_key', 'al.body']), query, ALERT_COLUMNS, 'al.id').execute();
    const count = query.count ? await countOf(base) : undefined;
    const records = rows.map(toRecord);
    const comments = await commentsOf(this.#db, tenantId, records.map((r) => r.id));
    return { rows: records.map((r) => ({ ...r, comments: comments.get(r.id) ?? [] })), count };
  }

  async update(tenantId: string, id: string, patch: AlertPatch, comment?: AlertComment): Promise<AlertRecord | undefined> {
    for (let attempt = 0; attempt < UPDATE_ATTEMPTS; attempt++) {
      const outcome = await this.#db.transaction().execute(async (trx) => {
        const row = await trx.selectFrom('alerts').select(['tenant_id', 'dedupe_key', 'body']).where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
        if (!row) return { kind: 'missing' } as const;
        const next: AlertRecord = { ...toRecord(row), ...patch };
        const { tenant_id: _t, id: _i, dedupe_key: _k, ...columns } = toRow(next);
        // Compare-and-set on the whole body: a writer that changed the alert since the read wins,
        // and this patch is applied again on top of its result. On PostgreSQL the UPDATE also holds
        // the row lock until commit, which orders the comment numbers below.
        const res = await trx.updateTable('alerts').set(columns).where('tenant_id', '=', tenantId).where('id', '=', id).where('body', '=', row.body).executeTakeFirst();
        if (Number(res.numUpdatedRows) === 0) return { kind: 'conflict' } as const;
        if (comment) {
          const last = await trx.selectFrom('alert_comments').select((eb) => eb.fn.max('seq').as('seq')).where('tenant_id', '=', tenantId).where('alert_id', '=', id).executeTakeFirst();
          await trx
            .insertInto('alert_comments')
            .values({ tenant_id: tenantId, alert_id: id, seq: Number(last?.seq ?? 0) + 1, comment: comment.comment, created_by: comment.createdBy, created_time: comment.createdTime })
            .execute();
        }
        return { kind: 'updated', comments: (await commentsOf(trx, tenantId, [id])).get(id) ?? [], next } as const;
      });
      if (outcome.kind === 'missing') return undefined;
      if (outcome.kind === 'updated') return { ...outcome.next, comments: outcome.comments };
    }
    throw new Error(`Alert ${id} kept changing while it was updated (${UPDATE_ATTEMPTS} attempts)`);
  }
}

/** The comments of the given alerts, oldest first, by alert id. */
async function commentsOf(db: Kysely<AlertTables>, tenantId: string, ids: readonly string[]): Promise<Map<string, AlertComment[]>> {
  const byAlert = new Map<string, AlertComment[]>();
  for (let i = 0; i < ids.length; i += COMMENT_LOOKUP_CHUNK) {
    const rows = await db
      .selectFrom('alert_comments')
      .select(['alert_id', 'comment', 'created_by', 'created_time'])
      .where('tenant_id', '=', tenantId)
      .where('alert_id', 'in', ids.slice(i, i + COMMENT_LOOKUP_CHUNK))
      .orderBy('alert_id')
      .orderBy('seq')
      .execute();
    for (const r of rows) {
      const list = byAlert.get(r.alert_id) ?? [];
      list.push({ comment: r.comment, createdBy: r.created_by, createdTime: r.created_time });
      byAlert.set(r.alert_id, list);
    }
  }
  return byAlert;
}

export class KyselyTenantSettingsStore implements TenantSettingsStore {
  readonly #db: Kysely<AlertTables>;

  constructor(db: Kysely<any>) { // eslint-disable-line @typescript-eslint/no-explicit-any -- see AlertTables
    this.#db = db as Kysely<AlertTables>;
  }

  async get(tenantId: string): Promise<TenantSettings | undefined> {
    const row = await this.#db.selectFrom('tenant_settings').select('body').where('tenant_id', '=', tenantId).executeTakeFirst();
    // A body stored before a field existed reads as that field's default (the hello answer reads
    // the store directly, so the defaults belong here rather than in the service).
    return row && { ...DEFAULT_TENANT_SETTINGS, ...(JSON.parse(row.body) as Partial<TenantSettings>) };
  }

  async put(tenantId: string, settings: TenantSettings): Promise<void> {
    const body = JSON.stringify(settings);
    const updatedAt = settings.lastUpdateTime ?? '';
    await this.#db
      .insertInto('tenant_settings')
      .values({ tenant_id: tenantId, body, updated_at: updatedAt })
      .onConflict((oc) => oc.column('tenant_id').doUpdateSet({ body, updated_at: updatedAt }))
      .execute();
  }
}
