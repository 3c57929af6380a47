/**
 * Cross-process notifications between server processes sharing one database: PostgreSQL
 * LISTEN/NOTIFY (dialects/postgres-notify.ts), or in-process delivery for embedded SQLite, where a
 * single server process is the supported deployment.
 */

export type NotifyListener = (payload: string) => void;

export interface Notifier {
  /** Delivers `payload` (keep it small: PostgreSQL caps it under 8000 bytes) to every subscriber in every process. */
  notify(channel: string, payload: string): Promise<void>;
  /** Returns the unsubscribe function. */
  subscribe(channel: string, listener: NotifyListener): Promise<() => Promise<void>>;
  /**
   * Called after the listening connection was lost and re-established: notifications sent
   * meanwhile were missed, so subscribers should re-read what they care about.
   */
  onResync(listener: () => void): void;
  close(): Promise<void>;
}

/** In-process notifier: what SQLite deployments (one server process) and unit tests use. */
export function createLocalNotifier(): Notifier {
  const channels = new Map<string, Set<NotifyListener>>();
  return {
    async notify(channel, payload) {
      // Asynchronous like the real thing, so callers never rely on re-entrant delivery.
      queueMicrotask(() => {
        for (const listener of channels.get(channel) ?? []) listener(payload);
      });
    },
    async subscribe(channel, listener) {
      let set = channels.get(channel);
      if (!set) channels.set(channel, (set = new Set()));
      set.add(listener);
      return async () => {
        set.delete(listener);
      };
    },
    onResync() {},
    async close() {
      channels.clear();
    },
  };
}
