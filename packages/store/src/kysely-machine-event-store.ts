/**
 * The change history of machines (MachineEventStore): read here, written by the machine store's own
 * writes (patchMachine, markInactive, markSeen) through `recordMachineEvents`, in their transaction.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { MACHINE_EVENTS_KEPT, type MachineChange, type MachineChangeKind, type MachineEventRecord, type MachineEventStore, type MachinePatch } from '@cordon/core';
import type { Database } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * Orders the events this process records within one timestamp (two changes in the same
 * millisecond): ids are `<time>.<sequence>.<random>`, so they sort as they were recorded. Events of
 * different processes in the same millisecond have no order to keep.
 */
let sequence = 0;

/** The machine fields whose changes are recorded, as stored before a patch. */
export interface RecordedFields {
  healthStatus: string;
  isolationState: string;
  isRestricted: boolean;
  machineTags: readonly string[];
}

export class KyselyMachineEventStore implements MachineEventStore {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async listForMachine(tenantId: string, machineId: string, page: { top: number; skip: number; kinds?: readonly MachineChangeKind[] }): Promise<MachineEventRecord[]> {
    let query = this.#db.selectFrom('machine_events').select(['time', 'kind', 'detail']).where('tenant_id', '=', tenantId).where('machine_id', '=', machineId);
    if (page.kinds !== undefined) {
      if (page.kinds.length === 0) return [];
      query = query.where('kind', 'in', [...page.kinds]);
    }
    const rows = await query.orderBy('time', 'desc').orderBy('id', 'desc').limit(page.top).offset(page.skip).execute();
    return rows.map((r) => ({ ...(JSON.parse(r.detail) as object), kind: r.kind, time: r.time }) as MachineEventRecord);
  }
}

/** What `patch` changes of the recorded fields of a machine that had `before`. */
export function changesOf(before: RecordedFields, patch: MachinePatch): MachineChange[] {
  const out: MachineChange[] = [];
  if (patch.healthStatus !== undefined && patch.healthStatus !== before.healthStatus) {
    out.push({ kind: 'health', from: before.healthStatus as never, to: patch.healthStatus });
  }
  if (patch.isolationState !== undefined && patch.isolationState !== before.isolationState) {
    out.push({ kind: 'isolation', from: before.isolationState as never, to: patch.isolationState });
  }
  if (patch.isRestricted !== undefined && patch.isRestricted !== before.isRestricted) {
    out.push({ kind: 'restriction', from: before.isRestricted, to: patch.isRestricted });
  }
  if (patch.machineTags !== undefined) {
    const had = new Set(before.machineTags);
    const has = new Set(patch.machineTags);
    const added = [...has].filter((t) => !had.has(t)).sort();
    const removed = [...had].filter((t) => !has.has(t)).sort();
    if (added.length > 0 || removed.length > 0) out.push({ kind: 'tags', added, removed });
  }
  return out;
}

/**
 * Records `changes` of one machine at `time` and drops what falls beyond the newest
 * MACHINE_EVENTS_KEPT of that machine.
 */
export async function recordMachineEvents(db: Db, tenantId: string, machineId: string, changes: readonly MachineChange[], time: string): Promise<void> {
  if (changes.length === 0) return;
  await db
    .insertInto('machine_events')
    .values(
      changes.map(({ kind, ...detail }) => ({
        id: `${time}.${String((sequence = (sequence + 1) % 1e12)).padStart(12, '0')}.${randomUUID()}`,
        tenant_id: tenantId,
        machine_id: machineId,
        time,
        kind,
        detail: JSON.stringify(detail),
      })),
    )
    .execute();
  const oldestKept = await db
    .selectFrom('machine_events')
    .select(['time', 'id'])
    .where('tenant_id', '=', tenantId)
    .where('machine_id', '=', machineId)
    .orderBy('time', 'desc')
    .orderBy('id', 'desc')
    .offset(MACHINE_EVENTS_KEPT - 1)
    .limit(1)
    .executeTakeFirst();
  if (oldestKept) {
    await db
      .deleteFrom('machine_events')
      .where('tenant_id', '=', tenantId)
      .where('machine_id', '=', machineId)
      .where((eb) => eb.or([eb('time', '<', oldestKept.time), eb.and([eb('time', '=', oldestKept.time), eb('id', '<', oldestKept.id)])]))
      .execute();
  }
}
