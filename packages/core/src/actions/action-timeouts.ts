import { ACTION_RUN_TIMEOUTS_MS, type ActionType } from '@cordon/protocol';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** How long a Pending action waits for its device: 3 days, as MDE retries isolation (mde-api.md §4.3, §4.9). */
export const DEFAULT_PENDING_EXPIRY_MS = 3 * DAY;

/**
 * How long an action may stay InProgress once the agent accepted it, before the reaper times it
 * out: each type's `runTimeoutMs` in the protocol action catalog.
 */
export const DEFAULT_RUN_TIMEOUTS_MS = ACTION_RUN_TIMEOUTS_MS;

export interface ActionTimeouts {
  pendingExpiryMs: number;
  runTimeoutMs: Readonly<Record<ActionType, number>>;
}

export const DEFAULT_ACTION_TIMEOUTS: ActionTimeouts = {
  pendingExpiryMs: DEFAULT_PENDING_EXPIRY_MS,
  runTimeoutMs: DEFAULT_RUN_TIMEOUTS_MS,
};
