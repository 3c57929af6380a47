/** The core MachineStore over Kysely, written once for both engines. */
import { sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool, type Transaction } from 'kysely';
import { MAX_MACHINE_CANDIDATES, type ListResult, type MachinePatch, type MachineRecord, type MachineRef, type MachineResolution, type MachineStore, type ODataQuery } from '@cordon/core';
import type { Database, MachinesTable } from './schema.js';
import { countOf } from './count.js';
import { ipAddressesOf, toMachinePatchRow, toMachineRecord, toMachineRow } from './rows/machine-rows.js';
import { applyODataFilter, applyODataOrderAndPage, escapeLike, type ColumnMap } from './odata-to-kysely.js';
import { toMdeTimestamp } from '@cordon/protocol';
import { changesOf, recordMachineEvents } from './kysely-machine-event-store.js';
import type { Notifier } from './notify.js';

/**
 * Notifier channel announcing recorded machine changes (health, tags, isolation, restriction) made
 * through MachineStore, so every process can push them to UI streams. Payload: JSON
 * `{"tenantId", "ids": [...]}` (at most MACHINE_NOTIFY_IDS ids; more changes are several messages).
 */
export const MACHINE_CHANGES_CHANNEL = 'cordon_machines';
const MACHINE_NOTIFY_IDS = 50;

/** Canonical Machine properties (core MACHINE_FIELDS) -> columns of `machines as m`. */
export const MACHINE_COLUMNS: ColumnMap = {
  id: { kind: 'column', column: 'm.id', notNull: true },
  computerDnsName: { kind: 'column', column: 'm.computer_dns_name', notNull: true },
  firstSeen: { kind: 'column', column: 'm.first_seen', notNull: true },
  lastSeen: { kind: 'column', column: 'm.last_seen', notNull: true },
  osPlatform: { kind: 'column', column: 'm.os_platform', notNull: true },
  osVersion: { kind: 'column', column: 'm.os_version' },
  version: { kind: 'column', column: 'm.version' },
  lastIpAddress: { kind: 'column', column: 'm.last_ip_address' },
  lastExternalIpAddress: { kind: 'column', column: 'm.last_external_ip_address' },
  agentVersion: { kind: 'column', column: 'm.agent_version' },
  osBuild: { kind: 'column', column: 'm.os_build' },
  healthStatus: { kind: 'column', column: 'm.health_status', notNull: true },
  deviceValue: { kind: 'column', column: 'm.device_value', notNull: true },
  rbacGroupId: { kind: 'column', column: 'm.rbac_group_id', notNull: true },
  rbacGroupName: { kind: 'column', column: 'm.rbac_group_name' },
  riskScore: { kind: 'column', column: 'm.risk_score', notNull: true },
  exposureLevel: { kind: 'column', column: 'm.exposure_level', notNull: true },
  isAadJoined: { kind: 'column', column: 'm.is_aad_joined', notNull: true },
  aadDeviceId: { kind: 'column', column: 'm.aad_device_id' },
  machineTags: { kind: 'tagTable', table: 'machine_tags as t', valueColumn: 't.tag', join: [['t.tenant_id', 'm.tenant_id'], ['t.machine_id', 'm.id']] },
  onboardingStatus: { kind: 'column', column: 'm.onboarding_status', notNull: true },
  isolationState: { kind: 'column', column: 'm.isolation_state', notNull: true },
  isRestricted: { kind: 'column', column: 'm.is_restricted', notNull: true },
};

type Db = Kysely<Database> | Transaction<Database>;

export class KyselyMachineStore implements MachineStore {
  readonly #db: Kysely<Database>;
  readonly #notifier: Notifier | undefined;

  constructor(db: Kysely<Database>, notifier?: Notifier) {
    this.#db = db;
    this.#notifier = notifier;
  }

  /** Announces changed machines after their transaction committed; a lost notice only delays a UI. */
  #announce(tenantId: string, ids: readonly string[]): void {
    if (!this.#notifier || ids.length === 0) return;
    for (let i = 0; i < ids.length; i += MACHINE_NOTIFY_IDS) {
      this.#notifier.notify(MACHINE_CHANGES_CHANNEL, JSON.stringify({ tenantId, ids: ids.slice(i, i + MACHINE_NOTIFY_IDS) })).catch(() => {});
    }
  }

  async upsert(machine: MachineRecord): Promise<void> {
    const { tenant_id: _t, id: _i, ...columns } = toMachineRow(machine);
    await this.#db.transaction().execute(async (trx) => {
      await trx
        .insertInto('machines')
        .values(toMachineRow(machine))
        .onConflict((oc) => oc.columns(['tenant_id', 'id']).doUpdateSet(columns))
        .execute();
      await replaceTags(trx, machine.tenantId, machine.id, machine.machineTags);
      await replaceAddresses(trx, machine.tenantId, machine.id, ipAddressesOf(machine));
    });
  }

  async get(tenantId: string, id: string): Promise<MachineRecord | undefined> {
    const row = await this.#db.selectFrom('machines').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
    return row && (await withTags(this.#db, [row]))[0];
  }

  async resolve(tenantId: string, ref: string): Promise<MachineResolution> {
    // Separate lookups, each served by its own index (primary key, machines_aad_device_id,
    // machines_dns_name_lower): one query matching id OR name OR aadDeviceId is planned as a scan
    // of the tenant's machines on SQLite. The common case, an id, costs one primary-key read.
    const byId = await this.get(tenantId, ref);
    if (byId) return { kind: 'machine', machine: byId };
    const byAadDeviceId = await this.#resolveAmong(tenantId, (eb) => eb('aad_device_id', '=', ref));
    if (byAadDeviceId.kind !== 'none') return byAadDeviceId;
    return this.#resolveAmong(tenantId, (eb) => eb(eb.fn('lower', ['computer_dns_name']), '=', ref.toLowerCase()));
  }

  /**
   * Of the machines `matches` selects: the one that is not offboarded (a re-imaged device's old
   * record must not take its name), else the only one; several are ambiguous.
   */
  async #resolveAmong(tenantId: string, matches: (eb: ExpressionBuilder<Database, 'machines'>) => Expression<SqlBool>): Promise<MachineResolution> {
    // Machines that are not offboarded first, so the limit never hides one behind offboarded
    // records; one more row than is listed tells whether there are more.
    const rows = await this.#db
      .selectFrom('machines')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where(matches)
      .orderBy((eb) => eb('onboarding_status', '=', 'Offboarded'))
      .orderBy('last_seen', 'desc')
      .orderBy('id')
      .limit(MAX_MACHINE_CANDIDATES + 1)
      .execute();
    const live = rows.filter((r) => r.onboarding_status !== 'Offboarded');
    const fitting = live.length > 0 ? live : rows;
    if (fitting.length === 0) return { kind: 'none' };
    if (fitting.length === 1) return { kind: 'machine', machine: (await withTags(this.#db, fitting))[0] };
    const candidates = fitting.slice(0, MAX_MACHINE_CANDIDATES).map((row) => {
      const { id, computerDnsName, lastSeen, onboardingStatus } = toMachineRecord(row, []);
      return { id, computerDnsName, lastSeen, onboardingStatus };
    });
    return { kind: 'ambiguous', candidates, more: fitting.length > MAX_MACHINE_CANDIDATES };
  }

  async list(tenantId: string, query: ODataQuery): Promise<ListResult<MachineRecord>> {
    const base = applyODataFilter(this.#db.selectFrom('machines as m').where('m.tenant_id', '=', tenantId), query.filter, MACHINE_COLUMNS);
    const rows = await applyODataOrderAndPage(base.selectAll('m'), query, MACHINE_COLUMNS, 'm.id').execute();
    const count = query.count ? await countOf(base) : undefined;
    return { rows: await withTags(this.#db, rows), count };
  }

  async update(tenantId: string, id: string, patch: MachinePatch): Promise<MachineRecord | undefined> {
    const result = await this.#db.transaction().execute(async (trx) => {
      const outcome = await patchMachine(trx, tenantId, id, patch);
      if (!outcome) return undefined;
      const row = await trx.selectFrom('machines').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirstOrThrow();
      return { machine: (await withTags(trx, [row]))[0], changed: outcome.changed };
    });
    if (result?.changed) this.#announce(tenantId, [id]);
    return result?.machine;
  }

  async findByTag(tenantId: string, tag: string, startsWith: boolean): Promise<MachineRecord[]> {
    const rows = await this.#db
      .selectFrom('machines as m')
      .selectAll('m')
      .where('m.tenant_id', '=', tenantId)
      .where(({ exists, selectFrom }) =>
        exists(
          selectFrom('machine_tags as t')
            .select('t.tag')
            .whereRef('t.tenant_id', '=', 'm.tenant_id')
            .whereRef('t.machine_id', '=', 'm.id')
            .where((eb) => (startsWith ? startsWithIgnoringCase(eb.ref('t.tag'), tag) : eb('t.tag', '=', tag))),
        ),
      )
      .orderBy('m.id')
      .execute();
    return withTags(this.#db, rows);
  }

  /**
   * Simplification: MDE answers from the address history of each device; we keep only each
   * machine's current addresses, so this matches machines whose lastIpAddress or any
   * ipAddresses[].ipAddress is `ip` now and whose lastSeen falls within [from, to].
   */
  async findByIp(tenantId: string, ip: string, from: string, to: string): Promise<MachineRecord[]> {
    const rows = await this.#db
      .selectFrom('machines as m')
      .selectAll('m')
      .where('m.tenant_id', '=', tenantId)
      .where('m.last_seen', '>=', from)
      .where('m.last_seen', '<=', to)
      .where((eb) =>
        eb.or([
          eb('m.last_ip_address', '=', ip),
          eb.exists(
            eb
              .selectFrom('machine_ip_addresses as i')
              .select('i.ip_address')
              .whereRef('i.tenant_id', '=', 'm.tenant_id')
              .whereRef('i.machine_id', '=', 'm.id')
              .where('i.ip_address', '=', ip),
          ),
        ]),
      )
      .orderBy('m.id')
      .execute();
    return withTags(this.#db, rows);
  }

  async markInactive(before: string): Promise<number> {
    const time = toMdeTimestamp(Date.now());
    const changed = await this.#db.transaction().execute(async (trx) => {
      // The health each had, read in the transaction that changes it: the timeline records the step.
      const rows = await trx
        .selectFrom('machines')
        .select(['tenant_id', 'id', 'health_status'])
        .where('last_seen', '<', before)
        .where('health_status', '<>', 'Inactive')
        .execute();
      if (rows.length === 0) return [];
      const updated = new Set<string>();
      for (const row of rows) {
        const hit = await trx
          .updateTable('machines')
          .set({ health_status: 'Inactive' })
          .where('tenant_id', '=', row.tenant_id)
          .where('id', '=', row.id)
          .where('health_status', '=', row.health_status)
          .where('last_seen', '<', before)
          .returning('id')
          .executeTakeFirst();
        if (!hit) continue;
        updated.add(`${row.tenant_id}/${row.id}`);
        await recordMachineEvents(trx, row.tenant_id, row.id, [{ kind: 'health', from: row.health_status as never, to: 'Inactive' }], time);
      }
      return rows.filter((r) => updated.has(`${r.tenant_id}/${r.id}`));
    });
    for (const [tenantId, ids] of groupByTenant(changed)) this.#announce(tenantId, ids);
    return changed.length;
  }

  async markSeen(entries: readonly MachineRef[], at: string): Promise<number> {
    // One statement per tenant and chunk, served by the primary key (tenant_id, id); the chunk
    // keeps the bound parameters well under both engines' limits. No transaction: each row's
    // write stands alone, and a lost one is repeated by the device's next heartbeat.
    const byTenant = new Map<string, Set<string>>();
    for (const { tenantId, id } of entries) {
      let ids = byTenant.get(tenantId);
      if (!ids) byTenant.set(tenantId, (ids = new Set()));
      ids.add(id);
    }
    let written = 0;
    for (const [tenantId, ids] of byTenant) {
      const all = [...ids];
      for (let i = 0; i < all.length; i += MARK_SEEN_CHUNK) {
        const chunk = all.slice(i, i + MARK_SEEN_CHUNK);
        // Machines returning to Active are few: they get their own transaction that also records
        // the step; the usual batch (all already Active) stays one SELECT and one UPDATE.
        const returning = await this.#db.selectFrom('machines').select(['id', 'health_status']).where('tenant_id', '=', tenantId).where('id', 'in', chunk).where('health_status', '<>', 'Active').execute();
        if (returning.length > 0) {
          const back = await this.#db.transaction().execute(async (trx) => {
            const ids: string[] = [];
            for (const row of returning) {
              const hit = await trx
                .updateTable('machines')
                .set({ last_seen: at, health_status: 'Active' })
                .where('tenant_id', '=', tenantId)
                .where('id', '=', row.id)
                .where('health_status', '=', row.health_status)
                .returning('id')
                .executeTakeFirst();
              if (!hit) continue;
              ids.push(row.id);
              await recordMachineEvents(trx, tenantId, row.id, [{ kind: 'health', from: row.health_status as never, to: 'Active' }], at);
            }
            return ids;
          });
          this.#announce(tenantId, back);
        }
        const result = await this.#db
          .updateTable('machines')
          .set({ last_seen: at, health_status: 'Active' })
          .where('tenant_id', '=', tenantId)
          .where('id', 'in', chunk)
          .executeTakeFirst();
        written += Number(result.numUpdatedRows);
      }
    }
    return written;
  }
}

/** Most machines one markSeen statement names. */
const MARK_SEEN_CHUNK = 500;

/**
 * Like OData's `machineTags/any(t: eq ...)` and `startswith(t, ...)`: exact match is
 * case-sensitive, prefix match is not. lower() on both sides because LIKE ignores case on SQLite
 * but not on PostgreSQL; `\` escapes wildcards, declared because SQLite has no default escape.
 */
function startsWithIgnoringCase(column: Expression<string>, prefix: string): Expression<SqlBool> {
  return sql<SqlBool>`lower(${column}) like lower(${`${escapeLike(prefix)}%`}) escape '\\'`;
}

function groupByTenant(rows: readonly { tenant_id: string; id: string }[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const r of rows) out.set(r.tenant_id, [...(out.get(r.tenant_id) ?? []), r.id]);
  return out;
}

/**
 * Applies `patch` to one machine inside the caller's transaction (MachineStore.update, and the
 * action store's finish with its machine effect), recording the health, tag, isolation and
 * restriction changes it makes for the device timeline. Undefined when there is no such machine;
 * `changed` says whether a change was recorded.
 */
export async function patchMachine(trx: Transaction<Database>, tenantId: string, id: string, patch: MachinePatch): Promise<{ changed: boolean } | undefined> {
  const recorded = patch.healthStatus !== undefined || patch.isolationState !== undefined || patch.isRestricted !== undefined || patch.machineTags !== undefined;
  const before = recorded ? await trx.selectFrom('machines').select(['health_status', 'isolation_state', 'is_restricted']).where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst() : undefined;
  if (recorded && !before) return undefined;
  const beforeTags = patch.machineTags !== undefined
    ? (await trx.selectFrom('machine_tags').select('tag').where('tenant_id', '=', tenantId).where('machine_id', '=', id).execute()).map((r) => r.tag)
    : [];
  const set = toMachinePatchRow(patch);
  const exists = Object.keys(set).length > 0
    ? await trx.updateTable('machines').set(set).where('tenant_id', '=', tenantId).where('id', '=', id).returning('id').executeTakeFirst()
    : await trx.selectFrom('machines').select('id').where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
  if (!exists) return undefined;
  if (patch.machineTags !== undefined) await replaceTags(trx, tenantId, id, patch.machineTags);
  if (patch.ipAddresses !== undefined) await replaceAddresses(trx, tenantId, id, ipAddressesOf({ ipAddresses: patch.ipAddresses }));
  if (!before) return { changed: false };
  const changes = changesOf({ healthStatus: before.health_status, isolationState: before.isolation_state, isRestricted: Boolean(before.is_restricted), machineTags: beforeTags }, patch);
  await recordMachineEvents(trx, tenantId, id, changes, toMdeTimestamp(Date.now()));
  return { changed: changes.length > 0 };
}

async function replaceTags(trx: Transaction<Database>, tenantId: string, machineId: string, tags: readonly string[]): Promise<void> {
  await trx.deleteFrom('machine_tags').where('tenant_id', '=', tenantId).where('machine_id', '=', machineId).execute();
  const unique = [...new Set(tags)];
  if (unique.length > 0) await trx.insertInto('machine_tags').values(unique.map((tag) => ({ tenant_id: tenantId, machine_id: machineId, tag }))).execute();
}

async function replaceAddresses(trx: Transaction<Database>, tenantId: string, machineId: string, addresses: readonly string[]): Promise<void> {
  await trx.deleteFrom('machine_ip_addresses').where('tenant_id', '=', tenantId).where('machine_id', '=', machineId).execute();
  if (addresses.length > 0) {
    await trx.insertInto('machine_ip_addresses').values(addresses.map((ip_address) => ({ tenant_id: tenantId, machine_id: machineId, ip_address }))).execute();
  }
}

/** Attaches each machine's tags with one extra query (sorted, so the wire order is stable). */
async function withTags(db: Db, rows: MachinesTable[]): Promise<MachineRecord[]> {
  if (rows.length === 0) return [];
  const tenantId = rows[0].tenant_id;
  const tagRows = await db
    .selectFrom('machine_tags')
    .select(['machine_id', 'tag'])
    .where('tenant_id', '=', tenantId)
    .where('machine_id', 'in', rows.map((r) => r.id))
    .orderBy('tag')
    .execute();
  const byMachine = new Map<string, string[]>();
  for (const { machine_id, tag } of tagRows) byMachine.set(machine_id, [...(byMachine.get(machine_id) ?? []), tag]);
  return rows.map((row) => toMachineRecord(row, byMachine.get(row.id) ?? []));
}
