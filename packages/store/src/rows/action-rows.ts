/** ActionRecord <-> machine_actions row, explicitly, so the wire shape never follows the schema. */
import { isFinalStatus, type ActionStatus, type ActionType, type LiveResponseCommandEntry, type RelatedFileInfo } from '@cordon/protocol';
import type { ActionPatch, ActionRecord } from '@cordon/core';
import type { MachineActionsTable } from '../schema.js';
import { fromJson, fromJsonOrNull, toJson, toJsonOrNull } from './json.js';

export function toActionRecord(row: MachineActionsTable): ActionRecord {
  return {
    tenantId: row.tenant_id,
    id: row.id,
    type: row.type as ActionType,
    title: row.title,
    requestor: row.requestor,
    requestorComment: row.requestor_comment,
    requestSource: row.request_source,
    externalId: row.external_id,
    status: row.status as ActionStatus,
    machineId: row.machine_id,
    computerDnsName: row.computer_dns_name,
    creationDateTimeUtc: row.creation_date_time_utc,
    lastUpdateDateTimeUtc: row.last_update_date_time_utc,
    cancellationRequestor: row.cancellation_requestor,
    cancellationComment: row.cancellation_comment,
    cancellationDateTimeUtc: row.cancellation_date_time_utc,
    errorHResult: Number(row.error_h_result),
    errorMessage: row.error_message,
    scope: row.scope,
    relatedFileInfo: fromJsonOrNull<RelatedFileInfo>(row.related_file_info),
    commands: fromJson<LiveResponseCommandEntry[]>(row.commands),
    troubleshootInfo: fromJsonOrNull<unknown>(row.troubleshoot_info),
    parameters: fromJson<Record<string, unknown>>(row.parameters),
    result: fromJsonOrNull<Record<string, unknown>>(row.result),
    expirationDateTimeUtc: row.expiration_date_time_utc,
    deadlineDateTimeUtc: row.deadline_date_time_utc,
  };
}

/** `active_type` holds the type while the action is open, NULL once final (schema.ts). */
export function activeTypeOf(type: string, status: ActionStatus, requestSource?: string, id?: string): string | null {
  if (isFinalStatus(status)) return null;
  // A console session's recorded commands (several may run at once, in the background) each hold
  // a slot of their own: one per device is the session's rule, kept by live_sessions.
  return requestSource === 'LiveResponseSession' && id !== undefined ? `${type}:${id}` : type;
}

export function toActionRow(a: ActionRecord): MachineActionsTable {
  return {
    tenant_id: a.tenantId,
    id: a.id,
    type: a.type,
    title: a.title,
    requestor: a.requestor,
    requestor_comment: a.requestorComment,
    request_source: a.requestSource,
    external_id: a.externalId,
    status: a.status,
    machine_id: a.machineId,
    computer_dns_name: a.computerDnsName,
    creation_date_time_utc: a.creationDateTimeUtc,
    last_update_date_time_utc: a.lastUpdateDateTimeUtc,
    cancellation_requestor: a.cancellationRequestor,
    cancellation_comment: a.cancellationComment,
    cancellation_date_time_utc: a.cancellationDateTimeUtc,
    error_h_result: a.errorHResult,
    error_message: a.errorMessage,
    scope: a.scope,
    related_file_info: toJsonOrNull(a.relatedFileInfo),
    commands: toJson(a.commands),
    troubleshoot_info: toJsonOrNull(a.troubleshootInfo),
    parameters: toJson(a.parameters),
    result: toJsonOrNull(a.result),
    expiration_date_time_utc: a.expirationDateTimeUtc,
    deadline_date_time_utc: a.deadlineDateTimeUtc,
    active_type: activeTypeOf(a.type, a.status, a.requestSource, a.id),
  };
}

/** The columns a patch sets; `active_type` is handled by the store (it needs the row's type). */
export function toActionPatchRow(p: ActionPatch): Partial<MachineActionsTable> {
  const row: Partial<MachineActionsTable> = {};
  if (p.status !== undefined) row.status = p.status;
  if (p.lastUpdateDateTimeUtc !== undefined) row.last_update_date_time_utc = p.lastUpdateDateTimeUtc;
  if (p.cancellationRequestor !== undefined) row.cancellation_requestor = p.cancellationRequestor;
  if (p.cancellationComment !== undefined) row.cancellation_comment = p.cancellationComment;
  if (p.cancellationDateTimeUtc !== undefined) row.cancellation_date_time_utc = p.cancellationDateTimeUtc;
  if (p.errorHResult !== undefined) row.error_h_result = p.errorHResult;
  if (p.errorMessage !== undefined) row.error_message = p.errorMessage;
  if (p.commands !== undefined) row.commands = toJson(p.commands);
  if (p.result !== undefined) row.result = toJsonOrNull(p.result);
  if (p.deadlineDateTimeUtc !== undefined) row.deadline_date_time_utc = p.deadlineDateTimeUtc;
  if (p.computerDnsName !== undefined) row.computer_dns_name = p.computerDnsName;
  return row;
}
