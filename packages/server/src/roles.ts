/**
 * People's roles (mde-api.md §8) and the delegated permissions (`scp`, mde-api.md §1.3, §3) each
 * grants. A person's API calls carry the union of their roles' scopes, so every route's permission
 * check works unchanged for people (auth plugin, protocol OPERATION_PERMISSIONS).
 */
import { OPERATION_PERMISSIONS, type DelegatedPermission, type OperationId } from '@cordon/protocol';

export const USER_ROLES = [
  'View data',
  'Active remediation actions',
  'Alerts investigation',
  'Manage security settings',
  'Live response basic',
  'Live response advanced',
] as const;
export type UserRole = (typeof USER_ROLES)[number];

/**
 * Role → scopes. Derived from the "User role" column of mde-api.md §3 and the role descriptions of §8:
 * - View data: read devices and actions (#1, #2, #21, #23, #24), alerts, and logon users (MDE's
 *   logonusers needs User.Read.All with 'View data').
 * - Active remediation actions ("take response actions"): isolate/release, restrict/unrestrict,
 *   scan, stop-and-quarantine (#3–#7, #9). Cancel (#12) accepts any of these.
 * - Alerts investigation ("initiate automated investigations, run scans, collect investigation
 *   packages, manage device tags"): collect + download packages (#10, #11), scan, tags/PATCH (#18–#20),
 *   automated investigation (#22, Alert.ReadWrite).
 * - Manage security settings ("onboard and offboard devices"; uploading to the library needs it,
 *   §8 [D-lrdoc]): offboard (#8), library (#15–#17), tags (#18, #19).
 * - Live response basic (read-only commands, download): run live response and fetch results (#13, #14).
 *   Cordon's live response runs library scripts, so "basic" can only run what is already in the library.
 * - Live response advanced (upload, run scripts): basic plus managing the library (#15–#17).
 * Every role also reads (Machine.Read): a role that can act on a device must be able to see it.
 */
export const ROLE_SCOPES = {
  'View data': ['Machine.Read', 'Alert.Read', 'User.Read.All'],
  'Active remediation actions': ['Machine.Read', 'Machine.Isolate', 'Machine.RestrictExecution', 'Machine.Scan', 'Machine.StopAndQuarantine'],
  'Alerts investigation': ['Machine.Read', 'Machine.CollectForensics', 'Machine.Scan', 'Machine.ReadWrite', 'Alert.ReadWrite'],
  'Manage security settings': ['Machine.Read', 'Machine.Offboard', 'Library.Manage', 'Machine.ReadWrite'],
  'Live response basic': ['Machine.Read', 'Machine.LiveResponse'],
  'Live response advanced': ['Machine.Read', 'Machine.LiveResponse', 'Library.Manage'],
} as const satisfies Record<UserRole, readonly DelegatedPermission[]>;

/** The roles that alone let a person call `operation` (for 403 messages: what to ask an admin for). */
export function rolesAllowing(operation: OperationId): UserRole[] {
  const groups = OPERATION_PERMISSIONS[operation].delegated;
  return USER_ROLES.filter((role) => groups.every((group) => group.some((p) => (ROLE_SCOPES[role] as readonly string[]).includes(p))));
}

export function isUserRole(value: string): value is UserRole {
  return (USER_ROLES as readonly string[]).includes(value);
}

/** The sorted, de-duplicated scopes of a set of roles; unknown role names grant nothing. */
export function scopesForRoles(roles: readonly string[]): DelegatedPermission[] {
  const scopes = new Set<DelegatedPermission>();
  for (const role of roles) if (isUserRole(role)) for (const s of ROLE_SCOPES[role]) scopes.add(s);
  return [...scopes].sort();
}

/**
 * Parses `--roles` style input: comma-separated names, case-insensitive, `all` for every role.
 * Throws on an unknown name so a typo never silently grants less.
 */
export function parseRoles(input: string): UserRole[] {
  const parts = input.split(',').map((r) => r.trim()).filter(Boolean);
  if (parts.length === 1 && parts[0]!.toLowerCase() === 'all') return [...USER_ROLES];
  return parts.map((p) => {
    const role = USER_ROLES.find((r) => r.toLowerCase() === p.toLowerCase());
    if (!role) throw new Error(`unknown role '${p}'; known: ${USER_ROLES.join(', ')} (or 'all')`);
    return role;
  });
}
