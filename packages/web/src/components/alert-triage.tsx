/**
 * Triage of one alert through MDE's Update alert: status, owner, classification and determination
 * (the determinations offered follow the classification, as MDE pairs them), and a comment. Only
 * what changed is sent, as the MDE docs advise.
 */
import { useState } from 'react';
import type { Alert } from '@cordon/protocol';
import { useApp } from '../app-context.js';
import { errorText } from '../format.js';
import { CLASSIFICATIONS, DETERMINATIONS } from './alert-badges.js';

const STATUSES = [
  ['New', 'New'],
  ['InProgress', 'In progress'],
  ['Resolved', 'Resolved'],
] as const;

type AlertPatch = Parameters<ReturnType<typeof useApp>['client']['updateAlert']>[1];

export function AlertTriage({ alert, onUpdated }: { alert: Alert; onUpdated(alert: Alert): void }) {
  const { client, me } = useApp();
  const [status, setStatus] = useState<string>(alert.status === 'Unknown' ? 'New' : alert.status);
  const [classification, setClassification] = useState(alert.classification && alert.classification !== 'Unknown' ? alert.classification : '');
  const [determination, setDetermination] = useState(alert.determination && alert.determination !== 'NotAvailable' ? alert.determination : '');
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [message, setMessage] = useState<string>();

  const send = async (patch: AlertPatch, done: string) => {
    setBusy(true);
    setError(undefined);
    setMessage(undefined);
    try {
      const updated = await client.updateAlert(alert.id, patch);
      onUpdated(updated);
      setComment('');
      setMessage(done);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  const save = (event: React.FormEvent) => {
    event.preventDefault();
    const patch: AlertPatch = {};
    if (status !== alert.status) patch.status = status as NonNullable<AlertPatch['status']>;
    if (classification && classification !== alert.classification) patch.classification = classification as NonNullable<AlertPatch['classification']>;
    if (determination && determination !== alert.determination) patch.determination = determination as NonNullable<AlertPatch['determination']>;
    if (comment.trim()) patch.comment = comment.trim();
    if (Object.keys(patch).length === 0) return setError('Nothing changed: choose a status, a classification or write a comment.');
    void send(patch, 'Alert updated.');
  };

  const determinations = classification ? (DETERMINATIONS[classification] ?? []) : [];
  const assignedToMe = alert.assignedTo === me.user.name;

  return (
    <form className="triage" onSubmit={save} aria-describedby={error ? 'triage-error' : undefined}>
      <p>
        Assigned to <strong>{alert.assignedTo ?? 'nobody'}</strong>{' '}
        <button type="button" disabled={busy || assignedToMe} onClick={() => void send({ assignedTo: me.user.name }, 'Assigned to you.')}>
          Assign to me
        </button>
      </p>
      <fieldset>
        <legend>Status</legend>
        {STATUSES.map(([value, label]) => (
          <label key={value} className="inline">
            <input type="radio" name="status" value={value} checked={status === value} onChange={() => setStatus(value)} /> {label}
          </label>
        ))}
      </fieldset>
      <label>
        Classification
        <select
          name="classification"
          value={classification}
          onChange={(e) => {
            setClassification(e.target.value);
            setDetermination('');
          }}
        >
          <option value="">Not set</option>
          {CLASSIFICATIONS.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </label>
      <label>
        Determination
        <select name="determination" value={determination} onChange={(e) => setDetermination(e.target.value)} disabled={!classification}>
          <option value="">{classification ? 'Not set' : 'Choose a classification first'}</option>
          {determinations.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </label>
      <label>
        Comment
        <textarea name="comment" value={comment} onChange={(e) => setComment(e.target.value)} rows={3} maxLength={1000} />
      </label>
      {error && (
        <p role="alert" id="triage-error" className="error">
          {error}
        </p>
      )}
      {message && (
        <p role="status" className="notice">
          {message}
        </p>
      )}
      <button type="submit" className="primary" disabled={busy}>
        {busy ? 'Saving…' : 'Save'}
      </button>
    </form>
  );
}
