/**
 * Live response command reports, folded into the action as the agent sends them (the dispatch hub
 * calls this for `action/progress` and before `action/finish`).
 *
 * The LiveResponse executor reports each command (`{ commandIndex, commandStatus, ... }`) without
 * waiting for the answer, so several reports of one action can be in flight at once. Each is a
 * read-merge-write of `commands[]`; they are serialised per action here so none is lost (an agent
 * is connected to one server process at a time). Before a finish, the executor's final states are
 * folded in too, since a report still in flight when the action finishes would be refused.
 */
import { isDomainError } from '../errors.js';
import type { ActionRecord } from '../ports/action-store.js';
import type { ActionService } from '../actions/action-service.js';
import { commandReportsIn, commandReportsInOutcome, mergeCommandReports } from '../live-response/command-progress.js';

export class CommandReports {
  readonly #actions: ActionService;
  readonly #queues = new Map<string, Promise<unknown>>();

  constructor(actions: ActionService) {
    this.#actions = actions;
  }

  /** An agent's `action/progress`: live response command reports are merged, anything else passes as before. */
  progress(tenantId: string, id: string, machineId: string, update: { commands?: unknown[] | undefined; result?: Record<string, unknown> | null | undefined }): Promise<ActionRecord> {
    return this.#serial(id, async () => {
      const action = await this.#actions.get(tenantId, id);
      const reports = action.type === 'LiveResponse' ? commandReportsIn(update) : [];
      if (reports.length > 0) return this.#actions.progress(tenantId, id, machineId, mergeCommandReports(action, reports));
      if (action.type === 'LiveResponse') return this.#actions.progress(tenantId, id, machineId, {});
      return this.#actions.progress(tenantId, id, machineId, {
        ...(update.commands ? { commands: update.commands as ActionRecord['commands'] } : {}),
        ...(update.result ? { result: update.result } : {}),
      });
    });
  }

  /**
   * Before an `action/finish`: folds a live response's final command states into commands[], and
   * returns the `result` to finish with (the outcome's, plus the `commandResults` reported so far,
   * which a finish would otherwise replace). Other actions: the outcome's result unchanged.
   */
  beforeFinish(tenantId: string, id: string, machineId: string, result: Record<string, unknown> | undefined): Promise<Record<string, unknown> | undefined> {
    return this.#serial(id, async () => {
      const action = await this.#actions.get(tenantId, id).catch(() => undefined);
      if (!action || action.type !== 'LiveResponse' || action.status !== 'InProgress' || action.machineId !== machineId) return result;
      const merged = mergeCommandReports(action, commandReportsInOutcome(result));
      try {
        await this.#actions.progress(tenantId, id, machineId, merged);
      } catch (err) {
        // A cancel or timeout won the race: the finish that follows reports the status that stands.
        if (!isDomainError(err) || err.code !== 'ActionAlreadyCompleted') throw err;
      }
      return { ...(result ?? {}), commandResults: merged.result?.commandResults ?? [] };
    });
  }

  #serial<T>(id: string, run: () => Promise<T>): Promise<T> {
    const previous = this.#queues.get(id) ?? Promise.resolve();
    const next = previous.then(run, run);
    const tail = next.catch(() => {});
    this.#queues.set(id, tail);
    void tail.then(() => {
      if (this.#queues.get(id) === tail) this.#queues.delete(id);
    });
    return next;
  }
}
