/**
 * Field maps of the queryable entities. Every wire property is listed (so `$select` can name it);
 * `filterable`/`sortable` follow the documented lists (mde-api.md §2.4) plus the extras the
 * control-plane issue asks for. The store maps these canonical names to columns.
 */
import { INVESTIGATION_STATES, ALERT_DETECTION_SOURCES, ALERT_INVESTIGATION_STATES, ALERT_SEVERITIES, ALERT_STATUSES, ACTION_STATUSES, ACTION_TYPES, HEALTH_STATUSES, ONBOARDING_STATUSES, RISK_SCORES, EXPOSURE_LEVELS, DEVICE_VALUES, ISOLATION_STATES } from '@cordon/protocol';
import type { FieldMap, FieldSpec } from './ast.js';

const f = (type: FieldSpec['type'], filterable = true, extra: Partial<FieldSpec> = {}): FieldSpec => ({ type, filterable, sortable: filterable && type !== 'stringArray', ...extra });
const selectOnly = (type: FieldSpec['type'] = 'string'): FieldSpec => ({ type, filterable: false, sortable: false });

export const MACHINE_ACTION_FIELDS: FieldMap = {
  id: f('guid'),
  type: f('enum', true, { values: ACTION_TYPES }),
  title: selectOnly(),
  requestor: f('string'),
  requestorComment: selectOnly(),
  status: f('enum', true, { values: ACTION_STATUSES }),
  machineId: f('string'),
  computerDnsName: f('string'),
  creationDateTimeUtc: f('datetime'),
  lastUpdateDateTimeUtc: f('datetime'),
  /** Older name of lastUpdateDateTimeUtc (mde-api.md §9.3); same column. */
  lastUpdateTimeUtc: f('datetime'),
  cancellationRequestor: selectOnly(),
  cancellationComment: selectOnly(),
  cancellationDateTimeUtc: selectOnly('datetime'),
  errorHResult: selectOnly('number'),
  scope: f('string'),
  externalId: f('string'),
  requestSource: f('string'),
  relatedFileInfo: selectOnly(),
  commands: selectOnly(),
  troubleshootInfo: selectOnly(),
  expirationDateTimeUtc: f('datetime'),
  errorMessage: selectOnly(),
  result: selectOnly(),
};

export const MACHINE_FIELDS: FieldMap = {
  id: f('string'),
  computerDnsName: f('string'),
  firstSeen: f('datetime'),
  lastSeen: f('datetime'),
  osPlatform: f('string'),
  osVersion: f('string'),
  osProcessor: selectOnly(),
  version: f('string'),
  lastIpAddress: f('string'),
  lastExternalIpAddress: f('string'),
  agentVersion: f('string'),
  osBuild: f('number'),
  healthStatus: f('enum', true, { values: HEALTH_STATUSES }),
  deviceValue: f('enum', true, { values: DEVICE_VALUES }),
  rbacGroupId: f('number'),
  rbacGroupName: f('string'),
  riskScore: f('enum', true, { values: RISK_SCORES }),
  exposureLevel: f('enum', true, { values: EXPOSURE_LEVELS }),
  isAadJoined: f('boolean'),
  aadDeviceId: f('string'),
  machineTags: f('stringArray'),
  defenderAvStatus: selectOnly(),
  onboardingStatus: f('enum', true, { values: ONBOARDING_STATUSES }),
  osArchitecture: selectOnly(),
  managedBy: selectOnly(),
  managedByStatus: selectOnly(),
  ipAddresses: selectOnly(),
  vmMetadata: selectOnly(),
  isolationState: f('enum', true, { values: ISOLATION_STATES }),
  isRestricted: f('boolean'),
  capabilities: selectOnly(),
  avSignatureSources: selectOnly(),
};

/** Alert (MDE alert properties; evidence and comments are select-only). */
export const ALERT_FIELDS: FieldMap = {
  id: f('string'),
  incidentId: f('number'),
  investigationId: f('number'),
  assignedTo: f('string'),
  severity: f('enum', true, { values: ALERT_SEVERITIES }),
  status: f('enum', true, { values: ALERT_STATUSES }),
  classification: f('string'),
  determination: f('string'),
  investigationState: f('enum', true, { values: ALERT_INVESTIGATION_STATES }),
  detectionSource: f('enum', true, { values: ALERT_DETECTION_SOURCES }),
  detectorId: selectOnly(),
  category: f('string'),
  threatFamilyName: f('string'),
  title: f('string'),
  description: selectOnly(),
  alertCreationTime: f('datetime'),
  firstEventTime: f('datetime'),
  lastEventTime: f('datetime'),
  lastUpdateTime: f('datetime'),
  resolvedTime: f('datetime'),
  machineId: f('string'),
  computerDnsName: f('string'),
  rbacGroupName: f('string'),
  aadTenantId: selectOnly(),
  threatName: f('string'),
  mitreTechniques: selectOnly(),
  relatedUser: selectOnly(),
  loggedOnUsers: selectOnly(),
  comments: selectOnly(),
  evidence: selectOnly(),
  actionId: f('string'),
};

/** Investigation (mde-api.md §4.13); the Cordon extensions are select-only. */
export const INVESTIGATION_FIELDS: FieldMap = {
  id: f('string'),
  startTime: f('datetime'),
  endTime: f('datetime'),
  state: f('enum', true, { values: INVESTIGATION_STATES }),
  cancelledBy: f('string'),
  statusDetails: selectOnly(),
  machineId: f('string'),
  computerDnsName: f('string'),
  triggeringAlertId: f('string'),
  packageActionId: selectOnly(),
  scanActionId: selectOnly(),
  remediationActionIds: selectOnly(),
  findings: selectOnly(),
  alertIds: selectOnly(),
};
