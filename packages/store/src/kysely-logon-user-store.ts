/**
 * LogonUserStore over Kysely, written once for both engines. Its table is typed here (as the agent
 * tables are) so the change stays self-contained.
 */
import type { Kysely } from 'kysely';
import type { LogonUserRecord, LogonUserStore } from '@cordon/core';
import type { LogonType } from '@cordon/protocol';

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

  /** Takes the store's Kysely instance; the table is typed locally (see LogonUserTables). */
  constructor(db: Kysely<any>) { // eslint-disable-line @typescript-eslint/no-explicit-any -- see LogonUserTables
    this.#db = db as Kysely<LogonUserTables>;
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
      await tx.deleteFrom('machine_logon_users').where('tenant_id', '=', tenantId).where('machine_id', '=', machineId).execute();
      if (users.length === 0) return;
      await tx
        .insertInto('machine_logon_users')
        .values(users.map((u) => ({ tenant_id: tenantId, machine_id: machineId, account_name: u.accountName, logon_types: JSON.stringify(u.logonTypes), first_seen: u.firstSeen, last_seen: u.lastSeen })))
        .execute();
    });
  }
}
