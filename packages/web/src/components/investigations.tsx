/**
 * Automated investigations of one device: state, times, status details and each
 * finding with its evidence (the package file it was seen in). The device page bumps `refresh`
 * when an action of the device finishes (what moves an investigation forward); the list reads
 * again then and a moment later, since the server advances the investigation just after the event.
 */
import { useEffect, useState } from 'react';
import type { Investigation } from '@cordon/protocol';
import { useApp } from '../app-context.js';
import { errorText, formatTime, odataString } from '../format.js';

const STATE_CLASS: Record<string, string> = {
  Running: 'status-inprogress',
  Queued: 'status-pending',
  Benign: 'status-succeeded',
  SuccessfullyRemediated: 'status-succeeded',
  PartiallyRemediated: 'status-failed',
  PendingApproval: 'status-failed',
  Failed: 'status-failed',
};

export function InvestigationList({ machineId, refresh }: { machineId: string; refresh: number }) {
  const { client } = useApp();
  const [rows, setRows] = useState<Investigation[]>();
  const [error, setError] = useState<string>();
  const [tick, setTick] = useState(0);

  useEffect(() => {
    let current = true;
    client
      .listInvestigations({ filter: `machineId eq ${odataString(machineId)}`, top: 20 })
      .then(
        (body) => current && (setRows(body.value), setError(undefined)),
        (err: unknown) => current && setError(errorText(err)),
      );
    return () => {
      current = false;
    };
  }, [client, machineId, refresh, tick]);
  useEffect(() => {
    if (refresh === 0) return;
    const timer = setTimeout(() => setTick((t) => t + 1), 1500);
    return () => clearTimeout(timer);
  }, [refresh]);

  return (
    <section aria-labelledby="investigations-title" className="investigations">
      <h2 id="investigations-title">Automated investigations</h2>
      {error && <p role="alert" className="error">{error}</p>}
      {!rows && !error && <p className="loading">Loading…</p>}
      {rows && rows.length === 0 && <p>No automated investigation on this device yet.</p>}
      {rows && rows.length > 0 && (
        <table>
          <thead>
            <tr>
              <th>Id</th>
              <th>State</th>
              <th>Started</th>
              <th>Ended</th>
              <th>Details</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((inv) => (
              <tr key={inv.id}>
                <td>{inv.id}</td>
                <td>
                  <span className={`badge ${STATE_CLASS[inv.state] ?? ''}`}>{inv.state}</span>
                </td>
                <td>{formatTime(inv.startTime)}</td>
                <td>{formatTime(inv.endTime)}</td>
                <td>
                  {inv.statusDetails}
                  {inv.findings.length > 0 && (
                    <details>
                      <summary>Findings ({inv.findings.length})</summary>
                      <ul>
                        {inv.findings.map((f, i) => (
                          <li key={i}>
                            <strong>{f.title}</strong> <span className="badge">{f.severity}</span> — {f.description}
                            <br />
                            <small>
                              Evidence: {f.evidence.packagePath || 'Quick scan'}
                              {f.evidence.filePath ? ` · ${f.evidence.filePath}` : ''}
                              {f.evidence.sha256 ? ` · sha256 ${f.evidence.sha256.slice(0, 12)}…` : ''}
                              {f.remediationActionId ? ' · remediation requested' : ''}
                              {f.alertId ? ` · alert ${f.alertId}` : ''}
                            </small>
                          </li>
                        ))}
                      </ul>
                    </details>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
