/**
 * The MachineAction entity as MDE serves it (mde-api.md §4.1), plus Cordon extensions
 * marked `@extension`. Wire names follow MDE exactly; do not rename.
 */

/** Every machine action type. Spelled as MDE's JSON spells them (mde-api.md §4.1). */
export const ACTION_TYPES = [
  'RunAntiVirusScan',
  'Offboard',
  'LiveResponse',
  'CollectInvestigationPackage',
  'Isolate',
  'Unisolate',
  'StopAndQuarantineFile',
  'RestrictCodeExecution',
  'UnrestrictCodeExecution',
  /** @extension Cordon: puts back what StopAndQuarantineFile took. */
  'RestoreQuarantinedFile',
] as const;
export type ActionType = (typeof ACTION_TYPES)[number];

/** What on a device an action acts on (ACTION_MECHANISM). */
export const ACTION_MECHANISMS = ['isolation', 'restriction', 'quarantine', 'device'] as const;
export type ActionMechanism = (typeof ACTION_MECHANISMS)[number];

// ACTION_MECHANISM, the mechanism of each type, is derived from the action catalog (action-catalog.ts).

/** Action statuses; `Cancelled` with double "l" (PR-6034). */
export const ACTION_STATUSES = ['Pending', 'InProgress', 'Succeeded', 'Failed', 'TimeOut', 'Cancelled'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];

/** Statuses after which an action never changes again. */
export const FINAL_ACTION_STATUSES = ['Succeeded', 'Failed', 'TimeOut', 'Cancelled'] as const satisfies readonly ActionStatus[];
export type FinalActionStatus = (typeof FINAL_ACTION_STATUSES)[number];

export function isFinalStatus(status: ActionStatus): status is FinalActionStatus {
  return (FINAL_ACTION_STATUSES as readonly string[]).includes(status);
}

/** `IsolationType` body values (mde-api.md §4.3). */
export const ISOLATION_TYPES = ['Full', 'Selective', 'UnManagedDevice'] as const;
export type IsolationType = (typeof ISOLATION_TYPES)[number];

/** `ScanType` body values (mde-api.md §4.4). */
export const SCAN_TYPES = ['Quick', 'Full'] as const;
export type ScanType = (typeof SCAN_TYPES)[number];

/** Live response command types, in the only order they may appear (mde-api.md §4.9). */
export const LIVE_RESPONSE_COMMAND_TYPES = ['PutFile', 'RunScript', 'GetFile'] as const;
export type LiveResponseCommandType = (typeof LIVE_RESPONSE_COMMAND_TYPES)[number];

/**
 * Per-command statuses, distinct from action statuses (mde-api.md §4.1 documents `Created`,
 * `Completed`, `Failed`). @extension Cordon: `InProgress` while the command runs on the device and
 * `Cancelled` for a command that had not finished when its action was cancelled, so a client polling
 * the action sees each command move (docs/extensions.md).
 */
export const COMMAND_STATUSES = ['Created', 'InProgress', 'Completed', 'Failed', 'Cancelled'] as const;
export type CommandStatus = (typeof COMMAND_STATUSES)[number];

export const FILE_IDENTIFIER_TYPES = ['Sha1', 'Sha256', 'Md5'] as const;
export type FileIdentifierType = (typeof FILE_IDENTIFIER_TYPES)[number];

export interface RelatedFileInfo {
  fileIdentifier: string;
  fileIdentifierType: FileIdentifierType;
}

export interface LiveResponseParam {
  key: string;
  value: string;
}

/**
 * @extension Cordon: the command type of a LiveResponse action that records a console command
 * other than getfile/putfile/run (remediate, kill, suspend, scan, collect); its params are
 * `Command` (the console command) and `CommandLine` (as typed). Never accepted in a
 * runliveresponse request.
 */
export const CONSOLE_COMMAND_TYPE = 'ConsoleCommand';

/** A command as a LiveResponse action shows it: MDE's types, or a recorded console command. */
export interface RecordedLiveResponseCommand {
  type: LiveResponseCommandType | typeof CONSOLE_COMMAND_TYPE;
  params: LiveResponseParam[];
}

export interface LiveResponseCommand {
  type: LiveResponseCommandType;
  params: LiveResponseParam[];
}

/** One entry of `commands[]` on a LiveResponse action. */
export interface LiveResponseCommandEntry {
  /** 0-based position in the request. */
  index: number;
  /** Null until the command starts. */
  startTime: string | null;
  endTime: string | null;
  commandStatus: CommandStatus;
  errors: string[];
  command: RecordedLiveResponseCommand;
}

/** The wire entity, in MDE's observed property order (mde-api.md §4.1, T-blog). */
export interface MachineAction {
  id: string;
  type: ActionType;
  title: string | null;
  requestor: string;
  requestorComment: string;
  status: ActionStatus;
  machineId: string;
  computerDnsName: string | null;
  /** ISO 8601 UTC with 7 fractional digits. */
  creationDateTimeUtc: string;
  lastUpdateDateTimeUtc: string;
  /** Older name of lastUpdateDateTimeUtc; always the same value (mde-api.md §9.3). */
  lastUpdateTimeUtc: string;
  cancellationRequestor: string | null;
  cancellationComment: string | null;
  cancellationDateTimeUtc: string | null;
  errorHResult: number;
  scope: string | null;
  externalId: string | null;
  requestSource: string;
  relatedFileInfo: RelatedFileInfo | null;
  commands: LiveResponseCommandEntry[];
  troubleshootInfo: unknown | null;
  /** @extension Cordon: when a Pending action times out if no device picks it up. */
  expirationDateTimeUtc: string;
  /** @extension Cordon: why the action failed, in words (null unless Failed/TimeOut). */
  errorMessage: string | null;
  /** @extension Cordon: what the executor reported (e.g. scan counts), or null. */
  result: Record<string, unknown> | null;
}

/** The error HRESULT a failed action carries when the agent gives none (E_FAIL). */
export const DEFAULT_ERROR_HRESULT = -2147467259;
