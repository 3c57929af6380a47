/**
 * An action's life as steps people read (submitted → picked up → running → finished), derived from
 * the action's own fields: the wire carries creation, last update and cancellation times, and live
 * response commands carry their start and end; a step whose time the action does not record shows
 * no time rather than a guessed one.
 */
import { isFinalStatus, type MachineAction } from '@cordon/protocol';
import { labelOf } from './labels.js';

export type StepState = 'done' | 'current' | 'waiting' | 'skipped' | 'failed';

export interface Step {
  key: 'submitted' | 'pickedUp' | 'running' | 'finished';
  label: string;
  state: StepState;
  time?: string;
  detail?: string;
}

/** A status in words (`TimeOut` → "Timed out"), from labels.ts. */
export function statusWords(status: string): string {
  return labelOf('actionStatus', status);
}

function firstCommandStart(a: MachineAction): string | undefined {
  return a.commands
    .map((c) => c.startTime)
    .filter((t): t is string => !!t)
    .sort()[0];
}

export function actionSteps(a: MachineAction): Step[] {
  const final = isFinalStatus(a.status);
  // Whether a device took the action: anything past Pending, except an action cancelled or timed
  // out while still waiting (no command started, no device result).
  const reachedDevice = a.status === 'InProgress' || a.status === 'Succeeded' || a.status === 'Failed' || ((a.status === 'Cancelled' || a.status === 'TimeOut') && (firstCommandStart(a) !== undefined || a.result !== null));
  const started = firstCommandStart(a);
  const steps: Step[] = [{ key: 'submitted', label: 'Submitted', state: 'done', time: a.creationDateTimeUtc, detail: a.requestorComment ? `by ${a.requestor}: “${a.requestorComment}”` : `by ${a.requestor}` }];
  steps.push({
    key: 'pickedUp',
    // While it waits the step says so, not "Picked up", which would read as done.
    label: reachedDevice || final ? 'Picked up by the device' : 'Waiting for the device to pick it up',
    state: reachedDevice ? 'done' : final ? 'skipped' : 'current',
    ...(reachedDevice && started ? { time: started } : {}),
    ...(!reachedDevice && final ? { detail: 'The device never took the action' } : {}),
  });
  steps.push({
    key: 'running',
    label: 'Running',
    state: a.status === 'InProgress' ? 'current' : reachedDevice ? 'done' : final ? 'skipped' : 'waiting',
    ...(started ? { time: started } : {}),
  });
  if (!final) {
    steps.push({ key: 'finished', label: 'Finished', state: 'waiting' });
  } else if (a.status === 'Cancelled') {
    steps.push({
      key: 'finished',
      label: 'Cancelled',
      state: 'failed',
      time: a.cancellationDateTimeUtc ?? a.lastUpdateDateTimeUtc,
      detail: a.cancellationRequestor ? `by ${a.cancellationRequestor}${a.cancellationComment ? `: “${a.cancellationComment}”` : ''}` : undefined,
    });
  } else {
    steps.push({
      key: 'finished',
      label: statusWords(a.status),
      state: a.status === 'Succeeded' ? 'done' : 'failed',
      time: a.lastUpdateDateTimeUtc,
      detail: a.errorMessage ?? undefined,
    });
  }
  return steps;
}

/** Why a Failed/TimeOut action ended, in one line, or undefined. */
export function failureReason(a: MachineAction): string | undefined {
  if (a.status !== 'Failed' && a.status !== 'TimeOut') return undefined;
  if (a.errorMessage) return a.errorMessage;
  return a.status === 'TimeOut' ? 'No device took the action before it expired' : 'The device reported a failure without a reason';
}
