/**
 * Fan-out of action changes across server processes: every change is published on the notifier
 * (PostgreSQL NOTIFY) with this process's id; other processes re-read the action and deliver it if
 * the device is connected to them, and republish it for their live UI listeners. The origin
 * process delivers from the record in hand (no re-read).
 */
import { randomUUID } from 'node:crypto';
import type { ActionRecord, ActionService } from '@cordon/core';
import type { Notifier } from '@cordon/store';
import type { ActionBus, ActionEvent } from '../events/action-bus.js';
import { contained } from '../contain.js';
import type { HubLogger } from './dispatch-hub.js';

export const ACTIONS_CHANNEL = 'cordon_actions';

/** The NOTIFY payload: short keys, since PostgreSQL caps a payload at 8000 bytes. */
export interface FanoutMessage {
  o: string; // origin process
  k: ActionEvent['kind'];
  t: string; // tenant
  i: string; // action id
  m: string; // machine id
}

export interface ActionFanoutDeps {
  notifier: Notifier;
  actions: Pick<ActionService, 'get'>;
  log: HubLogger;
  /** Where other processes' changes are republished for this process's listeners (live UI). */
  bus?: Pick<ActionBus, 'publishRemote' | 'wantsRemote'> | undefined;
  /** Whether a device of this machine is connected to this process. */
  isConnected(machineId: string): boolean;
  /** Sends the change to the machine's connections here. */
  deliver(kind: ActionEvent['kind'], action: ActionRecord): void;
  /** LISTEN was down for a while: changes may have been missed, so local devices catch up. */
  onResync(): void;
}

export class ActionFanout {
  readonly #deps: ActionFanoutDeps;
  readonly #origin = randomUUID();

  constructor(deps: ActionFanoutDeps) {
    this.#deps = deps;
  }

  /** Subscribes to the notifier; call once before serving. */
  async start(): Promise<void> {
    await this.#deps.notifier.subscribe(ACTIONS_CHANNEL, contained(this.#deps.log, 'action fan-out', (payload: string) => this.#onRemote(payload)));
    this.#deps.notifier.onResync(contained(this.#deps.log, 'catch-up after resync', () => this.#deps.onResync()));
  }

  /** Tells the other processes about a change made here. */
  publish(event: Pick<ActionEvent, 'kind' | 'action'>): void {
    const msg: FanoutMessage = { o: this.#origin, k: event.kind, t: event.action.tenantId, i: event.action.id, m: event.action.machineId };
    this.#deps.notifier.notify(ACTIONS_CHANNEL, JSON.stringify(msg)).catch((err: unknown) => this.#deps.log.error({ err }, 'action fan-out notify failed'));
  }

  async #onRemote(payload: string): Promise<void> {
    let msg: FanoutMessage;
    try {
      msg = JSON.parse(payload) as FanoutMessage;
    } catch {
      return;
    }
    // NOTIFY payloads are ours, but anyone with database access can send one on the channel.
    if (typeof msg !== 'object' || msg === null || typeof msg.i !== 'string' || typeof msg.t !== 'string' || typeof msg.m !== 'string') return;
    if (msg.o === this.#origin) return;
    const local = this.#deps.isConnected(msg.m);
    // Read the action only when someone here needs it: a device connected here, or a live UI.
    if (!local && !this.#deps.bus?.wantsRemote) return;
    try {
      const action = await this.#deps.actions.get(msg.t, msg.i);
      if (local) this.#deps.deliver(msg.k, action);
      this.#deps.bus?.publishRemote({ kind: msg.k, action });
    } catch (err) {
      this.#deps.log.error({ err, actionId: msg.i }, 'could not load a fanned-out action');
    }
  }
}
