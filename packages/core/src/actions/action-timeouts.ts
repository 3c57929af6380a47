import type { ActionType } from '@cordon/protocol';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** How long a Pending action waits for its device: 3 days, as MDE retries isolation (mde-api.md §4.3, §4.9). */
export const DEFAULT_PENDING_EXPIRY_MS = 3 * DAY;

/**
 * How long an action may stay InProgress once the agent accepted it, before the reaper times it
 * out. Generous: the agent enforces its own, tighter per-command limits (RunScript 10 min).
 */
export const DEFAULT_RUN_TIMEOUTS_MS = {
  RunAntiVirusScan: 24 * HOUR, // a Full scan of a large disk
  Offboard: 10 * MINUTE,
  LiveResponse: 4 * HOUR, // several commands of up to 30 min each (mde-api.md §7)
  CollectInvestigationPackage: 30 * MINUTE,
  Isolate: 10 * MINUTE,
  Unisolate: 10 * MINUTE,
  StopAndQuarantineFile: 30 * MINUTE,
  RestrictCodeExecution: 30 * MINUTE,
  UnrestrictCodeExecution: 10 * MINUTE,
  RestoreQuarantinedFile: 10 * MINUTE,
} as const satisfies Record<ActionType, number>;

export interface ActionTimeouts {
  pendingExpiryMs: number;
  runTimeoutMs: Readonly<Record<ActionType, number>>;
}

export const DEFAULT_ACTION_TIMEOUTS: ActionTimeouts = {
  pendingExpiryMs: DEFAULT_PENDING_EXPIRY_MS,
  runTimeoutMs: DEFAULT_RUN_TIMEOUTS_MS,
};
