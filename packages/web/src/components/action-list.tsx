/**
 * The Action center table: every action with type, status, requestor, comment and times; filters,
 * search, sorting, paging; live updates from the event stream (no manual refresh); Cancel for
 * actions not yet final; downloads for investigation packages and live response results.
 * Used for the whole tenant and for one device (`machineId`).
 */
import { Fragment, useCallback, useEffect, useRef, useState } from 'react';
import { ACTION_STATUSES, ACTION_TYPES, isFinalStatus, type MachineAction } from '@cordon/protocol';
import { useApp } from '../app-context.js';
import { can } from '../session.js';
import { useActionStream } from '../live.js';
import { href } from '../router.js';
import { actionLabel, errorText, formatTime, odataString } from '../format.js';
import { useDebounced } from '../use-debounced.js';
import { StatusBadge } from './status-badge.js';
import { Pager } from './pager.js';
import { FilterSelect } from './filter-select.js';
import { SortHeader, type Sort } from './sort-header.js';
import { ConfirmDialog } from './confirm-dialog.js';
import { CommandTranscript } from './command-transcript.js';
import { downloadUrl } from '../download.js';

const PAGE_SIZE = 25;

export function actionsFilter(f: { status: string; type: string; search: string }, machineId: string | undefined): string | undefined {
  const parts: string[] = [];
  if (machineId) parts.push(`machineId eq ${odataString(machineId)}`);
  if (f.status) parts.push(`status eq ${odataString(f.status)}`);
  if (f.type) parts.push(`type eq ${odataString(f.type)}`);
  const q = f.search.trim();
  if (q) parts.push(`(contains(requestor,${odataString(q)}) or contains(computerDnsName,${odataString(q)}) or machineId eq ${odataString(q)})`);
  return parts.length > 0 ? parts.join(' and ') : undefined;
}

export function ActionList(props: {
  machineId?: string;
  title: string;
  onAction?(action: MachineAction): void;
  /** An action this page just created: shown at once, before the event stream reports it. */
  created?: MachineAction;
}) {
  const { machineId, title, onAction, created } = props;
  const { client, me } = useApp();
  const [filters, setFilters] = useState({ status: '', type: '', search: '' });
  const [sort, setSort] = useState<Sort>({ field: 'creationDateTimeUtc', direction: 'desc' });
  const [skip, setSkip] = useState(0);
  const [rows, setRows] = useState<MachineAction[]>();
  const [count, setCount] = useState<number>();
  const [error, setError] = useState<string>();
  const [reloadTick, setReloadTick] = useState(0);
  const [cancelling, setCancelling] = useState<MachineAction>();
  const [expanded, setExpanded] = useState<string>();
  const settled = useDebounced(filters);

  useEffect(() => setSkip(0), [settled, sort]);
  useEffect(() => {
    let current = true;
    client.listMachineActions({ filter: actionsFilter(settled, machineId), orderby: `${sort.field} ${sort.direction}`, top: PAGE_SIZE, skip, count: true }).then(
      (res) => {
        if (!current) return;
        setRows(res.value);
        setCount(res['@odata.count']);
        setError(undefined);
      },
      (err: unknown) => current && setError(errorText(err)),
    );
    return () => {
      current = false;
    };
  }, [client, settled, sort, skip, machineId, reloadTick]);

  // A change to a shown action is applied in place; an unknown action (new, or now matching the
  // filters) re-reads the page, coalesced so a burst of events costs one request.
  const reloadTimer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const rowsRef = useRef(rows);
  rowsRef.current = rows;
  const onEvent = useCallback(
    (action: MachineAction) => {
      onAction?.(action);
      if (rowsRef.current?.some((r) => r.id === action.id)) {
        setRows((prev) => prev?.map((r) => (r.id === action.id ? action : r)));
        return;
      }
      clearTimeout(reloadTimer.current);
      reloadTimer.current = setTimeout(() => setReloadTick((n) => n + 1), 250);
    },
    [onAction],
  );
  useEffect(() => () => clearTimeout(reloadTimer.current), []);
  useEffect(() => {
    if (created && skip === 0) setRows((prev) => (prev && !prev.some((r) => r.id === created.id) ? [created, ...prev] : prev));
  }, [created]); // eslint-disable-line react-hooks/exhaustive-deps -- only when a new action arrives
  const stream = useActionStream(onEvent, machineId);

  const set = (key: 'status' | 'type' | 'search') => (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) => setFilters({ ...filters, [key]: e.target.value });
  const canCancel = can(me, 'cancelMachineAction');

  return (
    <section aria-labelledby={`actions-title-${machineId ?? 'all'}`} className="action-list">
      <div className="section-head">
        <h2 id={`actions-title-${machineId ?? 'all'}`}>{title}</h2>
        <span className={`stream stream-${stream}`} role="status">
          {stream === 'live' ? 'Live updates on' : stream === 'connecting' ? 'Connecting…' : 'Reconnecting…'}
        </span>
      </div>
      <form className="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <label>
          Search
          <input type="search" placeholder={machineId ? 'Requestor' : 'Requestor, device name or id'} value={filters.search} onChange={set('search')} />
        </label>
        <FilterSelect label="Status" value={filters.status} onChange={set('status')} options={ACTION_STATUSES} />
        <FilterSelect label="Type" value={filters.type} onChange={set('type')} options={ACTION_TYPES.map((t) => [t, actionLabel(t)] as const)} />
      </form>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <table className="grid actions">
        <caption className="visually-hidden">{title}</caption>
        <thead>
          <tr>
            <SortHeader field="type" label="Action" sort={sort} onSort={setSort} />
            {!machineId && <SortHeader field="computerDnsName" label="Device" sort={sort} onSort={setSort} />}
            <SortHeader field="status" label="Status" sort={sort} onSort={setSort} />
            <SortHeader field="requestor" label="Requestor" sort={sort} onSort={setSort} />
            <th scope="col">Comment</th>
            <SortHeader field="creationDateTimeUtc" label="Submitted" sort={sort} onSort={setSort} />
            <SortHeader field="lastUpdateDateTimeUtc" label="Last update" sort={sort} onSort={setSort} />
            <th scope="col">
              <span className="visually-hidden">Operations</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows?.map((a) => (
            <Fragment key={a.id}>
              <tr data-action-id={a.id} data-status={a.status}>
                <td>
                  {actionLabel(a.type)}
                  {a.scope ? <span className="muted"> ({a.scope})</span> : null}
                </td>
                {!machineId && (
                  <td>
                    <a href={href({ page: 'device', id: a.machineId })}>{a.computerDnsName ?? a.machineId}</a>
                  </td>
                )}
                <td>
                  <StatusBadge status={a.status} />
                </td>
                <td>{a.requestor}</td>
                <td className="comment">{a.requestorComment}</td>
                <td className="time">{formatTime(a.creationDateTimeUtc)}</td>
                <td className="time">{formatTime(a.lastUpdateDateTimeUtc)}</td>
                <td className="ops">
                  <button type="button" aria-expanded={expanded === a.id} onClick={() => setExpanded(expanded === a.id ? undefined : a.id)}>
                    Details
                  </button>
                  {!isFinalStatus(a.status) && (
                    <button type="button" disabled={!canCancel} title={canCancel ? undefined : 'Your roles do not allow cancelling actions'} onClick={() => setCancelling(a)}>
                      Cancel
                    </button>
                  )}
                  {a.type === 'CollectInvestigationPackage' && a.status === 'Succeeded' && <PackageDownload action={a} />}
                </td>
              </tr>
              {expanded === a.id && (
                <tr className="details">
                  <td colSpan={machineId ? 7 : 8}>
                    <ActionDetails action={a} />
                  </td>
                </tr>
              )}
            </Fragment>
          ))}
          {rows && rows.length === 0 && (
            <tr>
              <td colSpan={machineId ? 7 : 8} className="empty">
                No actions match.
              </td>
            </tr>
          )}
        </tbody>
      </table>
      {rows && <Pager label={title} skip={skip} top={PAGE_SIZE} count={count} shown={rows.length} onChange={setSkip} />}
      {cancelling && (
        <ConfirmDialog
          title={`Cancel ${actionLabel(cancelling.type).toLowerCase()}`}
          description={<p>The action stops if the device has not run it yet. Actions that already finished are not undone.</p>}
          confirmLabel="Cancel action"
          onConfirm={async (comment) => {
            const updated = await client.cancelMachineAction(cancelling.id, comment);
            setRows((prev) => prev?.map((r) => (r.id === updated.id ? updated : r)));
          }}
          onClose={() => setCancelling(undefined)}
        />
      )}
    </section>
  );
}

function PackageDownload({ action }: { action: MachineAction }) {
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

function ActionDetails({ action }: { action: MachineAction }) {
  return (
    <div className="details-body">
      <dl>
        <dt>Action id</dt>
        <dd>
          <code>{action.id}</code>
        </dd>
        <dt>Device id</dt>
        <dd>
          <code>{action.machineId}</code>
        </dd>
        <dt>Expires</dt>
        <dd>{formatTime(action.expirationDateTimeUtc)}</dd>
        {action.errorMessage && (
          <>
            <dt>Error</dt>
            <dd>{action.errorMessage}</dd>
          </>
        )}
        {action.cancellationRequestor && (
          <>
            <dt>Cancelled by</dt>
            <dd>
              {action.cancellationRequestor} at {formatTime(action.cancellationDateTimeUtc)}: {action.cancellationComment}
            </dd>
          </>
        )}
        {action.relatedFileInfo && (
          <>
            <dt>File</dt>
            <dd>
              {action.relatedFileInfo.fileIdentifierType} <code>{action.relatedFileInfo.fileIdentifier}</code>
            </dd>
          </>
        )}
        {action.result && (
          <>
            <dt>Result</dt>
            <dd>
              <code>{JSON.stringify(action.result)}</code>
            </dd>
          </>
        )}
      </dl>
      {action.type === 'LiveResponse' && <CommandTranscript action={action} />}
    </div>
  );
}
