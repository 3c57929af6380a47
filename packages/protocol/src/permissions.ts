/**
 * Permissions, as MDE names them (mde-api.md §1.3, §3). Application tokens carry them in `roles`,
 * delegated (user) tokens in `scp`.
 */
import { ACTION_OPERATION_PERMISSIONS } from './action-catalog.js';

export const APP_PERMISSIONS = [
  'Machine.Read.All',
  'Machine.ReadWrite.All',
  'Machine.Isolate',
  'Machine.RestrictExecution',
  'Machine.Scan',
  'Machine.Offboard',
  'Machine.StopAndQuarantine',
  'Machine.CollectForensics',
  'Machine.LiveResponse',
  'Library.Manage',
  'Alert.Read.All',
  'Alert.ReadWrite.All',
  'User.Read.All',
] as const;
export type AppPermission = (typeof APP_PERMISSIONS)[number];

export const DELEGATED_PERMISSIONS = [
  'Machine.Read',
  'Machine.ReadWrite',
  'Machine.Isolate',
  'Machine.RestrictExecution',
  'Machine.Scan',
  'Machine.Offboard',
  'Machine.StopAndQuarantine',
  'Machine.CollectForensics',
  'Machine.LiveResponse',
  'Library.Manage',
  'Alert.Read',
  'Alert.ReadWrite',
  // MDE names the delegated permission of logonusers the same as the application one.
  'User.Read.All',
] as const;
export type DelegatedPermission = (typeof DELEGATED_PERMISSIONS)[number];

/**
 * What each API operation needs. A caller passes when every group in `allOf` has at least one
 * permission the caller holds (app: `roles`; user: `scp`). Most operations have a single group
 * ("any of"); StopAndQuarantineFile needs two (I-6055, mde-api.md §4.6).
 */
export interface OperationPermissions {
  app: readonly (readonly AppPermission[])[];
  delegated: readonly (readonly DelegatedPermission[])[];
}

const READ_APP = ['Machine.Read.All', 'Machine.ReadWrite.All'] as const;
const READ_DELEGATED = ['Machine.Read', 'Machine.ReadWrite'] as const;
const ACTION_PERMS = [
  'Machine.CollectForensics',
  'Machine.Isolate',
  'Machine.RestrictExecution',
  'Machine.Scan',
  'Machine.Offboard',
  'Machine.StopAndQuarantine',
  'Machine.LiveResponse',
] as const;

const one = <A extends AppPermission, D extends DelegatedPermission>(app: readonly A[], delegated: readonly D[]): OperationPermissions => ({
  app: [app],
  delegated: [delegated],
});

/** The permission table of mde-api.md §3, by operation id. */
export const OPERATION_PERMISSIONS = {
  listMachineActions: one(READ_APP, READ_DELEGATED),
  getMachineAction: one(READ_APP, READ_DELEGATED),
  /** @extension Cordon: the event stream of action changes (`GET /api/cordon/events`), read as listMachineActions. */
  streamCordonEvents: one(READ_APP, READ_DELEGATED),
  // Each action-creating operation's row comes from its action catalog entry.
  ...ACTION_OPERATION_PERMISSIONS,
  getPackageUri: one(READ_APP, ['Machine.CollectForensics']),
  cancelMachineAction: one(ACTION_PERMS, ACTION_PERMS),
  getLiveResponseResultDownloadLink: one(READ_APP, ['Machine.LiveResponse']),
  /**
   * @extension Cordon: people with any role may read the library (list, download), as in MDE's
   * portal; applications still need Library.Manage, as MDE's API documents.
   */
  listLibraryFiles: one(['Library.Manage'], ['Library.Manage', ...READ_DELEGATED]),
  /** @extension Cordon: a signed download link of a library file; who may list may download. */
  getLibraryFileDownloadLink: one(['Library.Manage'], ['Library.Manage', ...READ_DELEGATED]),
  uploadLibraryFile: one(['Library.Manage'], ['Library.Manage']),
  deleteLibraryFile: one(['Library.Manage'], ['Library.Manage']),
  addOrRemoveTag: one(['Machine.ReadWrite.All'], ['Machine.ReadWrite']),
  addOrRemoveTagForMultipleMachines: one(['Machine.ReadWrite.All'], ['Machine.ReadWrite']),
  updateMachine: one(['Machine.ReadWrite.All'], ['Machine.ReadWrite']),
  findMachinesByTag: one(READ_APP, READ_DELEGATED),
  findMachinesByIp: one(READ_APP, READ_DELEGATED),
  startInvestigation: one(['Alert.ReadWrite.All'], ['Alert.ReadWrite']),
  listInvestigations: one(['Alert.Read.All', 'Alert.ReadWrite.All'], ['Alert.Read', 'Alert.ReadWrite']),
  getInvestigation: one(['Alert.Read.All', 'Alert.ReadWrite.All'], ['Alert.Read', 'Alert.ReadWrite']),
  /** "Update alert": MDE's page spells the application permission Alerts.ReadWrite.All; tokens carry Alert.ReadWrite.All. */
  updateAlert: one(['Alert.ReadWrite.All'], ['Alert.ReadWrite']),
  /**
   * @extension Cordon: approving starts StopAndQuarantineFile actions, so it needs what that action
   * needs; rejecting declines the same remediation and takes the same authority.
   */
  approveInvestigation: ACTION_OPERATION_PERMISSIONS.stopAndQuarantineFile,
  /** @extension Cordon: see approveInvestigation. */
  rejectInvestigation: ACTION_OPERATION_PERMISSIONS.stopAndQuarantineFile,
  listAlerts: one(['Alert.Read.All', 'Alert.ReadWrite.All'], ['Alert.Read', 'Alert.ReadWrite']),
  getAlert: one(['Alert.Read.All', 'Alert.ReadWrite.All'], ['Alert.Read', 'Alert.ReadWrite']),
  listMachineAlerts: one(['Alert.Read.All', 'Alert.ReadWrite.All'], ['Alert.Read', 'Alert.ReadWrite']),
  /**
   * @extension Cordon: live response console sessions (`/api/cordon/liveresponse/sessions…`). Every
   * operation needs Machine.LiveResponse (people: the "Live response basic" role or above); which
   * console commands a person may run is decided per command (advanced commands need "Live response
   * advanced", i.e. Library.Manage as well). Transcripts and events are read with the same permission.
   */
  listLiveSessions: one(['Machine.LiveResponse'], ['Machine.LiveResponse']),
  /** @extension Cordon: open a console session on a connected device. */
  openLiveSession: one(['Machine.LiveResponse'], ['Machine.LiveResponse']),
  /** @extension Cordon: one console session. */
  getLiveSession: one(['Machine.LiveResponse'], ['Machine.LiveResponse']),
  /** @extension Cordon: close a console session. */
  closeLiveSession: one(['Machine.LiveResponse'], ['Machine.LiveResponse']),
  /** @extension Cordon: the session's server-sent events (Last-Event-ID resumes). */
  streamLiveSessionEvents: one(['Machine.LiveResponse'], ['Machine.LiveResponse']),
  /** @extension Cordon: the session's text transcript. */
  getLiveSessionTranscript: one(['Machine.LiveResponse'], ['Machine.LiveResponse']),
  /** @extension Cordon: the session's commands. */
  listLiveSessionCommands: one(['Machine.LiveResponse'], ['Machine.LiveResponse']),
  /** @extension Cordon: run a console command line. */
  runLiveSessionCommand: one(['Machine.LiveResponse'], ['Machine.LiveResponse']),
  /** @extension Cordon: one console command. */
  getLiveSessionCommand: one(['Machine.LiveResponse'], ['Machine.LiveResponse']),
  /** @extension Cordon: one console command's output (text/plain). */
  getLiveSessionCommandOutput: one(['Machine.LiveResponse'], ['Machine.LiveResponse']),
  /** @extension Cordon: cancel a running console command. */
  cancelLiveSessionCommand: one(['Machine.LiveResponse'], ['Machine.LiveResponse']),
  /** @extension Cordon: tenant response settings. */
  getCordonSettings: one(READ_APP, READ_DELEGATED),
  /** @extension Cordon: tenant response settings. */
  updateCordonSettings: one(['Machine.ReadWrite.All'], ['Machine.ReadWrite']),
  /**
   * @extension Cordon: an agent package carries a new enrollment secret. MDE lets "Manage security
   * settings" onboard devices; here that is the write permission of the tenant's settings.
   */
  createAgentPackage: one(['Machine.ReadWrite.All'], ['Machine.ReadWrite']),
  listLogonUsers: one(['User.Read.All'], ['User.Read.All']),
  listMachines: one(READ_APP, READ_DELEGATED),
  /** @extension Cordon: the device timeline, readable by whoever may read the machine. */
  getMachineTimeline: one(READ_APP, READ_DELEGATED),
  getMachine: one(READ_APP, READ_DELEGATED),
} as const satisfies Record<string, OperationPermissions>;

export type OperationId = keyof typeof OPERATION_PERMISSIONS;

/** The permissions a caller holds, as read from a verified token. */
export interface CallerPermissions {
  kind: 'app' | 'delegated';
  permissions: readonly string[];
}

/** True when the caller satisfies every group of the operation's requirement. */
export function isAllowed(operation: OperationId, caller: CallerPermissions): boolean {
  const spec: OperationPermissions = OPERATION_PERMISSIONS[operation];
  const groups = caller.kind === 'app' ? spec.app : spec.delegated;
  return groups.every((group) => group.some((p) => caller.permissions.includes(p)));
}

/** The "required permissions" phrase used in 403 messages (I-6055 wording). */
export function requiredPermissionsText(operation: OperationId, kind: 'app' | 'delegated'): string {
  const spec: OperationPermissions = OPERATION_PERMISSIONS[operation];
  const groups = kind === 'app' ? spec.app : spec.delegated;
  return groups.map((g) => `(${g.join(', ')})`).join(' and ');
}
