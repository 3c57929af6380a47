/**
 * The device timeline: actions, alerts and recorded changes of health, isolation, app restriction
 * and tags in one list, newest first (`GET /api/machines/{id}/timeline`), filtered by kind, a page
 * at a time. Re-read whenever `refresh` changes (the device page bumps it on live events).
 */
import { useCallback, useEffect, useState } from 'react';
import type { TimelineEntry, TimelineKind } from '@cordon/protocol';
import { useApp } from '../app-context.js';
import { actionLabel, errorText, formatTime } from '../format.js';
import { labelOf } from '../labels.js';

const PAGE = 25;

const KIND_LABELS: Record<TimelineKind, string> = {
  action: 'Actions',
  alert: 'Alerts',
  health: 'Health',
  isolation: 'Isolation',
  restriction: 'App restriction',
  tags: 'Tags',
};

/** One line describing an entry. */
export function describeEntry(e: TimelineEntry): string {
  switch (e.kind) {
    case 'action':
      return `${actionLabel(e.actionType ?? '')}: ${labelOf('actionStatus', e.status)}${e.requestor ? ` (by ${e.requestor})` : ''}`;
    case 'alert':
      return `Alert: ${e.title ?? ''}${e.severity ? ` (${labelOf('alertSeverity', e.severity)} severity)` : ''}`;
    case 'health':
      return `Health changed from ${labelOf('health', String(e.from))} to ${labelOf('health', String(e.to))}`;
    case 'isolation':
      return `Isolation changed from ${labelOf('isolation', String(e.from))} to ${labelOf('isolation', String(e.to))}`;
    case 'restriction':
      return e.to ? 'App execution restricted' : 'App execution restriction removed';
    case 'tags': {
      const parts: string[] = [];
      if (e.added?.length) parts.push(`Tag${e.added.length > 1 ? 's' : ''} added: ${e.added.join(', ')}`);
      if (e.removed?.length) parts.push(`Tag${e.removed.length > 1 ? 's' : ''} removed: ${e.removed.join(', ')}`);
      return parts.join('; ');
    }
  }
}

export function DeviceTimeline({ machineId, refresh }: { machineId: string; refresh: number }) {
  const { client } = useApp();
  const [kind, setKind] = useState<TimelineKind | ''>('');
  const [entries, setEntries] = useState<TimelineEntry[]>();
  const [more, setMore] = useState(false);
  const [error, setError] = useState<string>();

  const load = useCallback(
    (skip: number) => {
      client.getMachineTimeline(machineId, { top: PAGE, skip, ...(kind ? { kinds: [kind] } : {}) }).then(
        (page) => {
          setEntries((old) => (skip === 0 ? page.value : [...(old ?? []), ...page.value]));
          setMore(page['@odata.nextLink'] !== undefined);
          setError(undefined);
        },
        (err: unknown) => setError(errorText(err)),
      );
    },
    [client, machineId, kind],
  );
  useEffect(() => load(0), [load, refresh]);

  return (
    <section aria-labelledby="timeline-title" className="timeline">
      <div className="section-head">
        <h2 id="timeline-title">Timeline</h2>
        <label className="inline">
          Show{' '}
          <select value={kind} onChange={(e) => setKind(e.target.value as TimelineKind | '')}>
            <option value="">Everything</option>
            {(Object.keys(KIND_LABELS) as TimelineKind[]).map((k) => (
              <option key={k} value={k}>
                {KIND_LABELS[k]}
              </option>
            ))}
          </select>
        </label>
      </div>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {entries === undefined && !error && <p className="loading">Loading…</p>}
      {entries?.length === 0 && <p className="muted">Nothing recorded yet.</p>}
      {entries && entries.length > 0 && (
        <ol className="timeline-list">
          {entries.map((e, i) => (
            <li key={`${e.kind}-${e.actionId ?? e.alertId ?? ''}-${e.time}-${i}`} className={`timeline-entry timeline-${e.kind}`} data-kind={e.kind}>
              <time dateTime={e.time}>{formatTime(e.time)}</time>
              <span className="timeline-kind">{KIND_LABELS[e.kind]}</span>
              <span className="timeline-text">{describeEntry(e)}</span>
            </li>
          ))}
        </ol>
      )}
      {more && (
        <button type="button" onClick={() => load(entries?.length ?? 0)}>
          Show older
        </button>
      )}
    </section>
  );
}
