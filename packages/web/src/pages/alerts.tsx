/**
 * The alerts queue (`#/alerts?severity=High&status=New&machine=<id>&sort=alertCreationTime desc`):
 * server-side filters, sort and paging over `GET /api/alerts`, kept in the URL so the dashboard can
 * link into it and Back/reload keep the view. New alerts appear without a reload: a finished scan
 * (the action stream) or a slow poll reads the page again.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Alert } from '@cordon/protocol';
import { useApp } from '../app-context.js';
import { href } from '../router.js';
import { errorText, formatTime, odataString } from '../format.js';
import { useActionStream } from '../live.js';
import { Pager } from '../components/pager.js';
import { FilterSelect } from '../components/filter-select.js';
import { SortHeader, type Sort } from '../components/sort-header.js';
import { AlertStatusBadge, SeverityBadge, alertsHref, type AlertsQuery } from '../components/alert-badges.js';
import { useUrlState } from '../url-state.js';
import { labelOptions } from '../labels.js';

const PAGE_SIZE = 50;
const DEFAULTS = { severity: '', status: '', machine: '', sort: 'alertCreationTime desc' };
const SORT_FIELDS = ['severity', 'title', 'computerDnsName', 'status', 'assignedTo', 'alertCreationTime', 'lastUpdateTime'];

/** The OData `$filter` of the queue's URL query; `status=open` means anything not Resolved. */
export function alertsFilter(q: AlertsQuery): string | undefined {
  const parts: string[] = [];
  if (q.severity) parts.push(`severity eq ${odataString(q.severity)}`);
  if (q.status === 'open') parts.push("status ne 'Resolved'");
  else if (q.status) parts.push(`status eq ${odataString(q.status)}`);
  const machine = q.machine?.trim();
  if (machine) parts.push(`(machineId eq ${odataString(machine)} or contains(computerDnsName,${odataString(machine)}))`);
  return parts.length > 0 ? parts.join(' and ') : undefined;
}

function parseSort(text: string): Sort {
  const [field = '', dir] = text.split(' ');
  return SORT_FIELDS.includes(field) ? { field, direction: dir === 'asc' ? 'asc' : 'desc' } : { field: 'alertCreationTime', direction: 'desc' };
}

export function AlertsPage() {
  const { client } = useApp();
  const [query, setQuery] = useUrlState(DEFAULTS);
  const sort = parseSort(query.sort);
  const [machineText, setMachineText] = useState(query.machine);
  const [skip, setSkip] = useState(0);
  const [page, setPage] = useState<{ rows: Alert[]; count?: number }>();
  const [error, setError] = useState<string>();
  const [loading, setLoading] = useState(false);
  const [tick, setTick] = useState(0);

  useEffect(() => setMachineText(query.machine), [query.machine]);
  // Typing in the device box commits to the URL after a pause (replace: no history entry per key).
  useEffect(() => {
    if (machineText === query.machine) return;
    const timer = setTimeout(() => setQuery({ machine: machineText }, { push: false }), 300);
    return () => clearTimeout(timer);
  }, [machineText, query.machine, setQuery]);

  const filter = alertsFilter(query);
  useEffect(() => setSkip(0), [filter, query.sort]);
  useEffect(() => {
    let current = true;
    setLoading(true);
    client
      .listAlerts({ filter, orderby: `${sort.field} ${sort.direction}`, top: PAGE_SIZE, skip, count: true })
      .then(
        (res) => current && (setPage({ rows: res.value, count: res['@odata.count'] }), setError(undefined)),
        (err: unknown) => current && setError(errorText(err)),
      )
      .finally(() => current && setLoading(false));
    return () => {
      current = false;
    };
  }, [client, filter, sort.field, sort.direction, skip, tick]);

  const refresh = useCallback(() => setTick((t) => t + 1), []);
  useEffect(() => {
    const timer = setInterval(refresh, 15_000);
    return () => clearInterval(timer);
  }, [refresh]);
  // A scan that finishes makes its alerts just after the event: read again a moment later.
  const later = useRef<ReturnType<typeof setTimeout>>(undefined);
  const live = useActionStream((action) => {
    if (action.type !== 'RunAntiVirusScan' && action.type !== 'StopAndQuarantineFile') return;
    clearTimeout(later.current);
    later.current = setTimeout(refresh, 1000);
  });
  useEffect(() => () => clearTimeout(later.current), []);

  const choose = (key: 'severity' | 'status') => (e: React.ChangeEvent<HTMLSelectElement>) => setQuery({ [key]: e.target.value });

  return (
    <section aria-labelledby="alerts-title">
      <h1 id="alerts-title">Alerts</h1>
      <p className="muted">
        {live === 'live' ? 'Live updates on.' : 'Connecting for live updates…'} <a href={alertsHref({ status: 'open' })}>Open alerts</a> ·{' '}
        <a href={alertsHref({ status: 'New' })}>New</a> · <a href={alertsHref()}>All</a>
      </p>
      <form className="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <FilterSelect
          label="Severity"
          value={query.severity}
          onChange={choose('severity')}
          options={labelOptions('alertSeverity', ['High', 'Medium', 'Low', 'Informational', 'Unspecified'])}
        />
        <FilterSelect
          label="Status"
          value={query.status}
          onChange={choose('status')}
          options={[
            ['open', 'Open (not resolved)'],
            ...labelOptions('alertStatus', ['New', 'InProgress', 'Resolved']),
          ]}
        />
        <label>
          Device
          <input type="search" placeholder="Name or id" value={machineText} onChange={(e) => setMachineText(e.target.value)} size={14} />
        </label>
      </form>
      {error && (
        <p role="alert" className="error">
          {error}{' '}
          <button type="button" onClick={refresh}>
            Retry
          </button>
        </p>
      )}
      <div className="table-scroll">
        <table className="grid alerts-table" aria-busy={loading}>
          <caption className="visually-hidden">Alerts</caption>
          <thead>
            <tr>
              <SortHeader field="severity" label="Severity" sort={sort} onSort={(s) => setQuery({ sort: `${s.field} ${s.direction}` })} />
              <SortHeader field="title" label="Title" sort={sort} onSort={(s) => setQuery({ sort: `${s.field} ${s.direction}` })} />
              <SortHeader field="computerDnsName" label="Device" sort={sort} onSort={(s) => setQuery({ sort: `${s.field} ${s.direction}` })} />
              <SortHeader field="status" label="Status" sort={sort} onSort={(s) => setQuery({ sort: `${s.field} ${s.direction}` })} />
              <SortHeader field="assignedTo" label="Assigned to" sort={sort} onSort={(s) => setQuery({ sort: `${s.field} ${s.direction}` })} />
              <SortHeader field="alertCreationTime" label="Created" sort={sort} onSort={(s) => setQuery({ sort: `${s.field} ${s.direction}` })} />
            </tr>
          </thead>
          <tbody>
            {page?.rows.map((a) => (
              <tr key={a.id} data-alert-id={a.id} data-status={a.status}>
                <td>
                  <SeverityBadge severity={a.severity} />
                </td>
                <td>
                  <a href={href({ page: 'alert', id: a.id })}>{a.title}</a>
                </td>
                <td>
                  <a href={href({ page: 'device', id: a.machineId })}>{a.computerDnsName}</a>
                </td>
                <td>
                  <AlertStatusBadge status={a.status} />
                </td>
                <td>{a.assignedTo ?? '—'}</td>
                <td className="time">{formatTime(a.alertCreationTime)}</td>
              </tr>
            ))}
            {page && page.rows.length === 0 && (
              <tr>
                <td colSpan={6} className="empty">
                  No alerts match.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      {page && <Pager label="Alerts" skip={skip} top={PAGE_SIZE} count={page.count} shown={page.rows.length} onChange={setSkip} />}
    </section>
  );
}
