/**
 * The action journal: what this device has been sent and how far each action got, fsync'd before
 * every step that must survive a crash. It is what makes "no action runs twice" hold: a duplicate
 * delivery, a replay, or a redelivery after a restart finds the id here and is not run again.
 *
 * Phases: `accepting` (accept sent, not confirmed: never ran, safe to retry) -> `running`
 * (executor may have started) -> `finished` (outcome known, not yet acknowledged by the server)
 * -> `reported`. `refused` records refusals. An entry is kept until its action's expiry has
 * passed; after that the signature check refuses the action anyway.
 */
import type { FinishOutcome } from '@cordon/protocol';
import { readJsonFile, writeFileAtomic } from './atomic-file.js';
import { join } from 'node:path';

export type JournalPhase = 'accepting' | 'running' | 'finished' | 'reported' | 'refused';

export interface JournalEntry {
  id: string;
  type: string;
  phase: JournalPhase;
  /** The action's expiry (ISO); the entry is pruned some time after it. */
  expiresAt: string;
  outcome?: FinishOutcome;
}

/** How long past expiry an entry is kept (covers clock skew between server and device). */
const RETAIN_AFTER_EXPIRY_MS = 24 * 60 * 60_000;

export class ActionJournal {
  readonly #path: string;
  readonly #entries: Map<string, JournalEntry>;
  #writing: Promise<void> = Promise.resolve();

  private constructor(path: string, entries: Map<string, JournalEntry>) {
    this.#path = path;
    this.#entries = entries;
  }

  static async open(stateDir: string): Promise<ActionJournal> {
    const path = join(stateDir, 'journal.json');
    const saved = (await readJsonFile<{ entries: JournalEntry[] }>(path)) ?? { entries: [] };
    return new ActionJournal(path, new Map(saved.entries.map((e) => [e.id, e])));
  }

  get(id: string): JournalEntry | undefined {
    const e = this.#entries.get(id);
    return e && { ...e };
  }

  list(phase?: JournalPhase): JournalEntry[] {
    return [...this.#entries.values()].filter((e) => phase === undefined || e.phase === phase).map((e) => ({ ...e }));
  }

  /** Records `entry` durably; resolves after the fsync. Writes are serialised. */
  async put(entry: JournalEntry): Promise<void> {
    this.#entries.set(entry.id, { ...entry });
    await this.#flush();
  }

  async delete(id: string): Promise<void> {
    if (this.#entries.delete(id)) await this.#flush();
  }

  /**
   * At start: an action that was `running` when the agent died is not run again; it becomes a
   * failure to report. One still `accepting` never ran, so it is forgotten and may be redelivered.
   */
  async recoverAfterRestart(): Promise<JournalEntry[]> {
    const interrupted: JournalEntry[] = [];
    for (const e of this.#entries.values()) {
      if (e.phase === 'running') {
        e.phase = 'finished';
        e.outcome = { status: 'Failed', errorCode: 'AgentRestarted', errorMessage: 'The agent restarted while the action was running; it was not run again', errorHResult: -2147023170 };
        interrupted.push({ ...e });
      } else if (e.phase === 'accepting') {
        this.#entries.delete(e.id);
      }
    }
    await this.#flush();
    return interrupted;
  }

  /** Drops entries whose action expired long enough ago. */
  async prune(nowMs: number): Promise<void> {
    let changed = false;
    for (const e of this.#entries.values()) {
      if ((e.phase === 'reported' || e.phase === 'refused') && Date.parse(e.expiresAt) + RETAIN_AFTER_EXPIRY_MS < nowMs) {
        this.#entries.delete(e.id);
        changed = true;
      }
    }
    if (changed) await this.#flush();
  }

  #flush(): Promise<void> {
    const snapshot = JSON.stringify({ entries: [...this.#entries.values()] });
    this.#writing = this.#writing.catch(() => {}).then(() => writeFileAtomic(this.#path, snapshot));
    return this.#writing;
  }
}
