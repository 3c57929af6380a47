/**
 * Automated investigations of one device: state, times, status details and each finding with its
 * evidence (the package file it was seen in) and its alert. An investigation waiting for approval
 * (remediation level None with findings) offers Approve / Reject, each with a comment. The device
 * page bumps `refresh` when an action of the device finishes (what moves an investigation forward);
 * the list reads again then and a moment later, since the server advances the investigation just
 * after the event.
 */
import { useEffect, useState } from 'react';
import type { Investigation } from '@cordon/protocol';
import { useApp } from '../app-context.js';
import { can } from '../session.js';
import { href } from '../router.js';
import { errorText, formatTime, odataString } from '../format.js';
import { ConfirmDialog } from './confirm-dialog.js';
import { SeverityBadge, actionHref } from './alert-badges.js';
import { labelOf } from '../labels.js';

const STATE_CLASS: Record<string, string> = {
  Running: 'status-inprogress',
  Queued: 'status-pending',
  Benign: 'status-succeeded',
  SuccessfullyRemediated: 'status-succeeded',
  PartiallyRemediated: 'status-failed',
  PendingApproval: 'status-pending',
  Failed: 'status-failed',
  TerminatedByUser: 'status-cancelled',
};

export function InvestigationState({ state }: { state: string }) {
  return <span className={`badge ${STATE_CLASS[state] ?? ''}`}>{labelOf('investigationState', state)}</span>;
}

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

  const replace = (inv: Investigation) => {
    setRows((list) => list?.map((r) => (r.id === inv.id ? inv : r)));
    // The approval starts actions; their events bump `refresh`, but read once more meanwhile.
    setTimeout(() => setTick((t) => t + 1), 1500);
  };

  return (
    <section aria-labelledby="investigations-title" className="investigations">
      <h2 id="investigations-title">Automated investigations</h2>
      {error && <p role="alert" className="error">{error}</p>}
      {!rows && !error && <p className="loading">Loading…</p>}
      {rows && rows.length === 0 && <p>No automated investigation on this device yet.</p>}
      {rows?.map((inv) => <InvestigationCard key={inv.id} inv={inv} onChanged={replace} />)}
    </section>
  );
}

/** One investigation: summary line, approval controls when pending, findings table. */
export function InvestigationCard({ inv, onChanged, headingLevel = 3 }: { inv: Investigation; onChanged(inv: Investigation): void; headingLevel?: 2 | 3 }) {
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <div className="investigation" data-investigation-id={inv.id} data-state={inv.state}>
      <Heading className="investigation-title">
        <a href={href({ page: 'investigation', id: inv.id })}>Investigation {inv.id}</a> <InvestigationState state={inv.state} />
      </Heading>
      <p className="muted">
        Started {formatTime(inv.startTime)}
        {inv.endTime ? ` · ended ${formatTime(inv.endTime)}` : ''}
        {inv.statusDetails ? ` · ${inv.statusDetails}` : ''}
      </p>
      {inv.decision && (
        <p className="decision">
          {inv.decision === 'Approved' ? 'Remediation approved' : 'Remediation rejected'} by {inv.decidedBy ?? 'someone'} · {formatTime(inv.decisionTime)}
          {inv.decisionComment ? <>: “{inv.decisionComment}”</> : null}
        </p>
      )}
      {inv.state === 'PendingApproval' && !inv.decision && <Approval inv={inv} onChanged={onChanged} />}
      {inv.findings.length > 0 && <Findings inv={inv} />}
    </div>
  );
}

function Findings({ inv }: { inv: Investigation }) {
  return (
    <div className="table-scroll">
      <table className="grid findings-table">
        <caption className="visually-hidden">Findings of investigation {inv.id}</caption>
        <thead>
          <tr>
            <th scope="col">Finding</th>
            <th scope="col">Severity</th>
            <th scope="col">Evidence</th>
            <th scope="col">Alert</th>
            <th scope="col">Remediation</th>
          </tr>
        </thead>
        <tbody>
          {inv.findings.map((f, i) => (
            <tr key={i}>
              <td>
                <strong>{f.title}</strong>
                <br />
                <small>{f.description}</small>
              </td>
              <td>
                <SeverityBadge severity={f.severity} />
              </td>
              <td>
                <small>
                  {f.evidence.filePath ? <code>{f.evidence.filePath}</code> : null}
                  {f.evidence.packagePath ? <> in {f.evidence.packagePath}</> : f.evidence.filePath ? null : 'Quick scan'}
                  {f.evidence.sha256 ? (
                    <>
                      <br />
                      SHA-256 <code className="hash">{f.evidence.sha256}</code>
                    </>
                  ) : null}
                </small>
              </td>
              <td>{f.alertId ? <a href={href({ page: 'alert', id: f.alertId })}>{f.alertId}</a> : '—'}</td>
              <td>{f.remediationActionId ? <a href={actionHref(f.remediationActionId)}>Quarantine requested</a> : inv.state === 'PendingApproval' ? 'Awaiting approval' : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Approval({ inv, onChanged }: { inv: Investigation; onChanged(inv: Investigation): void }) {
  const { client, me } = useApp();
  const [open, setOpen] = useState<'approve' | 'reject'>();
  const allowed = can(me, 'approveInvestigation');
  const files = inv.findings.filter((f) => f.evidence.sha256 || f.evidence.filePath).length;
  return (
    <div className="approval" role="group" aria-label={`Approval of investigation ${inv.id}`}>
      <p>
        This investigation found {inv.findings.length} {inv.findings.length === 1 ? 'threat' : 'threats'} and waits for a person to approve remediation
        {files > 0 ? ` (stop and quarantine ${files} ${files === 1 ? 'file' : 'files'})` : ''}.
      </p>
      {allowed ? (
        <div className="approval-buttons">
          <button type="button" className="primary" onClick={() => setOpen('approve')}>
            Approve remediation
          </button>
          <button type="button" onClick={() => setOpen('reject')}>
            Reject
          </button>
        </div>
      ) : (
        <p className="muted">Approving needs the Active remediation actions role (stop and quarantine files).</p>
      )}
      {open && (
        <ConfirmDialog
          title={open === 'approve' ? `Approve remediation of investigation ${inv.id}` : `Reject investigation ${inv.id}`}
          description={open === 'approve' ? 'The files it found are stopped and quarantined on the device.' : 'Nothing is remediated; the investigation ends.'}
          confirmLabel={open === 'approve' ? 'Approve' : 'Reject'}
          onConfirm={async (comment) => {
            const updated = open === 'approve' ? await client.approveInvestigation(inv.id, comment) : await client.rejectInvestigation(inv.id, comment);
            onChanged(updated);
          }}
          onClose={() => setOpen(undefined)}
        />
      )}
    </div>
  );
}
