/** Test fixture: a LiveResponse ActionRecord with the given commands (used by this folder's tests). */
import type { LiveResponseCommand, LiveResponseCommandEntry } from '@cordon/protocol';
import type { ActionRecord } from '../ports/action-store.js';

export function liveAction(commands: LiveResponseCommand[], overrides: Partial<ActionRecord> = {}): ActionRecord {
  const entries: LiveResponseCommandEntry[] = commands.map((command, index) => ({ index, startTime: null, endTime: null, commandStatus: 'Created', errors: [], command }));
  return {
    tenantId: 't', id: '00000000-0000-4000-8000-000000000001', type: 'LiveResponse', title: null, requestor: 'r', requestorComment: 'c', requestSource: 'PublicApi',
    externalId: null, status: 'InProgress', machineId: 'm', computerDnsName: 'h', creationDateTimeUtc: 'x', lastUpdateDateTimeUtc: 'x', cancellationRequestor: null,
    cancellationComment: null, cancellationDateTimeUtc: null, errorHResult: 0, errorMessage: null, scope: null, relatedFileInfo: null, commands: entries,
    troubleshootInfo: null, parameters: {}, result: null, expirationDateTimeUtc: 'x', deadlineDateTimeUtc: 'x', ...overrides,
  };
}
