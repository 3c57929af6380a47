/**
 * Logon users (`GET /machines/{id}/logonusers`): what agents report of their utmp/wtmp records,
 * merged into what the server already knows, and served as MDE's User entity.
 */
import { LOGON_REPORT_LIMITS, LOGON_TYPES, toMdeTimestamp, type LogonType, type LogonUser, type ReportedLogonUser } from '@cordon/protocol';
import { DomainError } from '../errors.js';
import type { LogonUserRecord, LogonUserStore } from '../ports/logon-user-store.js';
import type { MachineStore } from '../ports/machine-store.js';
import { resolveMachineOrThrow } from './machine-lookup.js';

export class LogonUserService {
  readonly #users: LogonUserStore;
  readonly #machines: MachineStore;

  constructor(deps: { logonUsers: LogonUserStore; machines: MachineStore }) {
    this.#users = deps.logonUsers;
    this.#machines = deps.machines;
  }

  /**
   * An agent's report (already schema-checked). A report is a snapshot of records the device keeps
   * for a while (wtmp rotates), so it is merged into what is stored: an account seen before keeps
   * its first sighting. Throws InvalidInput for a timestamp that is not one.
   */
  async record(tenantId: string, machineId: string, reported: readonly ReportedLogonUser[]): Promise<void> {
    const stored = await this.#users.listForMachine(tenantId, machineId);
    const merged = mergeLogonUsers(stored, reported.map(toRecord));
    await this.#users.replaceForMachine(tenantId, machineId, merged);
  }

  /** The machine's logon users as MDE Users, most recently seen first; ResourceNotFound for an unknown machine. */
  async list(tenantId: string, machineRef: string): Promise<LogonUser[]> {
    const machine = await resolveMachineOrThrow(this.#machines, tenantId, machineRef);
    const domain = hostDomain(machine.computerDnsName);
    return (await this.#users.listForMachine(tenantId, machine.id)).map((u) => toWireLogonUser(u, domain));
  }
}

/**
 * Merges by account name: earliest firstSeen, latest lastSeen, the union of logon types; keeps the
 * most recently seen `LOGON_REPORT_LIMITS.users` accounts.
 */
export function mergeLogonUsers(stored: readonly LogonUserRecord[], reported: readonly LogonUserRecord[]): LogonUserRecord[] {
  const byName = new Map(stored.map((u) => [u.accountName, u]));
  for (const r of reported) {
    const known = byName.get(r.accountName);
    byName.set(
      r.accountName,
      known
        ? {
            accountName: r.accountName,
            logonTypes: sortedTypes([...known.logonTypes, ...r.logonTypes]),
            firstSeen: known.firstSeen < r.firstSeen ? known.firstSeen : r.firstSeen,
            lastSeen: known.lastSeen > r.lastSeen ? known.lastSeen : r.lastSeen,
          }
        : r,
    );
  }
  return [...byName.values()].sort((a, b) => (a.lastSeen < b.lastSeen ? 1 : a.lastSeen > b.lastSeen ? -1 : 0)).slice(0, LOGON_REPORT_LIMITS.users);
}

/** MDE's User entity for a Linux account: the host name stands in for the domain (mde-api.md has no Linux rule). */
export function toWireLogonUser(u: LogonUserRecord, domain: string | null): LogonUser {
  return {
    id: domain ? `${domain}\\${u.accountName}` : u.accountName,
    accountName: u.accountName,
    accountDomain: domain,
    accountSid: null,
    firstSeen: u.firstSeen,
    lastSeen: u.lastSeen,
    logonTypes: u.logonTypes.join(', '),
    isDomainAdmin: false,
    isOnlyNetworkUser: false,
  };
}

function toRecord(r: ReportedLogonUser): LogonUserRecord {
  const first = instant(r.firstSeen, 'firstSeen');
  const last = instant(r.lastSeen, 'lastSeen');
  return { accountName: r.accountName, logonTypes: sortedTypes(r.logonTypes), firstSeen: first < last ? first : last, lastSeen: first < last ? last : first };
}

function instant(value: string, field: string): string {
  const ms = Date.parse(value);
  if (!Number.isFinite(ms)) throw new DomainError('InvalidInput', `Invalid input ${value.slice(0, 40)}: ${field} must be an ISO 8601 date-time`);
  return toMdeTimestamp(ms);
}

function sortedTypes(types: readonly LogonType[]): LogonType[] {
  return LOGON_TYPES.filter((t) => types.includes(t));
}

/** The first label of the device's DNS name, as Windows shows a local account's domain (`HOST\user`). */
function hostDomain(computerDnsName: string): string | null {
  return computerDnsName.split('.')[0] || null;
}
