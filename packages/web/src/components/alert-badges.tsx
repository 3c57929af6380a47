/** Alert severity, status, classification and determination as people read them, and links into the filtered alerts queue. */
import type { AlertSeverity, AlertStatus } from '@cordon/protocol';
import { labelOf } from '../labels.js';

export function severityLabel(severity: string): string {
  return labelOf('alertSeverity', severity);
}

export function statusLabel(status: string): string {
  return labelOf('alertStatus', status);
}

export function SeverityBadge({ severity }: { severity: AlertSeverity | string }) {
  return <span className={`badge sev sev-${severity.toLowerCase()}`}>{severityLabel(severity)}</span>;
}

export function AlertStatusBadge({ status }: { status: AlertStatus | string }) {
  return <span className={`badge alert-status alert-status-${status.toLowerCase()}`}>{statusLabel(status)}</span>;
}

/** The alerts queue's URL query (`#/alerts?severity=High&status=New`); `status=open` is not Resolved. */
export interface AlertsQuery {
  severity?: string;
  status?: string;
  machine?: string;
  sort?: string;
}

/** The Action center with one action's side panel open (the Action center's `action` URL key). */
export function actionHref(actionId: string): string {
  return `#/actions?action=${encodeURIComponent(actionId)}`;
}

export function alertsHref(query: AlertsQuery = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v) params.set(k, v);
  const qs = params.toString();
  return qs ? `#/alerts?${qs}` : '#/alerts';
}

export function classificationText(value: string | null): string {
  return value ? labelOf('alertClassification', value) : 'Not set';
}

export function determinationText(value: string | null): string {
  if (!value || value === 'NotAvailable') return 'Not set';
  return labelOf('alertDetermination', value);
}

/** MDE's determinations per classification (Update alert), with the portal's words. */
export const DETERMINATIONS: Record<string, readonly (readonly [string, string])[]> = {
  TruePositive: [
    ['MultiStagedAttack', 'Multistage attack'],
    ['MaliciousUserActivity', 'Malicious user activity'],
    ['CompromisedUser', 'Compromised account'],
    ['Malware', 'Malware'],
    ['Phishing', 'Phishing'],
    ['UnwantedSoftware', 'Unwanted software'],
    ['Other', 'Other'],
  ],
  InformationalExpectedActivity: [
    ['SecurityTesting', 'Security test'],
    ['LineOfBusinessApplication', 'Line-of-business application'],
    ['ConfirmedActivity', 'Confirmed activity'],
    ['Other', 'Other'],
  ],
  FalsePositive: [
    ['NotMalicious', 'Not malicious'],
    ['InsufficientData', 'Not enough data to validate'],
    ['Other', 'Other'],
  ],
};

export const CLASSIFICATIONS = [
  ['TruePositive', 'True positive'],
  ['InformationalExpectedActivity', 'Informational, expected activity'],
  ['FalsePositive', 'False positive'],
] as const;
