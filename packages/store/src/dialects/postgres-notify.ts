/**
 * PostgreSQL LISTEN/NOTIFY. LISTEN needs one dedicated connection (a pooled one would be handed to
 * other queries), so this opens its own client and re-opens it with backoff when it drops; after
 * a reconnect, subscribers are told to resync because NOTIFYs sent meanwhile were lost.
 */
import pg from 'pg';
import type { Notifier, NotifyListener } from '../notify.js';

export interface PostgresNotifierOptions {
  url: string;
  /**
   * Prepended to channel names: LISTEN/NOTIFY channels are database-wide, so deployments (or test
   * runs) in separate schemas of one database must not hear each other.
   */
  channelPrefix?: string;
  /** Reconnect delay bounds (ms). */
  minRetryMs?: number;
  maxRetryMs?: number;
  onError?: (err: unknown) => void;
}

const CHANNEL = /^[a-z_][a-z0-9_]{0,62}$/;

export function createPostgresNotifier(options: PostgresNotifierOptions): Notifier {
  const channels = new Map<string, Set<NotifyListener>>();
  const resyncListeners = new Set<() => void>();
  const onError = options.onError ?? (() => {});
  let client: pg.Client | undefined;
  let connecting: Promise<pg.Client> | undefined;
  let closed = false;
  let retryMs = options.minRetryMs ?? 200;
  const prefix = options.channelPrefix ?? '';
  const full = (channel: string) => {
    const name = `${prefix}${channel}`;
    if (!CHANNEL.test(name)) throw new Error(`Invalid channel name '${name}'`);
    return name;
  };
  // NOTIFY goes through a small separate pool: the listening client must stay free for LISTEN.
  const sender = new pg.Pool({ connectionString: options.url, max: 2 });
  sender.on('error', onError);

  const connect = (isReconnect: boolean): Promise<pg.Client> => {
    connecting ??= (async () => {
      const c = new pg.Client({ connectionString: options.url });
      c.on('notification', (msg) => {
        if (!msg.payload) return;
        for (const listener of channels.get(msg.channel) ?? []) {
          try {
            listener(msg.payload);
          } catch (err) {
            onError(err);
          }
        }
      });
      c.on('error', (err) => {
        onError(err);
        drop(c);
      });
      c.on('end', () => drop(c));
      await c.connect();
      for (const channel of channels.keys()) await c.query(`LISTEN ${channel}`);
      client = c;
      retryMs = options.minRetryMs ?? 200;
      if (isReconnect) for (const fn of resyncListeners) fn();
      return c;
    })().finally(() => {
      connecting = undefined;
    });
    return connecting;
  };

  const drop = (c: pg.Client) => {
    if (client !== c) return;
    client = undefined;
    c.end().catch(() => {});
    if (closed) return;
    const retry = () => {
      if (closed) return;
      connect(true).catch((err: unknown) => {
        onError(err);
        retryMs = Math.min(retryMs * 2, options.maxRetryMs ?? 5000);
        setTimeout(retry, retryMs * (0.5 + Math.random() / 2)).unref();
      });
    };
    setTimeout(retry, retryMs).unref();
  };

  return {
    async notify(channel, payload) {
      await sender.query('select pg_notify($1, $2)', [full(channel), payload]);
    },
    async subscribe(channel, listener) {
      // Channel names are identifiers in LISTEN (no parameters there), hence the strict check.
      const name = full(channel);
      let set = channels.get(name);
      const fresh = !set;
      if (!set) channels.set(name, (set = new Set()));
      set.add(listener);
      const c = client ?? (await connect(false));
      if (fresh && client === c) await c.query(`LISTEN ${name}`);
      return async () => {
        set.delete(listener);
      };
    },
    onResync(listener) {
      resyncListeners.add(listener);
    },
    async close() {
      closed = true;
      const c = client;
      client = undefined;
      await c?.end().catch(() => {});
      await sender.end();
    },
  };
}
