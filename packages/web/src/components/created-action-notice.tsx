/**
 * The device page's note about the action just submitted there, kept current by the event stream:
 * it says Pending, In progress, Succeeded, or Failed with the reason, never a stale "submitted";
 * a Pending action on an offline device says when it will run and when it expires.
 */
import type { Machine, MachineAction } from '@cordon/protocol';
import { actionLabel } from '../format.js';
import { failureReason, statusWords } from '../action-steps.js';
import { OfflineHint } from './action-drawer.js';

export function CreatedActionNotice({ action, machine }: { action: MachineAction; machine: Machine }) {
  const reason = failureReason(action);
  const details = `${window.location.hash.split('?')[0]}?action=${encodeURIComponent(action.id)}`;
  return (
    <div role="status" className={`notice created-action ${reason ? 'notice-failed' : ''}`} data-action-id={action.id} data-status={action.status}>
      <p>
        {actionLabel(action.type)}: <strong>{statusWords(action.status)}</strong>
        {reason ? ` — ${reason}` : ''}. <a href={details}>Details</a>
      </p>
      {action.status === 'Pending' && <OfflineHint action={action} machine={machine} />}
    </div>
  );
}
