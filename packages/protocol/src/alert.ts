/**
 * The Alert entity (mde-api.md §2.4 lists alerts among the OData collections): the documented MDE
 * fields that apply to Cordon. Scan detections become alerts with `detectionSource: "Antivirus"`;
 * automated investigations add theirs with `"AutomatedInvestigation"`.
 */
import { INVESTIGATION_STATES } from './investigation.js';

export const ALERT_SEVERITIES = ['Unspecified', 'Informational', 'Low', 'Medium', 'High'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

export const ALERT_STATUSES = ['Unknown', 'New', 'InProgress', 'Resolved'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

/**
 * An alert's `investigationState` takes the investigation `state` values (mde-api.md §4.13): one
 * list, so a state an investigation reaches is always one its alerts may carry and be filtered on.
 */
/** The statuses `PATCH /alerts/{id}` may set (MDE "Update alert": 'New', 'InProgress' and 'Resolved'). */
export const ALERT_UPDATE_STATUSES = ['New', 'InProgress', 'Resolved'] as const;
export type AlertUpdateStatus = (typeof ALERT_UPDATE_STATUSES)[number];

/** `classification` values MDE's "Update alert" documents. */
export const ALERT_CLASSIFICATIONS = ['TruePositive', 'InformationalExpectedActivity', 'FalsePositive'] as const;
export type AlertClassification = (typeof ALERT_CLASSIFICATIONS)[number];

/**
 * `determination` values MDE's "Update alert" documents, across its three classifications (it
 * does not tie a determination to its classification on the wire: its own example sends
 * FalsePositive with Malware). `NotAvailable` is the Alert entity's "none yet" value; `Apt` and
 * `SecurityPersonnel` were withdrawn from MDE's API in 2022 and are refused.
 */
export const ALERT_DETERMINATIONS = [
  'MultiStagedAttack',
  'MaliciousUserActivity',
  'CompromisedUser',
  'Malware',
  'Phishing',
  'UnwantedSoftware',
  'SecurityTesting',
  'LineOfBusinessApplication',
  'ConfirmedActivity',
  'NotMalicious',
  'InsufficientData',
  'NotAvailable',
  'Other',
] as const;
export type AlertDetermination = (typeof ALERT_DETERMINATIONS)[number];

export const ALERT_INVESTIGATION_STATES = INVESTIGATION_STATES;
export type AlertInvestigationState = (typeof ALERT_INVESTIGATION_STATES)[number];

export const ALERT_DETECTION_SOURCES = ['Antivirus', 'AutomatedInvestigation'] as const;
export type AlertDetectionSource = (typeof ALERT_DETECTION_SOURCES)[number];

/** One piece of evidence (MDE `evidence[]`); Cordon produces File evidence. */
export interface AlertEvidence {
  entityType: 'File';
  evidenceCreationTime: string;
  sha1: string | null;
  sha256: string | null;
  fileName: string | null;
  filePath: string | null;
  /** @extension Cordon: size in bytes as the scanner saw it. */
  fileSize?: number | null;
  /** @extension Cordon: the signature that matched. */
  detectionName?: string | null;
  processId: null;
  processCommandLine: null;
  parentProcessId: null;
  ipAddress: null;
  url: null;
  registryKey: null;
  accountName: null;
  domainName: null;
  userSid: null;
  aadUserId: null;
  userPrincipalName: null;
  detectionStatus: 'Detected' | 'Prevented' | 'Blocked' | null;
}

/** One analyst comment (MDE Alert `comments[]`), oldest first. */
export interface AlertComment {
  comment: string;
  /** Who wrote it: the person's name, or the application's name. */
  createdBy: string;
  createdTime: string;
}

/** The wire Alert. */
export interface Alert {
  /** MDE-shaped id: `da` + .NET ticks + `_` + a number (e.g. `da637292082891366787_1236758045`). */
  id: string;
  incidentId: number | null;
  investigationId: number | null;
  assignedTo: string | null;
  severity: AlertSeverity;
  status: AlertStatus;
  classification: string | null;
  determination: string | null;
  investigationState: AlertInvestigationState;
  detectionSource: AlertDetectionSource;
  detectorId: string | null;
  category: string;
  threatFamilyName: string | null;
  title: string;
  description: string;
  alertCreationTime: string;
  firstEventTime: string;
  lastEventTime: string;
  lastUpdateTime: string;
  resolvedTime: string | null;
  machineId: string;
  computerDnsName: string;
  rbacGroupName: string | null;
  aadTenantId: string;
  threatName: string | null;
  mitreTechniques: string[];
  relatedUser: null;
  loggedOnUsers: [];
  comments: AlertComment[];
  /** Always included (Cordon does not implement `$expand`; `$expand=evidence` is accepted). */
  evidence: AlertEvidence[];
  /** @extension Cordon: the machine action (scan) that produced this alert, if any. */
  actionId: string | null;
}
