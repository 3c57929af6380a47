/** The core RateLimitStore over Kysely: fixed-window counters shared by every server process. */
import type { Kysely } from 'kysely';
import type { RateLimitStore } from '@cordon/core';
import type { Database } from './schema.js';

export class KyselyRateLimitStore implements RateLimitStore {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async hit(key: string, windowStart: number): Promise<number> {
    // One upsert (the same ON CONFLICT ... DO UPDATE ... RETURNING on both engines): concurrent
    // hits from any process serialise on the row and each sees its own count.
    const row = await this.#db
      .insertInto('rate_limit_windows')
      .values({ key, window_start: windowStart, count: 1 })
      .onConflict((oc) => oc.columns(['key', 'window_start']).doUpdateSet((eb) => ({ count: eb(eb.ref('rate_limit_windows.count'), '+', 1) })))
      .returning('count')
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  async prune(before: number): Promise<void> {
    await this.#db.deleteFrom('rate_limit_windows').where('window_start', '<', before).execute();
  }
}
