/**
 * LogonUserStore over Kysely, written once for both engines. Its table is typed here (as the agent
 * tables are) so the change stays self-contained.
 */
import { sql, type Kysely } from 'kysely';
import type { LogonUserRecord, LogonUserStore } from '@cordon/core';
import type { LogonType } from '@cordon/protocol';
import type { DialectName } from './dialects/types.js';

/** Class id of the per-machine advisory locks (the first key of pg_advisory_xact_lock(int, int)). */
const LOCK_CLASS = 0x4c4f474e; // 'LOGN'

export interface LogonUserTables {
  machine_logon_users: {
    tenant_id: string;
    machine_id: string;
    account_name: string;
    /** JSON LogonType[] */
    logon_types: string;
    first_seen: string;
    last_seen: string;
  };
}

export class KyselyLogonUserStore implements LogonUserStore {
  readonly #db: Kysely<LogonUserTables>;
  readonly #dialect: DialectName;

  /** Takes the store's Kysely instance and engine; the table is typed locally (see LogonUserTables). */
  constructor(db: Kysely<any>, dialect: DialectName = 'sqlite') { // eslint-disable-line @typescript-eslint/no-explicit-any -- see LogonUserTables
    this.#db = db as Kysely<LogonUserTables>;
    this.#dialect = dialect;
  }

  async listForMachine(tenantId: string, machineId: string): Promise<LogonUserRecord[]> {
    const rows = await this.#db
      .selectFrom('machine_logon_users')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('machine_id', '=', machineId)
      .orderBy('last_seen', 'desc')
      .orderBy('account_name')
      .execute();
    return rows.map((r) => ({ accountName: r.account_name, logonTypes: JSON.parse(r.logon_types) as LogonType[], firstSeen: r.first_seen, lastSeen: r.last_seen }));
  }

  async replaceForMachine(tenantId: string, machineId: string, users: readonly LogonUserRecord[]): Promise<void> {
    await this.#db.transaction().execute(async (tx) => {
      // Under PostgreSQL's read committed, two concurrent replacements each delete the rows they
      // see and both insert, leaving the union of both lists; one lock per machine makes them take
      // turns. SQLite runs one write transaction at a time already.
      if (this.#dialect === 'postgres') await sql`select pg_advisory_xact_lock(${LOCK_CLASS}, hashtext(${`${tenantId}:${machineId}`}))`.execute(tx);
      await tx.deleteFrom('machine_logon_users').where('tenant_id', '=', tenantId).where('machine_id', '=', machineId).execute();
      if (users.length === 0) return;
      await tx
        .insertInto('machine_logon_users')
        .values(users.map((u) => ({ tenant_id: tenantId, machine_id: machineId, account_name: u.accountName, logon_types: JSON.stringify(u.logonTypes), first_seen: u.firstSeen, last_seen: u.lastSeen })))
        .execute();
    });
  }
}
