/**
 * Coalesces the lastSeen/health writes of heartbeats and hellos: sightings are kept in memory and
 * written together (MachineStore.markSeen, one statement per tenant and chunk) at most
 * `flushEveryMs` after the first one, so thousands of idle devices cost a few statements per
 * interval instead of a transaction per heartbeat.
 */
import { toMdeTimestamp } from '@cordon/protocol';
import type { Clock, MachineRef, MachineStore } from '@cordon/core';

export interface LastSeenBatcherDeps {
  machines: Pick<MachineStore, 'markSeen'>;
  clock: Clock;
  /** Longest a sighting waits before it is written: the lag the health job must allow for. */
  flushEveryMs: number;
  log: { error(obj: Record<string, unknown>, msg?: string): void };
}

export class LastSeenBatcher {
  readonly #deps: LastSeenBatcherDeps;
  /** Machines seen since the last write, keyed by tenant and id; the value is the newest sighting (ms). */
  #pending = new Map<string, { ref: MachineRef; at: number }>();
  #timer: NodeJS.Timeout | undefined;
  /** Writes run one after the other, so an older batch never lands after a newer one. */
  #writing: Promise<void> = Promise.resolve();
  #soon: Promise<void> | undefined;
  #closed = false;

  constructor(deps: LastSeenBatcherDeps) {
    this.#deps = deps;
  }

  /** A heartbeat: written with the next batch, within `flushEveryMs`. */
  seen(tenantId: string, id: string): void {
    this.#record(tenantId, id);
    if (this.#closed) this.#flushSoon().catch((err: unknown) => this.#deps.log.error({ err }, 'writing lastSeen of connected devices failed'));
    else this.#timer ??= setTimeout(() => this.#onTimer(), this.#deps.flushEveryMs).unref();
  }

  /**
   * A hello: its Active must be visible when the hello is answered, so the batch is written on the
   * next turn of the event loop (hellos arriving together still share it); resolves once written.
   */
  seenNow(tenantId: string, id: string): Promise<void> {
    this.#record(tenantId, id);
    return this.#flushSoon();
  }

  /** Writes everything pending now; rejects when the write fails (the sightings are kept for the next one). */
  flush(): Promise<void> {
    this.#clearTimer();
    const run = this.#writing.then(() => this.#write());
    this.#writing = run.catch(() => {});
    return run;
  }

  /** Stops the timer and writes what is pending (server close); later sightings are written at once. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.flush();
  }

  get pendingCount(): number {
    return this.#pending.size;
  }

  #record(tenantId: string, id: string): void {
    const key = `${tenantId}/${id}`;
    const at = this.#deps.clock.now();
    const known = this.#pending.get(key);
    if (known) known.at = Math.max(known.at, at);
    else this.#pending.set(key, { ref: { tenantId, id }, at });
  }

  #flushSoon(): Promise<void> {
    this.#soon ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      this.#soon = undefined;
      return this.flush();
    });
    return this.#soon;
  }

  #onTimer(): void {
    this.#timer = undefined;
    this.flush().catch((err: unknown) => this.#deps.log.error({ err }, 'writing lastSeen of connected devices failed'));
  }

  #clearTimer(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  async #write(): Promise<void> {
    if (this.#pending.size === 0) return;
    const batch = this.#pending;
    this.#pending = new Map();
    // One timestamp for the batch: its newest sighting. Every machine in it was heard at most one
    // flush interval before that, and none reads as seen later than anything was heard.
    let newest = 0;
    for (const { at } of batch.values()) newest = Math.max(newest, at);
    try {
      await this.#deps.machines.markSeen([...batch.values()].map((e) => e.ref), toMdeTimestamp(newest));
    } catch (err) {
      // Kept for the next write, unless seen again meanwhile (that sighting is newer).
      for (const [key, entry] of batch) if (!this.#pending.has(key)) this.#pending.set(key, entry);
      if (!this.#closed) this.#timer ??= setTimeout(() => this.#onTimer(), this.#deps.flushEveryMs).unref();
      throw err;
    }
  }
}
