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

export interface AlertComment {
  comment: string;
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
