import type { ActionChangeSource, ActionEvents, ActionRecord } from '@cordon/core';

export type ActionEvent = {
  kind: 'created' | 'changed';
  action: ActionRecord;
  /** True when another server process made the change (it arrived through the dispatch fan-out). */
  remote?: boolean;
};
export type ActionListener = (event: ActionEvent) => void;

/**
 * Fan-out of action changes within a process: core publishes local changes here; dispatch to
 * agents, live updates in the UI (SSE) and the cross-process fan-out (PostgreSQL NOTIFY) subscribe.
 * Changes made by other processes come back in through `publishRemote`, and reach only listeners
 * that asked for them (the UI); dispatch already handles remote changes itself. A failing listener
 * is isolated so it cannot break the request that changed the action.
 */
export class ActionBus implements ActionEvents, ActionChangeSource {
  readonly #local = new Set<ActionListener>();
  readonly #everything = new Set<ActionListener>();
  readonly #onError: (err: unknown) => void;

  constructor(onError: (err: unknown) => void = () => {}) {
    this.#onError = onError;
  }

  /** A change made by this process. */
  publish(event: ActionEvent): void {
    this.#emit(this.#local, event);
    this.#emit(this.#everything, event);
  }

  /** A change another process made, as read back from the store. */
  publishRemote(event: Omit<ActionEvent, 'remote'>): void {
    this.#emit(this.#everything, { ...event, remote: true });
  }

  /** Whether anyone wants remote changes (so the fan-out reads them from the store only then). */
  get wantsRemote(): boolean {
    return this.#everything.size > 0;
  }

  /** Returns the unsubscribe function. With `remote: true`, also other processes' changes. */
  subscribe(listener: ActionListener, options: { remote?: boolean } = {}): () => void {
    const set = options.remote ? this.#everything : this.#local;
    set.add(listener);
    return () => set.delete(listener);
  }

  #emit(listeners: Set<ActionListener>, event: ActionEvent): void {
    for (const listener of listeners) {
      try {
        listener(event);
      } catch (err) {
        this.#onError(err);
      }
    }
  }
}
