/**
 * Automated investigations move forward when one of their actions reaches a final status. Actions
 * that finished while no server ran are picked up by InvestigationService.resumeAll at start.
 */
import { isFinalStatus } from '@cordon/protocol';
import type { InvestigationService } from '../investigations/investigation-service.js';
import type { ActionChangeSource } from '../ports/action-events.js';

export function subscribeInvestigationSteps(source: ActionChangeSource, investigations: Pick<InvestigationService, 'onActionChanged'>, onError: (err: unknown, actionId: string) => void): () => void {
  return source.subscribe(({ action }) => {
    if (!isFinalStatus(action.status)) return;
    investigations.onActionChanged(action).catch((err: unknown) => onError(err, action.id));
  });
}
