/**
 * MDE's User entity as `GET /api/machines/{id}/logonusers` returns it (client-wire-facts 10): the
 * accounts that logged on to a device. On Linux the agent reports interactive logons from the
 * utmp/wtmp records; the fields Linux has no notion of are null or false.
 */

/** How an account logged on (Windows logon type names, as MDE spells them). */
export const LOGON_TYPES = ['Interactive', 'RemoteInteractive'] as const;
export type LogonType = (typeof LOGON_TYPES)[number];

export interface LogonUser {
  /** `<accountDomain>\<accountName>`, e.g. `contoso\user1`. */
  id: string;
  accountName: string;
  /** Linux: the device's host name (local accounts have no other domain). */
  accountDomain: string | null;
  /** Linux accounts have no SID: always null. */
  accountSid: string | null;
  firstSeen: string;
  lastSeen: string;
  /** The logon types seen, comma-separated (`Interactive`, `RemoteInteractive`). */
  logonTypes: string;
  /** No domain on Linux: false. */
  isDomainAdmin: boolean | null;
  /** Only interactive logons are recorded, so never only-network: false. */
  isOnlyNetworkUser: boolean | null;
}
