/**
 * One action in a side panel: its steps (submitted → picked up → running → finished, who cancelled
 * and why), why it failed, what it achieved, and for a Pending action on a silent device when it
 * will run or expire. A modal <dialog> so focus stays inside and Escape closes it; it is opened by
 * the `action` key of the URL state, so the panel is a link (`#/actions?action=<id>`) and Back
 * closes it. Full screen on a phone (styles.css).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { isFinalStatus, type Machine, type MachineAction } from '@cordon/protocol';
import { useApp } from '../app-context.js';
import { can } from '../session.js';
import { useActionStream } from '../live.js';
import { href } from '../router.js';
import { actionLabel, errorText, formatTime } from '../format.js';
import { actionSteps, failureReason } from '../action-steps.js';
import { timeZoneText } from '../action-filters.js';
import { StatusBadge } from './status-badge.js';
import { ActionResult } from './action-result.js';
import { ConfirmDialog } from './confirm-dialog.js';

export function ActionDrawer(props: { id: string; known?: MachineAction; onClose(): void; onChanged?(action: MachineAction): void }) {
  const { id, known, onClose, onChanged } = props;
  const { client, me } = useApp();
  const ref = useRef<HTMLDialogElement>(null);
  const [action, setAction] = useState<MachineAction | undefined>(known?.id === id ? known : undefined);
  const [machine, setMachine] = useState<Machine>();
  const [error, setError] = useState<string>();
  const [cancelling, setCancelling] = useState(false);

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);
  useEffect(() => {
    let current = true;
    client.getMachineAction(id).then(
      (a) => current && (setAction(a), setError(undefined)),
      (err: unknown) => current && setError(errorText(err)),
    );
    return () => {
      current = false;
    };
  }, [client, id]);
  const machineId = action?.machineId;
  const pending = action?.status === 'Pending';
  useEffect(() => {
    if (!machineId || !pending) return;
    client.getMachine(machineId).then(setMachine, () => setMachine(undefined));
  }, [client, machineId, pending]);
  const onEvent = useCallback(
    (a: MachineAction) => {
      if (a.id === id) setAction(a);
    },
    [id],
  );
  useActionStream(onEvent, machineId);

  const canCancel = can(me, 'cancelMachineAction');
  const title = action ? `${actionLabel(action.type)} on ${action.computerDnsName ?? action.machineId}` : 'Action';
  return (
    <dialog ref={ref} className="drawer" aria-labelledby="drawer-title" onClose={onClose}>
      <div className="drawer-head">
        <h2 id="drawer-title">{title}</h2>
        <button type="button" className="drawer-close" onClick={() => ref.current?.close()}>
          Close
        </button>
      </div>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {!action && !error && <p className="loading">Loading…</p>}
      {action && (
        <div className="drawer-body" data-action-id={action.id} data-status={action.status}>
          <p className="drawer-status">
            <StatusBadge status={action.status} />
            <a href={href({ page: 'device', id: action.machineId })}>{action.computerDnsName ?? action.machineId}</a>
          </p>
          {failureReason(action) && (
            <p className="failure" role="note">
              <strong>{action.status === 'TimeOut' ? 'Timed out: ' : 'Failed: '}</strong>
              {failureReason(action)}
            </p>
          )}
          {pending && machine && <OfflineHint action={action} machine={machine} />}
          <h3>Steps</h3>
          <p className="muted tz">Times in {timeZoneText()}</p>
          <ol className="steps">
            {actionSteps(action).map((s) => (
              <li key={s.key} className={`step step-${s.state}`}>
                <span className="step-label">{s.label}</span>
                {s.time && <span className="step-time">{formatTime(s.time)}</span>}
                {s.state === 'current' && <span className="muted"> (now)</span>}
                {s.state === 'skipped' && <span className="muted"> (did not happen)</span>}
                {s.detail && <span className="step-detail">{s.detail}</span>}
              </li>
            ))}
          </ol>
          <h3>Result</h3>
          <ActionResult action={action} />
          <h3>Details</h3>
          <dl className="drawer-facts">
            <dt>Action id</dt>
            <dd>
              <code>{action.id}</code>
            </dd>
            {action.scope && (
              <>
                <dt>Scope</dt>
                <dd>{action.scope}</dd>
              </>
            )}
            {action.externalId && (
              <>
                <dt>External id</dt>
                <dd>
                  <code>{action.externalId}</code>
                </dd>
              </>
            )}
            {!isFinalStatus(action.status) && (
              <>
                <dt>Expires</dt>
                <dd>{formatTime(action.expirationDateTimeUtc)}</dd>
              </>
            )}
          </dl>
          {!isFinalStatus(action.status) && (
            <p>
              <button type="button" disabled={!canCancel} title={canCancel ? undefined : 'Your roles do not allow cancelling actions'} onClick={() => setCancelling(true)}>
                Cancel action
              </button>
            </p>
          )}
        </div>
      )}
      {cancelling && action && (
        <ConfirmDialog
          title={`Cancel ${actionLabel(action.type).toLowerCase()}`}
          description={<p>The action stops if the device has not run it yet. Actions that already finished are not undone.</p>}
          confirmLabel="Cancel action"
          onConfirm={async (comment) => {
            const updated = await client.cancelMachineAction(action.id, comment);
            setAction(updated);
            onChanged?.(updated);
          }}
          onClose={() => setCancelling(false)}
        />
      )}
    </dialog>
  );
}

/** A device is offline when the server marked it Inactive (silent past the health threshold). */
export function isOffline(machine: Machine): boolean {
  return machine.healthStatus !== 'Active';
}

export function OfflineHint({ action, machine }: { action: MachineAction; machine: Machine }) {
  if (!isOffline(machine)) return null;
  return (
    <p className="offline-hint" role="note">
      The device is offline since {formatTime(machine.lastSeen)}; the action runs when it reconnects, until it expires at {formatTime(action.expirationDateTimeUtc)}.
    </p>
  );
}
