import type { ActionEvents, ActionRecord } from '@cordon/core';

export type ActionEvent = { kind: 'created' | 'changed'; action: ActionRecord };
export type ActionListener = (event: ActionEvent) => void;

/**
 * In-process fan-out of action changes: core publishes here; dispatch to agents, live updates in
 * the UI (SSE) and cross-process fan-out (PostgreSQL NOTIFY) subscribe. A failing listener is
 * isolated so it cannot break the request that changed the action.
 */
export class ActionBus implements ActionEvents {
  readonly #listeners = new Set<ActionListener>();
  readonly #onError: (err: unknown) => void;

  constructor(onError: (err: unknown) => void = () => {}) {
    this.#onError = onError;
  }

  publish(event: ActionEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch (err) {
        this.#onError(err);
      }
    }
  }

  /** Returns the unsubscribe function. */
  subscribe(listener: ActionListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
