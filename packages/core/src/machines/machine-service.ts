/** Machines: lookups, tags and the PATCH of mde-api.md §4.12 and §5. */
import { MAX_BULK_TAG_MACHINES, toMdeTimestamp, type DeviceValue } from '@cordon/protocol';
import { DomainError } from '../errors.js';
import type { ListResult } from '../ports/action-store.js';
import type { MachineRecord, MachineStore } from '../ports/machine-store.js';
import type { ODataQuery } from '../odata/ast.js';
import { resolveMachineOrThrow } from './machine-lookup.js';

export type TagAction = 'Add' | 'Remove';

/** MDE matches findbyip within 15 minutes either side of the timestamp (D-findbyip). */
const FIND_BY_IP_WINDOW_MS = 15 * 60_000;

export class MachineService {
  readonly #machines: MachineStore;

  constructor(deps: { machines: MachineStore }) {
    this.#machines = deps.machines;
  }

  get(tenantId: string, ref: string): Promise<MachineRecord> {
    return resolveMachineOrThrow(this.#machines, tenantId, ref);
  }

  list(tenantId: string, query: ODataQuery): Promise<ListResult<MachineRecord>> {
    return this.#machines.list(tenantId, query);
  }

  async tag(tenantId: string, ref: string, value: string, action: TagAction): Promise<MachineRecord> {
    const machine = await this.get(tenantId, ref);
    return this.#update(machine, { machineTags: applyTag(machine.machineTags, value, action) });
  }

  /**
   * Tags many machines at once (≤ 500). Unknown ids are reported, not half-applied: either every
   * machine exists and all are tagged, or nothing changes.
   */
  async tagMany(tenantId: string, ids: readonly string[], value: string, action: TagAction): Promise<MachineRecord[]> {
    if (ids.length > MAX_BULK_TAG_MACHINES) {
      throw new DomainError('MaximumBatchSizeExceeded', `Maximum batch size exceeded. Received: ${ids.length}, allowed: ${MAX_BULK_TAG_MACHINES}`);
    }
    const machines = await Promise.all(ids.map((id) => this.get(tenantId, id)));
    const out: MachineRecord[] = [];
    for (const m of machines) out.push(await this.#update(m, { machineTags: applyTag(m.machineTags, value, action) }));
    return out;
  }

  /**
   * PATCH: `machineTags` replaces the whole set (the docs contradict each other, mde-api.md §4.12;
   * replacing is the reading that lets a caller also remove tags), `deviceValue` sets the value.
   */
  async patch(tenantId: string, ref: string, body: { machineTags?: readonly string[]; deviceValue?: DeviceValue }): Promise<MachineRecord> {
    const machine = await this.get(tenantId, ref);
    return this.#update(machine, {
      ...(body.machineTags ? { machineTags: dedupe(body.machineTags) } : {}),
      ...(body.deviceValue ? { deviceValue: body.deviceValue } : {}),
    });
  }

  findByTag(tenantId: string, tag: string, startsWith: boolean): Promise<MachineRecord[]> {
    if (tag.length === 0) throw new DomainError('MissingRequiredParameter', 'Parameter tag is missing');
    return this.#machines.findByTag(tenantId, tag, startsWith);
  }

  findByIp(tenantId: string, ip: string, timestampMs: number): Promise<MachineRecord[]> {
    return this.#machines.findByIp(tenantId, ip, toMdeTimestamp(timestampMs - FIND_BY_IP_WINDOW_MS), toMdeTimestamp(timestampMs + FIND_BY_IP_WINDOW_MS));
  }

  async #update(machine: MachineRecord, patch: Partial<MachineRecord>): Promise<MachineRecord> {
    const updated = await this.#machines.update(machine.tenantId, machine.id, patch);
    if (!updated) throw new DomainError('ResourceNotFound', `Machine ${machine.id} was not found`);
    return updated;
  }
}

function applyTag(tags: readonly string[], value: string, action: TagAction): string[] {
  if (action === 'Add') return dedupe([...tags, value]);
  return tags.filter((t) => t !== value);
}

function dedupe(tags: readonly string[]): string[] {
  return [...new Set(tags)];
}
