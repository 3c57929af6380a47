import type { LogonType } from '@cordon/protocol';

/** One account that logged on to a machine, as the domain keeps it (times in MDE form). */
export interface LogonUserRecord {
  accountName: string;
  /** Sorted, distinct. */
  logonTypes: LogonType[];
  firstSeen: string;
  lastSeen: string;
}

/** The logon users of each machine (`GET /machines/{id}/logonusers`). */
export interface LogonUserStore {
  /** The machine's users, most recently seen first. */
  listForMachine(tenantId: string, machineId: string): Promise<LogonUserRecord[]>;
  /** Replaces the machine's users with `users`, atomically. */
  replaceForMachine(tenantId: string, machineId: string, users: readonly LogonUserRecord[]): Promise<void>;
}
