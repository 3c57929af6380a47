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

/** One action change as subscribers see it. */
export interface ActionChange {
  kind: 'created' | 'changed';
  action: ActionRecord;
  /** True when another server process made the change. */
  remote?: boolean;
}

/**
 * Where reactions subscribe to action changes (the server's ActionBus). Listeners get this
 * process's changes only: a change is reacted to once, in the process that made it.
 */
export interface ActionChangeSource {
  /** Returns the unsubscribe function. */
  subscribe(listener: (change: ActionChange) => void): () => void;
}
