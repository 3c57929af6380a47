import type { ActionStatus, ActionType, LiveResponseCommandEntry, RelatedFileInfo } from '@cordon/protocol';
import type { ODataQuery } from '../odata/ast.js';
import type { MachinePatch } from './machine-store.js';

/**
 * A machine action as the domain keeps it. Timestamps are MDE timestamps (ISO, 7 fractional
 * digits, `Z`), which sort as text on every engine. The wire entity is derived from this by
 * `toWireAction` in core.
 */
export interface ActionRecord {
  tenantId: string;
  id: string;
  type: ActionType;
  title: string | null;
  requestor: string;
  requestorComment: string;
  requestSource: string;
  externalId: string | null;
  status: ActionStatus;
  machineId: string;
  computerDnsName: string | null;
  creationDateTimeUtc: string;
  lastUpdateDateTimeUtc: string;
  cancellationRequestor: string | null;
  cancellationComment: string | null;
  cancellationDateTimeUtc: string | null;
  errorHResult: number;
  errorMessage: string | null;
  scope: string | null;
  relatedFileInfo: RelatedFileInfo | null;
  commands: LiveResponseCommandEntry[];
  troubleshootInfo: unknown | null;
  /** What the agent needs to run it (e.g. `{ IsolationType: 'Full' }`, `{ Sha1 }`); never shown on the wire. */
  parameters: Record<string, unknown>;
  /** What the executor reported (scan counts, blob ids of results...); shown as the `result` extension. */
  result: Record<string, unknown> | null;
  /** Fixed at creation: a Pending action not picked up by then becomes TimeOut. */
  expirationDateTimeUtc: string;
  /**
   * When the reaper times the action out if it is still not final: equals the expiration while
   * Pending, and is moved to "accepted + run timeout" when the agent accepts it.
   */
  deadlineDateTimeUtc: string;
}

/** Fields a transition may change; everything else is immutable after creation. */
export type ActionPatch = Partial<
  Pick<
    ActionRecord,
    | 'status'
    | 'lastUpdateDateTimeUtc'
    | 'cancellationRequestor'
    | 'cancellationComment'
    | 'cancellationDateTimeUtc'
    | 'errorHResult'
    | 'errorMessage'
    | 'commands'
    | 'result'
    | 'deadlineDateTimeUtc'
    | 'computerDnsName'
  >
>;

/**
 * Writes that belong to a transition and commit with it, in one store transaction: the machine
 * change of a Succeeded action is never lost to a crash between two writes.
 */
export interface TransitionEffects {
  /** Applied to the action's machine (same tenant) when, and only when, the transition applies. */
  machinePatch?: MachinePatch;
  /** Revokes every agent credential of the action's machine at this instant (offboarding). */
  revokeAgentsAt?: string;
}

/** A status move for every action still in one of `expected` (the reaper's bulk expiry). */
export interface BulkTransition {
  expected: readonly ActionStatus[];
  patch: ActionPatch;
}

export type CreateActionOutcome = { ok: true } | { ok: false; reason: 'ActiveRequestAlreadyExists' };

export interface ListResult<T> {
  rows: T[];
  /** Set only when the query asked for `$count=true`: the total matching, ignoring top/skip. */
  count: number | undefined;
}

/** Storage of machine actions. One query per method, no rules (those live in core). */
export interface ActionStore {
  /**
   * Inserts a Pending action. Atomically refuses when the same machine already has a non-final
   * action of the same type (a unique index, so concurrent server processes agree).
   */
  create(action: ActionRecord): Promise<CreateActionOutcome>;
  get(tenantId: string, id: string): Promise<ActionRecord | undefined>;
  list(tenantId: string, query: ODataQuery): Promise<ListResult<ActionRecord>>;
  /**
   * Compare-and-set: applies `patch` only if the action's status is one of `expected`. Returns the
   * updated record, or undefined when the status had moved on (the caller lost the race).
   * `effects` are written in the same transaction, only when the patch applies.
   */
  transition(tenantId: string, id: string, expected: readonly ActionStatus[], patch: ActionPatch, effects?: TransitionEffects): Promise<ActionRecord | undefined>;
  /**
   * Applies `move` to every action in one of its expected statuses whose deadline is at or before
   * `now`, in one statement (each action goes to exactly one of several concurrent callers).
   */
  expireDue(now: string, move: BulkTransition): Promise<ActionRecord[]>;
  /** Non-final actions of one machine, oldest first (what an agent catches up on when it connects). */
  listOpenForMachine(tenantId: string, machineId: string): Promise<ActionRecord[]>;
}
