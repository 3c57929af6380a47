/**
 * One alert (`#/alerts/<id>`): every field, the evidence files with their hashes, links to the
 * device, the scan that found it and its investigation, the comments; and triage through MDE's
 * Update alert (`PATCH /api/alerts/{id}`): status, assign to me, classification/determination,
 * a comment.
 */
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import type { Alert } from '@cordon/protocol';
import { useApp } from '../app-context.js';
import { can } from '../session.js';
import { href } from '../router.js';
import { errorText, formatBytes, formatTime } from '../format.js';
import { AlertStatusBadge, SeverityBadge, actionHref, alertsHref, classificationText, determinationText } from '../components/alert-badges.js';
import { AlertTriage } from '../components/alert-triage.js';
import { labelOf } from '../labels.js';

export function AlertPage({ id }: { id: string }) {
  const { client, me } = useApp();
  const [alert, setAlert] = useState<Alert>();
  const [error, setError] = useState<string>();
  const load = useCallback(() => {
    client.getAlert(id).then(
      (a) => (setAlert(a), setError(undefined)),
      (err: unknown) => setError(errorText(err)),
    );
  }, [client, id]);
  useEffect(load, [load]);

  if (error && !alert) {
    return (
      <>
        <p>
          <a href={alertsHref()}>← Alerts</a>
        </p>
        <p role="alert" className="error">
          {error}
        </p>
      </>
    );
  }
  if (!alert) return <p className="loading">Loading…</p>;

  return (
    <article aria-labelledby="alert-title" className="alert-page">
      <p>
        <a href={alertsHref()}>← Alerts</a>
      </p>
      <h1 id="alert-title">{alert.title}</h1>
      <p className="alert-summary">
        <SeverityBadge severity={alert.severity} /> <AlertStatusBadge status={alert.status} /> on{' '}
        <a href={href({ page: 'device', id: alert.machineId })}>{alert.computerDnsName}</a> · created {formatTime(alert.alertCreationTime)}
      </p>
      <p>{alert.description}</p>

      <div className="alert-columns">
        <section aria-labelledby="alert-details" className="alert-details">
          <h2 id="alert-details">Details</h2>
          <dl className="facts">
            <Fact label="Alert id">
              <code>{alert.id}</code>
            </Fact>
            <Fact label="Device">
              <a href={href({ page: 'device', id: alert.machineId })}>{alert.computerDnsName}</a>
            </Fact>
            <Fact label="Detection source">{labelOf('alertDetectionSource', alert.detectionSource)}</Fact>
            <Fact label="Category">{alert.category}</Fact>
            <Fact label="Threat">{alert.threatName ?? alert.threatFamilyName ?? '—'}</Fact>
            {alert.mitreTechniques.length > 0 && <Fact label="MITRE techniques">{alert.mitreTechniques.join(', ')}</Fact>}
            <Fact label="Assigned to">{alert.assignedTo || 'Nobody'}</Fact>
            <Fact label="Classification">{classificationText(alert.classification)}</Fact>
            <Fact label="Determination">{determinationText(alert.determination)}</Fact>
            {alert.actionId && (
              <Fact label="Found by">
                <a href={actionHref(alert.actionId)} data-action-id={alert.actionId}>
                  Antivirus scan (action details)
                </a>
              </Fact>
            )}
            {alert.investigationId !== null && (
              <Fact label="Investigation">
                <a href={href({ page: 'investigation', id: String(alert.investigationId) })}>Automated investigation {alert.investigationId}</a>
                {alert.investigationState !== 'Unknown' ? ` (${labelOf('investigationState', alert.investigationState)})` : ''}
              </Fact>
            )}
            <Fact label="First event">{formatTime(alert.firstEventTime)}</Fact>
            <Fact label="Last event">{formatTime(alert.lastEventTime)}</Fact>
            <Fact label="Last updated">{formatTime(alert.lastUpdateTime)}</Fact>
            <Fact label="Resolved">{formatTime(alert.resolvedTime)}</Fact>
          </dl>
        </section>
        <section aria-labelledby="alert-triage-title" className="alert-triage">
          <h2 id="alert-triage-title">Triage</h2>
          {can(me, 'updateAlert') ? (
            <AlertTriage alert={alert} onUpdated={setAlert} />
          ) : (
            <p className="muted">Your roles do not include changing alerts (the Alerts investigation role does).</p>
          )}
        </section>
      </div>

      <section aria-labelledby="alert-evidence">
        <h2 id="alert-evidence">Evidence</h2>
        {alert.evidence.length === 0 ? (
          <p className="muted">No evidence recorded.</p>
        ) : (
          <div className="table-scroll">
            <table className="grid evidence-table">
              <thead>
                <tr>
                  <th scope="col">File</th>
                  <th scope="col">Folder</th>
                  <th scope="col">Size</th>
                  <th scope="col">Detection</th>
                  <th scope="col">Hashes</th>
                </tr>
              </thead>
              <tbody>
                {alert.evidence.map((e, i) => (
                  <tr key={i}>
                    <td>
                      <code>{e.fileName ?? '—'}</code>
                    </td>
                    <td>
                      <code>{e.filePath ?? '—'}</code>
                    </td>
                    <td className="num">{e.fileSize == null ? '—' : formatBytes(e.fileSize)}</td>
                    <td>
                      {e.detectionName ?? '—'}
                      {e.detectionStatus ? ` (${e.detectionStatus.toLowerCase()})` : ''}
                    </td>
                    <td className="hashes">
                      {e.sha256 && (
                        <span>
                          SHA-256 <code className="hash">{e.sha256}</code>
                        </span>
                      )}
                      {e.sha1 && (
                        <span>
                          SHA-1 <code className="hash">{e.sha1}</code>
                        </span>
                      )}
                      {!e.sha256 && !e.sha1 && '—'}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section aria-labelledby="alert-comments">
        <h2 id="alert-comments">Comments</h2>
        {(alert.comments ?? []).length === 0 ? (
          <p className="muted">No comments yet.</p>
        ) : (
          <ol className="comments">
            {alert.comments.map((c, i) => (
              <li key={i}>
                <p>{c.comment}</p>
                <small className="muted">
                  {c.createdBy} · {formatTime(c.createdTime)}
                </small>
              </li>
            ))}
          </ol>
        )}
      </section>
    </article>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}
