/** Domain records -> the console API's wire shapes (protocol live-console.ts). */
import type { LiveSession, LiveSessionCommand } from '@cordon/protocol';
import type { LiveCommandRecord, LiveSessionRecord } from '../ports/live-session-store.js';

export function toWireLiveSession(s: LiveSessionRecord): LiveSession {
  return {
    id: s.id,
    machineId: s.machineId,
    computerDnsName: s.computerDnsName,
    openedBy: s.openedBy,
    state: s.state,
    currentDirectory: s.currentDirectory,
    creationDateTimeUtc: s.creationDateTimeUtc,
    lastActivityDateTimeUtc: s.lastActivityDateTimeUtc,
    closedDateTimeUtc: s.closedDateTimeUtc,
    closeReason: s.closeReason,
  };
}

export function toWireLiveCommand(c: LiveCommandRecord): LiveSessionCommand {
  return {
    id: c.id,
    commandLine: c.commandLine,
    command: c.command,
    requestor: c.requestor,
    background: c.background,
    outputFormat: c.outputFormat,
    status: c.status,
    exitCode: c.exitCode,
    errors: c.errors,
    startDateTimeUtc: c.startDateTimeUtc,
    endDateTimeUtc: c.endDateTimeUtc,
    machineActionId: c.machineActionId,
    resultFile: c.resultFile,
    outputTruncated: c.outputTruncated,
  };
}
