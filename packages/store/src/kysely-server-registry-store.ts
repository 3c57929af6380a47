/** The core ServerRegistryStore over Kysely: one row per running server process. */
import type { Kysely } from 'kysely';
import type { ServerRegistryStore } from '@cordon/core';
import type { Database } from './schema.js';

export class KyselyServerRegistryStore implements ServerRegistryStore {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async heartbeat(processId: string, publicUrl: string, expiresAt: number): Promise<void> {
    const at = wholeMs(expiresAt);
    await this.#db
      .insertInto('server_processes')
      .values({ process_id: processId, public_url: publicUrl, expires_at: at })
      .onConflict((oc) => oc.column('process_id').doUpdateSet({ public_url: publicUrl, expires_at: at }))
      .execute();
  }

  async liveUrls(now: number): Promise<string[]> {
    const rows = await this.#db.selectFrom('server_processes').select('public_url').distinct().where('expires_at', '>', wholeMs(now)).orderBy('public_url').execute();
    return rows.map((r) => r.public_url);
  }

  async remove(processId: string): Promise<void> {
    await this.#db.deleteFrom('server_processes').where('process_id', '=', processId).execute();
  }

  async prune(before: number): Promise<void> {
    await this.#db.deleteFrom('server_processes').where('expires_at', '<', wholeMs(before)).execute();
  }
}

/** Clocks give fractional epoch ms (performance.now()); PostgreSQL's BIGINT takes whole numbers only. */
function wholeMs(ms: number): number {
  return Math.floor(ms);
}
