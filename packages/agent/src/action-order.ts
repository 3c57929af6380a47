/**
 * Which action may run now on this device. Actions on one mechanism (protocol ACTION_MECHANISM:
 * isolation, restriction, quarantine) run one at a time, in the order the server accepted them
 * (creation time, then id), whatever order they arrive in; Offboard (`device`) runs after every
 * action accepted before it, and actions accepted after it wait for it; the rest run side by side.
 */
import { ACTION_MECHANISM, type ActionMechanism, type ActionType } from '@cordon/protocol';

/** Run now (call `release` when done), refused as superseded, or cancelled while waiting. */
export type Turn = 'run' | 'superseded' | 'cancelled';

interface OrderKey {
  createdAt: string;
  id: string;
}

interface Slot extends OrderKey {
  mechanism: ActionMechanism | null;
  start(turn: Turn): void;
}

/**
 * Mechanisms whose actions switch one state on and off. An Unisolate that already ran must not be
 * undone by an older Isolate arriving after it (a catch-up racing a live dispatch): the device must
 * end in the state the last action asked for. Quarantine actions each act on their own file, so an
 * older one arriving late still runs.
 */
const SWITCHES: ReadonlySet<ActionMechanism> = new Set(['isolation', 'restriction']);

const before = (a: OrderKey, b: OrderKey) => a.createdAt < b.createdAt || (a.createdAt === b.createdAt && a.id < b.id);

export function mechanismOf(type: string): ActionMechanism | null {
  return (ACTION_MECHANISM as Record<string, ActionMechanism | null>)[type as ActionType] ?? null;
}

export class ActionOrder {
  /** Sorted by acceptance order. */
  readonly #waiting: Slot[] = [];
  readonly #running: Slot[] = [];
  readonly #lastStarted = new Map<ActionMechanism, OrderKey>();

  /** Resolves when the action may run; until `release(id)` it holds its mechanism. */
  turn(action: { id: string; type: string; createdAt: string }): Promise<Turn> {
    const key = { id: action.id, createdAt: String(action.createdAt ?? '') };
    const mechanism = mechanismOf(action.type);
    const last = mechanism ? this.#lastStarted.get(mechanism) : undefined;
    if (mechanism && SWITCHES.has(mechanism) && last && before(key, last)) return Promise.resolve('superseded');
    return new Promise<Turn>((start) => {
      const slot: Slot = { ...key, mechanism, start };
      const at = this.#waiting.findIndex((w) => before(slot, w));
      this.#waiting.splice(at === -1 ? this.#waiting.length : at, 0, slot);
      this.#pump();
    });
  }

  release(id: string): void {
    const at = this.#running.findIndex((r) => r.id === id);
    if (at !== -1) this.#running.splice(at, 1);
    this.#pump();
  }

  /** Drops a waiting action (cancelled on the server before it ran); false when it is not waiting. */
  cancel(id: string): boolean {
    const at = this.#waiting.findIndex((w) => w.id === id);
    if (at === -1) return false;
    const [slot] = this.#waiting.splice(at, 1);
    slot!.start('cancelled');
    this.#pump();
    return true;
  }

  get waiting(): number {
    return this.#waiting.length;
  }

  #mayStart(slot: Slot, earlier: readonly Slot[]): boolean {
    if (slot.mechanism === 'device') return this.#running.length === 0 && earlier.length === 0;
    const offboarding = (s: Slot) => s.mechanism === 'device';
    if (this.#running.some(offboarding) || earlier.some(offboarding)) return false;
    if (slot.mechanism === null) return true;
    const same = (s: Slot) => s.mechanism === slot.mechanism;
    return !this.#running.some(same) && !earlier.some(same);
  }

  #pump(): void {
    for (let i = 0; i < this.#waiting.length; ) {
      const slot = this.#waiting[i]!;
      if (!this.#mayStart(slot, this.#waiting.slice(0, i))) {
        i++;
        continue;
      }
      this.#waiting.splice(i, 1);
      this.#running.push(slot);
      const last = slot.mechanism ? this.#lastStarted.get(slot.mechanism) : undefined;
      if (slot.mechanism && (!last || before(last, slot))) this.#lastStarted.set(slot.mechanism, { id: slot.id, createdAt: slot.createdAt });
      slot.start('run');
      i = 0;
    }
  }
}
