/**
 * The Investigation entity (mde-api.md §4.13): what `POST /machines/{id}/startInvestigation`
 * answers and `GET /investigations` lists. Cordon extensions carry the findings and the actions
 * the investigation ran, so a client needs no second query to explain a state.
 */
/** Finding severities: the alert severities a rule may assign (the same words as Alert.severity). */
export const FINDING_SEVERITIES = ['Informational', 'Low', 'Medium', 'High'] as const;
export type FindingSeverity = (typeof FINDING_SEVERITIES)[number];

/** Every documented `state` value (mde-api.md §4.13). */
export const INVESTIGATION_STATES = [
  'Unknown',
  'Terminated',
  'SuccessfullyRemediated',
  'Benign',
  'Failed',
  'PartiallyRemediated',
  'Running',
  'PendingApproval',
  'PendingResource',
  'PartiallyInvestigated',
  'TerminatedByUser',
  'TerminatedBySystem',
  'Queued',
  'InnerFailure',
  'PreexistingAlert',
  'UnsupportedOs',
  'UnsupportedAlertType',
  'SuppressedAlert',
] as const;
export type InvestigationState = (typeof INVESTIGATION_STATES)[number];

/** Where a finding was seen: a file of the investigation package (and what in it). */
export interface InvestigationEvidence {
  /** The blob holding the package zip (downloadable through getPackageUri of `packageActionId`). */
  packageBlobId: string;
  /** Path of the file inside the package, e.g. `Processes/Processes.csv`. */
  packagePath: string;
  filePath: string | null;
  processId: number | null;
  commandLine: string | null;
  accountName: string | null;
  sha256: string | null;
  sha1: string | null;
  /** The line or row the rule matched, verbatim (capped). */
  detail: string | null;
}

export interface InvestigationFinding {
  ruleId: string;
  title: string;
  severity: FindingSeverity;
  category: string;
  description: string;
  evidence: InvestigationEvidence;
  /** The alert raised for this finding, once created. */
  alertId: string | null;
  /** The StopAndQuarantineFile action that remediates it, if one was started. */
  remediationActionId: string | null;
}

/** @extension Cordon: what an analyst decided about a PendingApproval investigation. */
export const INVESTIGATION_DECISIONS = ['Approved', 'Rejected'] as const;
export type InvestigationDecision = (typeof INVESTIGATION_DECISIONS)[number];

export interface Investigation {
  /** Decimal string (MDE sample: "63004"); alerts carry it as `investigationId` (a number). */
  id: string;
  startTime: string;
  endTime: string | null;
  state: InvestigationState;
  cancelledBy: string | null;
  statusDetails: string | null;
  machineId: string;
  computerDnsName: string;
  triggeringAlertId: string | null;
  /** @extension Cordon: the CollectInvestigationPackage action. */
  packageActionId: string | null;
  /** @extension Cordon: the Quick RunAntiVirusScan action. */
  scanActionId: string | null;
  /** @extension Cordon: StopAndQuarantineFile actions started by the investigation. */
  remediationActionIds: string[];
  /** @extension Cordon: what the detection rules found. */
  findings: InvestigationFinding[];
  /** @extension Cordon: ids of alerts that joined the investigation while it ran. */
  alertIds: string[];
  /**
   * @extension Cordon: `Approved` or `Rejected` once an analyst decided on the pending
   * remediation (`POST /investigations/{id}/approve|reject`); null before.
   */
  decision: InvestigationDecision | null;
  /** @extension Cordon: who approved or rejected (the person's or application's name). */
  decidedBy: string | null;
  /** @extension Cordon: when the decision was made. */
  decisionTime: string | null;
  /** @extension Cordon: the `Comment` sent with the decision. */
  decisionComment: string | null;
}
