/** The core RequestNonceStore over Kysely: the replay cache of device-signed requests, shared by every process. */
import type { Kysely } from 'kysely';
import type { RequestNonceStore } from '@cordon/core';
import type { Database } from './schema.js';

export class KyselyRequestNonceStore implements RequestNonceStore {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async claim(nonce: string, expiresAt: number): Promise<boolean> {
    // ON CONFLICT DO NOTHING (the same on both engines): the row is inserted by exactly one
    // statement, and only that one gets it back from RETURNING.
    const row = await this.#db
      .insertInto('request_nonces')
      .values({ nonce, expires_at: expiresAt })
      .onConflict((oc) => oc.column('nonce').doNothing())
      .returning('nonce')
      .executeTakeFirst();
    return row !== undefined;
  }

  async prune(before: number): Promise<void> {
    await this.#db.deleteFrom('request_nonces').where('expires_at', '<', before).execute();
  }
}
