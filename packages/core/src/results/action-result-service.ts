/**
 * Result uploads and their lifetime. A device may store only the results its action's commands
 * produce (result-slots.ts), one per slot; when the action ends, whatever it does not reference is
 * deleted; and every result is deleted once it is older than the retention period (MDE keeps data
 * 180 days by default), while the action itself stays. Every step is safe with several server
 * processes: slots are unique keys, deletes are idempotent, an expiry is counted by the one
 * process whose UPDATE marked it.
 */
import { resultKindsOf, isFinalStatus, toMdeTimestamp } from '@cordon/protocol';
import { DomainError } from '../errors.js';
import type { ActionResultStore } from '../ports/action-result-store.js';
import type { ActionRecord, ActionStore } from '../ports/action-store.js';
import type { BlobPutOptions, BlobPutOutcome, BlobStore } from '../ports/blob-store.js';
import type { Clock } from '../ports/clock.js';
import { reachableResults, type ResultSlot } from './result-slots.js';

/** MDE's default data retention (configurable there between 30 and 180 days). */
export const DEFAULT_RESULT_RETENTION_DAYS = 180;
const DAY_MS = 86_400_000;

export interface ActionResultServiceDeps {
  results: ActionResultStore;
  blobs: BlobStore;
  actions: Pick<ActionStore, 'get'>;
  clock: Clock;
  retentionDays?: number;
}

export interface SweepOutcome {
  /** Blobs of ended actions that they never referenced, deleted. */
  orphansDeleted: number;
  /** Results past retention, deleted. */
  expired: number;
}

export class ActionResultService {
  readonly #deps: ActionResultServiceDeps;
  readonly retentionDays: number;

  constructor(deps: ActionResultServiceDeps) {
    this.#deps = deps;
    this.retentionDays = deps.retentionDays ?? DEFAULT_RESULT_RETENTION_DAYS;
  }

  /**
   * Stores `content` as the result in `slot` of `action`. The slot is reserved before a byte is
   * read, so a second upload for it is refused up front (and two concurrent ones cannot both win).
   * Expected blob failures (too large, checksum) come back as the outcome and free the slot.
   */
  async store(action: ActionRecord, slot: ResultSlot, content: AsyncIterable<Uint8Array>, options: Omit<BlobPutOptions, 'tenantId'>): Promise<BlobPutOutcome> {
    const { results, blobs } = this.#deps;
    const key = { tenantId: action.tenantId, actionId: action.id, slot: slot.slot };
    if (!(await results.reserve({ ...key, createdAt: this.#now() }))) {
      throw new DomainError('BadRequest', `Action ${action.id} already has a result for ${slot.label}; it takes one`);
    }
    let put: BlobPutOutcome;
    try {
      put = await blobs.put(content, { ...options, tenantId: action.tenantId });
    } catch (err) {
      await results.release(key.tenantId, key.actionId, key.slot, null).catch(() => {});
      throw err;
    }
    if (!put.ok) {
      await results.release(key.tenantId, key.actionId, key.slot, null);
      return put;
    }
    if (!(await results.attach(key.tenantId, key.actionId, key.slot, put.blob.id))) {
      // The action ended while the upload ran and its reservation was dropped: nothing refers to it.
      await blobs.delete(put.blob.id);
      throw new DomainError('ActionAlreadyCompleted', `Action ${action.id} ended while its result was uploaded; it takes no more results`);
    }
    return put;
  }

  /**
   * Once `action` has ended: deletes the results it does not reference (and reservations of
   * uploads still running) and keeps the rest. Returns how many blobs were deleted.
   */
  async settle(action: ActionRecord): Promise<number> {
    if (!isFinalStatus(action.status) || resultKindsOf(action.type).length === 0) return 0;
    const { results, blobs } = this.#deps;
    const reachable = reachableResults(action);
    const kept: string[] = [];
    let deleted = 0;
    for (const row of await results.listForAction(action.tenantId, action.id)) {
      if (row.settledAt !== null) continue;
      if (row.blobId !== null && reachable.get(row.slot) === row.blobId) {
        kept.push(row.slot);
        continue;
      }
      // The row goes only if it still holds what was seen; an upload attached meanwhile is left
      // unsettled, for the next sweep to decide.
      if (!(await results.release(action.tenantId, action.id, row.slot, row.blobId))) continue;
      if (row.blobId !== null && (await blobs.delete(row.blobId))) deleted++;
    }
    if (kept.length > 0) await results.markSettled(action.tenantId, action.id, kept, this.#now());
    return deleted;
  }

  /**
   * The retention job's run: settles ended actions that were not (a process stopped before it
   * could), then deletes every result past retention, in batches until none is left.
   */
  async sweep(batchSize = 500): Promise<SweepOutcome> {
    const { results, blobs, actions } = this.#deps;
    let orphansDeleted = 0;
    for (const { tenantId, actionId } of await results.listUnsettledEnded(batchSize)) {
      const action = await actions.get(tenantId, actionId);
      if (action) orphansDeleted += await this.settle(action);
    }
    const before = toMdeTimestamp(this.#deps.clock.now() - this.retentionDays * DAY_MS);
    let expired = 0;
    for (;;) {
      const batch = await results.listExpiring(before, batchSize);
      for (const row of batch) {
        await blobs.delete(row.blobId!);
        if (await results.markExpired(row.tenantId, row.actionId, row.slot, this.#now())) expired++;
      }
      if (batch.length < batchSize) break;
    }
    return { orphansDeleted, expired };
  }

  /** Why the result blob `blobId` cannot be served: for the link endpoints' 404. */
  async goneMessage(tenantId: string, blobId: string): Promise<string> {
    const row = await this.#deps.results.findByBlob(tenantId, blobId);
    if (row?.expiredAt) return `The result was deleted on ${row.expiredAt}: results are kept ${this.retentionDays} days after they are uploaded`;
    return 'The result file is no longer stored';
  }

  #now(): string {
    return toMdeTimestamp(this.#deps.clock.now());
  }
}
