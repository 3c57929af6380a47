/**
 * The action lifecycle as data (house style 8.5): which events may move an action from which
 * statuses, and to what. `planTransition` is pure; the store applies the plan as a compare-and-set,
 * so a cancel racing a completion ends in exactly one final status.
 */
import { isFinalStatus, type ActionStatus } from '@cordon/protocol';
import { DomainError } from '../errors.js';
import type { ActionPatch, ActionRecord, BulkTransition } from '../ports/action-store.js';

export const ACTION_EVENTS = ['accept', 'succeed', 'fail', 'cancel', 'timeout'] as const;
export type ActionEvent = (typeof ACTION_EVENTS)[number];

/** From which statuses each event may fire, and the status it leads to. */
export const TRANSITIONS = {
  accept: { from: ['Pending'], to: 'InProgress' },
  succeed: { from: ['InProgress'], to: 'Succeeded' },
  // An agent may refuse a Pending action outright (bad signature, unsupported): Pending -> Failed.
  fail: { from: ['Pending', 'InProgress'], to: 'Failed' },
  cancel: { from: ['Pending', 'InProgress'], to: 'Cancelled' },
  timeout: { from: ['Pending', 'InProgress'], to: 'TimeOut' },
} as const satisfies Record<ActionEvent, { from: readonly ActionStatus[]; to: ActionStatus }>;

export interface TransitionPlan extends BulkTransition {
  /** Statuses the store must still see for the write to apply (compare-and-set). */
  expected: readonly ActionStatus[];
  patch: ActionPatch;
}

/** What the reaper writes on an action it times out. */
export const EXPIRED_MESSAGE = 'The action was not completed before it expired';

/** Extra fields an event carries into the patch. */
export type EventDetails = Omit<ActionPatch, 'status' | 'lastUpdateDateTimeUtc'>;

/**
 * Plans moving `action` by `event` at `now` (an MDE timestamp). Throws
 * `DomainError('ActionAlreadyCompleted')` when the action is final, and `BadRequest` for an event
 * not allowed from a non-final status (e.g. succeed while still Pending).
 */
export function planTransition(action: Pick<ActionRecord, 'id' | 'status'>, event: ActionEvent, now: string, details: EventDetails = {}): TransitionPlan {
  const rule = TRANSITIONS[event];
  if (!(rule.from as readonly ActionStatus[]).includes(action.status)) {
    if (isFinalStatus(action.status)) {
      throw new DomainError('ActionAlreadyCompleted', `Action ${action.id} is already ${action.status}; it can no longer change`);
    }
    throw new DomainError('BadRequest', `Action ${action.id} is ${action.status}; '${event}' is not allowed from that status`);
  }
  return planBulkTransition(event, now, details);
}

/**
 * The same move for every action in one of the event's `from` statuses, unread: the store applies
 * it as one statement (the reaper's `timeout` of every due action), so no per-action check here.
 */
export function planBulkTransition(event: ActionEvent, now: string, details: EventDetails = {}): TransitionPlan {
  const rule = TRANSITIONS[event];
  return { expected: rule.from, patch: { ...details, status: rule.to, lastUpdateDateTimeUtc: now } };
}
