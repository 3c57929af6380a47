import type { MachineAction } from '@cordon/protocol';
import type { ActionRecord } from '../ports/action-store.js';
import { servedCommands } from '../live-response/live-response-rules.js';

/**
 * The wire entity of an action, in MDE's observed property order (mde-api.md §4.1). Both
 * `lastUpdateDateTimeUtc` and the older `lastUpdateTimeUtc` carry the same value (§9.3).
 * `parameters` stay internal; Cordon extensions come last. A cancelled live response's unfinished
 * commands read `Cancelled` (`servedCommands`).
 */
export function toWireAction(a: ActionRecord): MachineAction {
  return {
    id: a.id,
    type: a.type,
    title: a.title,
    requestor: a.requestor,
    requestorComment: a.requestorComment,
    status: a.status,
    machineId: a.machineId,
    computerDnsName: a.computerDnsName,
    creationDateTimeUtc: a.creationDateTimeUtc,
    lastUpdateDateTimeUtc: a.lastUpdateDateTimeUtc,
    lastUpdateTimeUtc: a.lastUpdateDateTimeUtc,
    cancellationRequestor: a.cancellationRequestor,
    cancellationComment: a.cancellationComment,
    cancellationDateTimeUtc: a.cancellationDateTimeUtc,
    errorHResult: a.errorHResult,
    scope: a.scope,
    externalId: a.externalId,
    requestSource: a.requestSource,
    relatedFileInfo: a.relatedFileInfo,
    commands: servedCommands(a),
    troubleshootInfo: a.troubleshootInfo,
    expirationDateTimeUtc: a.expirationDateTimeUtc,
    errorMessage: a.errorMessage,
    result: a.result,
  };
}
