/**
 * What an action achieved, in words, per action type: scan findings with links to the alerts they
 * raised, the investigation package download, each live response command (numbered from 1) with
 * its transcript, the files a quarantine moved. The raw `result` holds storage ids (blob ids) and
 * internals, so only the fields people act on are shown.
 */
import { useEffect, useState, type ReactNode } from 'react';
import { isFinalStatus, type Alert, type MachineAction } from '@cordon/protocol';
import { useApp } from '../app-context.js';
import { can } from '../session.js';
import { errorText, odataString } from '../format.js';
import { downloadUrl } from '../download.js';
import { CommandTranscript } from './command-transcript.js';
import { labelOf } from '../labels.js';

type Result = Record<string, unknown>;

const num = (r: Result | null, key: string): number | undefined => (typeof r?.[key] === 'number' ? (r[key] as number) : undefined);
const list = (r: Result | null, key: string): unknown[] => (Array.isArray(r?.[key]) ? (r[key] as unknown[]) : []);
const text = (r: Result | null, key: string): string | undefined => (typeof r?.[key] === 'string' ? (r[key] as string) : undefined);
const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString()} ${n === 1 ? one : many}`;

export function formatBytes(n: number): string {
  if (n < 1024) return plural(n, 'byte');
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

/** One-line summaries of a result, per action type (pure; the component adds links). */
export function resultLines(a: MachineAction): string[] {
  const r = a.result;
  const out: string[] = [];
  switch (a.type) {
    case 'RunAntiVirusScan': {
      const found = num(r, 'detectionCount') ?? (list(r, 'detections').length || undefined);
      const files = num(r, 'scannedFiles');
      if (found !== undefined) out.push(found === 0 ? 'No threats found' : `${plural(found, 'threat')} found`);
      else if (a.status === 'Succeeded') out.push('The scan finished; the device reported no findings');
      if (files !== undefined) out.push(`${plural(files, 'file')} scanned${num(r, 'durationMs') !== undefined ? ` in ${Math.max(1, Math.round(num(r, 'durationMs')! / 1000))} s` : ''}`);
      const errors = num(r, 'errorCount');
      if (errors) out.push(`${plural(errors, 'file')} could not be read`);
      break;
    }
    case 'CollectInvestigationPackage': {
      const size = num(r, 'size');
      if (size !== undefined) out.push(`Package of ${formatBytes(size)}${num(r, 'collectors') !== undefined ? ` from ${plural(num(r, 'collectors')!, 'collector')}` : ''}`);
      const failed = list(r, 'failed').length;
      if (failed) out.push(`${plural(failed, 'collector')} failed`);
      break;
    }
    case 'StopAndQuarantineFile':
    case 'RestoreQuarantinedFile': {
      const message = text(r, 'message');
      if (message) out.push(message);
      break;
    }
    case 'Isolate':
      if (a.status === 'Succeeded') out.push(text(r, 'isolationType') === 'Selective' ? 'Selectively isolated' : 'Isolated from the network');
      break;
    case 'Unisolate':
      if (a.status === 'Succeeded') out.push(r?.wasIsolated === false ? 'The device was not isolated' : 'Released from isolation');
      break;
    case 'RestrictCodeExecution':
      if (a.status === 'Succeeded') out.push(num(r, 'trustedEntries') !== undefined ? `Restricted: ${plural(num(r, 'trustedEntries')!, 'trusted program')} may run` : 'App execution restricted');
      break;
    case 'UnrestrictCodeExecution':
      if (a.status === 'Succeeded') out.push(r?.wasRestricted === false ? 'App execution was not restricted' : 'Restriction removed');
      break;
    case 'Offboard':
      if (a.status === 'Succeeded') out.push('The device left Cordon');
      break;
    case 'LiveResponse': {
      const done = a.commands.filter((c) => c.commandStatus === 'Completed').length;
      if (a.commands.length > 0) out.push(`${done} of ${plural(a.commands.length, 'command')} completed`);
      break;
    }
  }
  return out;
}

/** Paths a quarantine moved or restored (or could not). */
function fileRows(a: MachineAction): { path: string; note: string }[] {
  const r = a.result;
  const path = (v: unknown) => (typeof v === 'string' ? v : v && typeof v === 'object' && typeof (v as Result).path === 'string' ? ((v as Result).path as string) : undefined);
  const rows: { path: string; note: string }[] = [];
  const add = (key: string, note: string) => {
    for (const v of list(r, key)) {
      const p = path(v);
      if (p) rows.push({ path: p, note: v && typeof v === 'object' && typeof (v as Result).error === 'string' ? `${note}: ${(v as Result).error as string}` : note });
    }
  };
  add('quarantined', 'Quarantined');
  add('failures', 'Not quarantined');
  add('restored', 'Restored');
  add('alreadyPresent', 'Already in place');
  add('conflicts', 'Left in quarantine');
  return rows;
}

export function ActionResult({ action }: { action: MachineAction }) {
  const lines = resultLines(action);
  const files = fileRows(action);
  const body: ReactNode[] = [];
  if (lines.length > 0)
    body.push(
      <ul key="lines" className="result-lines">
        {lines.map((l) => (
          <li key={l}>{l}</li>
        ))}
      </ul>,
    );
  if (action.type === 'RunAntiVirusScan' && action.status === 'Succeeded') body.push(<ScanAlerts key="alerts" action={action} />);
  if (action.type === 'CollectInvestigationPackage' && action.status === 'Succeeded') body.push(<PackageDownload key="package" action={action} />);
  if (action.relatedFileInfo) {
    body.push(
      <p key="file" className="result-file">
        File {action.relatedFileInfo.fileIdentifierType === 'Sha1' ? 'SHA-1' : action.relatedFileInfo.fileIdentifierType} <code>{action.relatedFileInfo.fileIdentifier}</code>
      </p>,
    );
  }
  if (files.length > 0)
    body.push(
      <ul key="files" className="result-files" aria-label="Files">
        {files.map((f) => (
          <li key={`${f.note}:${f.path}`}>
            <code>{f.path}</code> <span className="muted">{f.note}</span>
          </li>
        ))}
      </ul>,
    );
  if (action.type === 'LiveResponse' && action.commands.length > 0) body.push(<CommandTranscript key="commands" action={action} />);
  if (body.length === 0) {
    const none = action.status === 'Succeeded' ? 'Done; the device reported no details.' : isFinalStatus(action.status) ? 'No result.' : 'No result yet.';
    return <p className="muted">{none}</p>;
  }
  return <>{body}</>;
}

/** The alerts a scan raised (alerts carry the scan's action id), each a link to the alert. */
function ScanAlerts({ action }: { action: MachineAction }) {
  const { client, me } = useApp();
  const [alerts, setAlerts] = useState<Alert[]>();
  const [error, setError] = useState<string>();
  const allowed = can(me, 'listAlerts');
  useEffect(() => {
    if (!allowed) return;
    client.listAlerts({ filter: `actionId eq ${odataString(action.id)}`, top: 50, select: ['id', 'title', 'severity', 'status'] }).then(
      (page) => setAlerts(page.value),
      (err: unknown) => setError(errorText(err)),
    );
  }, [client, action.id, allowed]);
  if (!allowed) return null;
  if (error) return <p className="error">Alerts could not be read: {error}</p>;
  if (!alerts || alerts.length === 0) return null;
  return (
    <div className="scan-alerts">
      <h4>Alerts raised ({alerts.length})</h4>
      <ul>
        {alerts.map((al) => (
          <li key={al.id}>
            <a href={`#/alerts/${encodeURIComponent(al.id)}`}>{al.title}</a> <span className="muted">{labelOf('alertSeverity', al.severity)}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function PackageDownload({ action }: { action: MachineAction }) {
  const { client, me } = useApp();
  const [error, setError] = useState<string>();
  const allowed = can(me, 'getPackageUri');
  return (
    <>
      <button
        type="button"
        disabled={!allowed}
        title={allowed ? undefined : 'Your roles do not allow downloading investigation packages'}
        onClick={() => {
          setError(undefined);
          client.getPackageUri(action.id).then((url) => downloadUrl(url), (err: unknown) => setError(errorText(err)));
        }}
      >
        Download package
      </button>
      {error && (
        <span role="alert" className="error">
          {error}
        </span>
      )}
    </>
  );
}
