import type { Alert, AlertComment, AlertInvestigationState, AlertSeverity, AlertStatus } from '@cordon/protocol';
import type { ODataQuery } from '../odata/ast.js';
import type { ListResult } from './action-store.js';

/** An alert as the domain keeps it: the wire entity plus its tenant and an idempotency key. */
export interface AlertRecord extends Alert {
  tenantId: string;
  /**
   * Unique per tenant when set: a re-delivered result cannot create the same alert twice
   * (scan detections use `scan:<actionId>:<path>`). Null: no deduplication.
   */
  dedupeKey: string | null;
}

/** What may change on an existing alert (investigations, analysts). */
export type AlertPatch = Partial<{
  status: AlertStatus;
  severity: AlertSeverity;
  investigationId: number | null;
  investigationState: AlertInvestigationState;
  assignedTo: string | null;
  classification: string | null;
  determination: string | null;
  lastUpdateTime: string;
  resolvedTime: string | null;
}>;

export interface AlertStore {
  /** Inserts the alerts whose dedupeKey is not taken yet; returns the ones actually inserted. */
  insertNew(alerts: readonly AlertRecord[]): Promise<AlertRecord[]>;
  /** The alert with its `comments`, oldest first. */
  get(tenantId: string, id: string): Promise<AlertRecord | undefined>;
  list(tenantId: string, query: ODataQuery): Promise<ListResult<AlertRecord>>;
  /**
   * Applies the patch and, when given, appends the comment, in one transaction; undefined when the
   * alert does not exist (nothing written). A concurrent update of the same alert is never lost:
   * each patch applies on top of the other, and comments are only ever appended.
   */
  update(tenantId: string, id: string, patch: AlertPatch, comment?: AlertComment): Promise<AlertRecord | undefined>;
}
