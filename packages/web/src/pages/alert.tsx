/**
 * One alert (`#/alerts/<id>`): every field, the evidence files with their hashes, links to the
 * device, the scan that found it and its investigation, the comments; and triage through MDE's
 * Update alert (`PATCH /api/alerts/{id}`): status, assign to me, classification/determination,
 * a comment.
 */
import { useCallback, useEffect, useState } from 'react';
import type { Alert } from '@cordon/protocol';
import { useApp } from '../app-context.js';
import { href } from '../router.js';
import { errorText, formatBytes, formatTime } from '../format.js';
import { AlertStatusBadge, SeverityBadge, alertsHref, classificationText, determinationText } from '../components/alert-badges.js';
import { labelOf } from '../labels.js';

export function AlertPage({ id }: { id: string }) {
  const { client } = useApp();
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
            <dt>Alert id</dt>
            <dd>
              <code>{alert.id}</code>
            </dd>
            <dt>Device</dt>
            <dd>
              <a href={href({ page: 'device', id: alert.machineId })}>{alert.computerDnsName}</a>
            </dd>
            <dt>Detection source</dt>
            <dd>{labelOf('alertDetectionSource', alert.detectionSource)}</dd>
            <dt>Category</dt>
            <dd>{alert.category}</dd>
            <dt>Threat</dt>
            <dd>{alert.threatName ?? alert.threatFamilyName ?? '—'}</dd>
            {alert.mitreTechniques.length > 0 && (
              <>
                <dt>MITRE techniques</dt>
                <dd>{alert.mitreTechniques.join(', ')}</dd>
              </>
            )}
            <dt>Assigned to</dt>
            <dd>{alert.assignedTo ?? 'Nobody'}</dd>
            <dt>Classification</dt>
            <dd>{classificationText(alert.classification)}</dd>
            <dt>Determination</dt>
            <dd>{determinationText(alert.determination)}</dd>
            {alert.actionId && (
              <>
                <dt>Found by</dt>
                <dd>
                  <a href={href({ page: 'actions', machineId: alert.machineId })} data-action-id={alert.actionId}>
                    Antivirus scan {alert.actionId}
                  </a>
                </dd>
              </>
            )}
            {alert.investigationId !== null && (
              <>
                <dt>Investigation</dt>
                <dd>
                  <a href={href({ page: 'investigation', id: String(alert.investigationId) })}>Automated investigation {alert.investigationId}</a>
                  {alert.investigationState !== 'Unknown' ? ` (${labelOf('investigationState', alert.investigationState)})` : ''}
                </dd>
              </>
            )}
            <dt>First event</dt>
            <dd>{formatTime(alert.firstEventTime)}</dd>
            <dt>Last event</dt>
            <dd>{formatTime(alert.lastEventTime)}</dd>
            <dt>Last updated</dt>
            <dd>{formatTime(alert.lastUpdateTime)}</dd>
            <dt>Resolved</dt>
            <dd>{formatTime(alert.resolvedTime)}</dd>
          </dl>
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
