import type { ActionRecord } from './action-store.js';

/**
 * Where core announces action changes: dispatch to agents (across server processes) and live
 * updates in the UI subscribe to it. Publishing never throws into the caller's request.
 */
export interface ActionEvents {
  publish(event: { kind: 'created' | 'changed'; action: ActionRecord }): void;
}

/** For composition roots that have no subscribers (tools, tests). */
export const NO_ACTION_EVENTS: ActionEvents = { publish() {} };
