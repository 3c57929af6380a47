/**
 * Recorded machine changes (health, tags, isolation, restriction) as a stream of machines, for the
 * UI's event stream. Two sources: the store announces its own writes on MACHINE_CHANGES_CHANNEL
 * (every process hears every process's), and a Succeeded action with a machine effect (written by
 * the action store) arrives through the action bus, remote ones included. Machines are read back
 * only while someone listens.
 */
import { machineEffectOfSucceeded, type MachineRecord, type MachineStore } from '@cordon/core';
import { MACHINE_CHANGES_CHANNEL, type Notifier } from '@cordon/store';
import type { ActionBus } from './action-bus.js';

export interface MachineChangesDeps {
  notifier: Notifier;
  machines: Pick<MachineStore, 'get'>;
  bus: ActionBus;
  log: { warn(obj: object, msg: string): void };
}

export type MachineListener = (machine: MachineRecord) => void;

export class MachineChanges {
  readonly #deps: MachineChangesDeps;
  readonly #listeners = new Set<MachineListener>();
  #stop: (() => Promise<void>) | undefined;

  constructor(deps: MachineChangesDeps) {
    this.#deps = deps;
  }

  /** Subscribes to both sources; call once before serving. */
  async start(): Promise<void> {
    const unsubscribeNotices = await this.#deps.notifier.subscribe(MACHINE_CHANGES_CHANNEL, (payload) => this.#onNotice(payload));
    const unsubscribeActions = this.#deps.bus.subscribe(({ action }) => {
      if (this.#listeners.size === 0 || action.status !== 'Succeeded' || !machineEffectOfSucceeded(action)) return;
      this.#emit(action.tenantId, [action.machineId]);
    }, { remote: true });
    this.#stop = async () => {
      unsubscribeActions();
      await unsubscribeNotices();
    };
  }

  async stop(): Promise<void> {
    await this.#stop?.();
    this.#stop = undefined;
  }

  /** Returns the unsubscribe function. */
  subscribe(listener: MachineListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #onNotice(payload: string): void {
    if (this.#listeners.size === 0) return;
    let notice: { tenantId?: unknown; ids?: unknown };
    try {
      notice = JSON.parse(payload) as typeof notice;
    } catch {
      return;
    }
    if (typeof notice.tenantId !== 'string' || !Array.isArray(notice.ids)) return;
    this.#emit(notice.tenantId, notice.ids.filter((id): id is string => typeof id === 'string'));
  }

  #emit(tenantId: string, ids: readonly string[]): void {
    for (const id of ids) {
      this.#deps.machines.get(tenantId, id).then(
        (machine) => {
          if (!machine) return;
          for (const listener of this.#listeners) listener(machine);
        },
        (err: unknown) => this.#deps.log.warn({ err }, 'reading a changed machine for the event stream failed'),
      );
    }
  }
}
