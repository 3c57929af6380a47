/**
 * The words people read for every enum the UI shows. Wire values (MDE's spellings) stay in
 * requests, URLs and filters; only what is rendered goes through `labelOf`. Each map is typed
 * against the protocol's list, so a value added there fails the type check until it has a label
 * here. An unknown value (a newer server) is shown as its spelling split into words.
 */
import {
  ACTION_CATALOG,
  type ActionStatus,
  type ActionType,
  type AlertDetectionSource,
  type AlertSeverity,
  type AlertStatus,
  type CommandStatus,
  type DelegatedPermission,
  type DeviceValue,
  type ExposureLevel,
  type FindingSeverity,
  type HealthStatus,
  type InvestigationState,
  type IsolationState,
  type IsolationType,
  type LiveResponseCommandType,
  type OnboardingStatus,
  type RemediationLevel,
  type RiskScore,
  type ScanType,
  TAG_ACTIONS,
} from '@cordon/protocol';

const actionType = Object.fromEntries(Object.entries(ACTION_CATALOG).map(([type, spec]) => [type, spec.label])) as Record<ActionType, string>;

const actionStatus: Record<ActionStatus, string> = {
  Pending: 'Pending',
  InProgress: 'In progress',
  Succeeded: 'Succeeded',
  Failed: 'Failed',
  TimeOut: 'Timed out',
  Cancelled: 'Cancelled',
};

const health: Record<HealthStatus, string> = {
  Active: 'Active',
  Inactive: 'Inactive',
  ImpairedCommunication: 'Impaired communication',
  NoSensorData: 'No sensor data',
  NoSensorDataImpairedCommunication: 'No sensor data, impaired communication',
  Unknown: 'Unknown',
};

const isolation: Record<IsolationState, string> = {
  NotIsolated: 'Not isolated',
  Isolated: 'Isolated',
  SelectivelyIsolated: 'Selectively isolated',
};

const isolationType: Record<IsolationType, string> = {
  Full: 'Full',
  Selective: 'Selective',
  UnManagedDevice: 'Unmanaged device',
};

const scanType: Record<ScanType, string> = { Quick: 'Quick scan', Full: 'Full scan' };

const restricted: Record<'true' | 'false', string> = { true: 'Restricted', false: 'Not restricted' };

const onboarding: Record<OnboardingStatus, string> = {
  Onboarded: 'Onboarded',
  CanBeOnboarded: 'Can be onboarded',
  Unsupported: 'Unsupported',
  InsufficientInfo: 'Insufficient info',
  Offboarded: 'Offboarded',
};

const riskScore: Record<RiskScore, string> = { None: 'None', Informational: 'Informational', Low: 'Low', Medium: 'Medium', High: 'High' };
const exposureLevel: Record<ExposureLevel, string> = { None: 'None', Low: 'Low', Medium: 'Medium', High: 'High' };
const deviceValue: Record<DeviceValue, string> = { Normal: 'Normal', Low: 'Low', High: 'High' };

const alertSeverity: Record<AlertSeverity, string> = { Unspecified: 'Unspecified', Informational: 'Informational', Low: 'Low', Medium: 'Medium', High: 'High' };
const findingSeverity: Record<FindingSeverity, string> = { Informational: 'Informational', Low: 'Low', Medium: 'Medium', High: 'High' };

const alertStatus: Record<AlertStatus, string> = { Unknown: 'Unknown', New: 'New', InProgress: 'In progress', Resolved: 'Resolved' };

const alertDetectionSource: Record<AlertDetectionSource, string> = { Antivirus: 'Antivirus', AutomatedInvestigation: 'Automated investigation' };

/** MDE's alert classification and determination values (the portal's words). */
const alertClassification: Record<string, string> = {
  Unknown: 'Not set',
  TruePositive: 'True positive',
  InformationalExpectedActivity: 'Informational, expected activity',
  FalsePositive: 'False positive',
};

const alertDetermination: Record<string, string> = {
  NotAvailable: 'Not available',
  Apt: 'Advanced persistent threat',
  Malware: 'Malware',
  SecurityPersonnel: 'Security personnel',
  SecurityTesting: 'Security testing',
  UnwantedSoftware: 'Unwanted software',
  MultiStagedAttack: 'Multi-staged attack',
  MaliciousUserActivity: 'Malicious user activity',
  CompromisedAccount: 'Compromised account',
  Phishing: 'Phishing',
  LineOfBusinessApplication: 'Line-of-business application',
  ConfirmedActivity: 'Confirmed activity',
  NotMalicious: 'Not malicious',
  InsufficientData: 'Insufficient data',
  Other: 'Other',
};

const investigationState: Record<InvestigationState, string> = {
  Unknown: 'Unknown',
  Terminated: 'Terminated',
  SuccessfullyRemediated: 'Remediated',
  Benign: 'No threats found',
  Failed: 'Failed',
  PartiallyRemediated: 'Partially remediated',
  Running: 'Running',
  PendingApproval: 'Pending approval',
  PendingResource: 'Waiting for the device',
  PartiallyInvestigated: 'Partially investigated',
  TerminatedByUser: 'Stopped by a person',
  TerminatedBySystem: 'Stopped by the system',
  Queued: 'Queued',
  InnerFailure: 'Failed (internal error)',
  PreexistingAlert: 'Already covered by another investigation',
  UnsupportedOs: 'Unsupported operating system',
  UnsupportedAlertType: 'Unsupported alert type',
  SuppressedAlert: 'Alert suppressed',
};

const commandType: Record<LiveResponseCommandType, string> = { PutFile: 'Put file', RunScript: 'Run script', GetFile: 'Get file' };

const commandStatus: Record<CommandStatus, string> = { Created: 'Waiting', InProgress: 'In progress', Completed: 'Completed', Failed: 'Failed', Cancelled: 'Cancelled' };

const tagAction: Record<(typeof TAG_ACTIONS)[number], string> = { Add: 'Add', Remove: 'Remove' };

const remediationLevel: Record<RemediationLevel, string> = { Full: 'Remediate threats automatically', None: 'Ask an analyst to approve remediation' };

const osPlatform: Record<string, string> = { Linux: 'Linux', Windows10: 'Windows 10', Windows11: 'Windows 11', macOS: 'macOS' };

/**
 * The role names people see (Settings › Roles; mde-api.md §8) that grant each permission, so a
 * disabled button can say which role would allow it instead of naming a token scope. Mirrors the
 * server's ROLE_SCOPES (packages/server/src/roles.ts), which the web may not import.
 */
const permissionRoles: Record<DelegatedPermission, string> = {
  'Machine.Read': 'View data',
  'Machine.ReadWrite': 'Alerts investigation or Manage security settings',
  'Machine.Isolate': 'Active remediation actions',
  'Machine.RestrictExecution': 'Active remediation actions',
  'Machine.Scan': 'Active remediation actions or Alerts investigation',
  'Machine.Offboard': 'Manage security settings',
  'Machine.StopAndQuarantine': 'Active remediation actions',
  'Machine.CollectForensics': 'Alerts investigation',
  'Machine.LiveResponse': 'Live response basic or Live response advanced',
  'Library.Manage': 'Live response advanced or Manage security settings',
  'Alert.Read': 'View data',
  'Alert.ReadWrite': 'Alerts investigation',
  'User.Read.All': 'View data',
};

export const LABELS = {
  actionType,
  actionStatus,
  health,
  isolation,
  isolationType,
  scanType,
  restricted,
  onboarding,
  riskScore,
  exposureLevel,
  deviceValue,
  alertSeverity,
  findingSeverity,
  alertStatus,
  alertDetectionSource,
  alertClassification,
  alertDetermination,
  investigationState,
  commandType,
  commandStatus,
  tagAction,
  remediationLevel,
  osPlatform,
  permissionRoles,
} as const;

export type LabelKind = keyof typeof LABELS;

/** "NoSensorDataImpairedCommunication" → "No sensor data impaired communication": the fallback for values no map knows. */
export function splitWords(value: string): string {
  const words = value.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2');
  return words.charAt(0) + words.slice(1).toLowerCase();
}

/** The human label of an enum value; null/empty as an em dash. */
export function labelOf(kind: LabelKind, value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '—';
  const map = LABELS[kind] as Record<string, string>;
  return Object.hasOwn(map, value) ? map[value]! : splitWords(value);
}

/** `[value, label]` pairs for a filter `<select>` (FilterSelect), in the given order. */
export function labelOptions(kind: LabelKind, values: readonly string[]): [value: string, label: string][] {
  return values.map((v) => [v, labelOf(kind, v)]);
}
