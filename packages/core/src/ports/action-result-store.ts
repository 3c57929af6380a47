/**
 * Which result blobs a device uploaded for which action, one per result slot (the package of a
 * CollectInvestigationPackage, the result of one RunScript or GetFile command). The BlobStore
 * holds the content; this keeps what it belongs to, so results the action never references can be
 * deleted when it ends, and every result can be deleted once it is past retention.
 */

/** One slot of an action's results. Timestamps are MDE timestamps. */
export interface ActionResultRecord {
  tenantId: string;
  actionId: string;
  /** `package`, or `command-<index>` for a live response command (see result-slots.ts). */
  slot: string;
  /** Null while the upload is in flight: the slot is reserved before any byte is stored. */
  blobId: string | null;
  /** When the slot was reserved (the upload started): retention counts from here. */
  createdAt: string;
  /** When the action had ended and this result was found referenced by it (kept); null before. */
  settledAt: string | null;
  /** When retention deleted the blob; the row stays so the link endpoints can say why it is gone. */
  expiredAt: string | null;
}

export interface ActionResultStore {
  /** Reserves a slot; false when the action already has it (a unique key, so concurrent uploads agree). */
  reserve(slot: { tenantId: string; actionId: string; slot: string; createdAt: string }): Promise<boolean>;
  /** Records the stored blob of a reserved slot; false when the slot is no longer reserved (the action ended meanwhile). */
  attach(tenantId: string, actionId: string, slot: string, blobId: string): Promise<boolean>;
  /**
   * Drops a slot (its upload failed, or the ended action does not reference it), only while it
   * still holds `blobId` (null: still reserved), so an upload attached meanwhile is not lost track of.
   */
  release(tenantId: string, actionId: string, slot: string, blobId: string | null): Promise<boolean>;
  listForAction(tenantId: string, actionId: string): Promise<ActionResultRecord[]>;
  /** The slot holding (or having held) `blobId`. */
  findByBlob(tenantId: string, blobId: string): Promise<ActionResultRecord | undefined>;
  /** Marks these slots of the action settled at `now` (the ended action references them: kept). */
  markSettled(tenantId: string, actionId: string, slots: readonly string[], now: string): Promise<void>;
  /** Up to `limit` actions that have ended (are final) but still have unsettled slots. */
  listUnsettledEnded(limit: number): Promise<{ tenantId: string; actionId: string }[]>;
  /** Up to `limit` slots with a blob, created before `before` and not yet expired, oldest first. */
  listExpiring(before: string, limit: number): Promise<ActionResultRecord[]>;
  /**
   * Marks a slot expired at `now`; false when it already was (another server process got there
   * first), so each expiry is counted once.
   */
  markExpired(tenantId: string, actionId: string, slot: string, now: string): Promise<boolean>;
}
