/**
 * The Action center table: every action with type, status (and why it failed), requestor, comment
 * and times; filters (status, type, device, requestor, creation time), search and sort kept in the
 * URL (url-state.ts), so Back restores them and a reload keeps them; paging; live updates from the
 * event stream that respect the filters; export of the whole filtered list (CSV, JSON); bulk
 * cancel; a side panel with each action's details (`?action=<id>`).
 * Used for the whole tenant and for one device (`machineId`).
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ACTION_STATUSES, ACTION_TYPES, isFinalStatus, type MachineAction } from '@cordon/protocol';
import { useApp } from '../app-context.js';
import { can } from '../session.js';
import { useActionStream } from '../live.js';
import { href } from '../router.js';
import { actionLabel, errorText, formatTime } from '../format.js';
import { useDebounced } from '../use-debounced.js';
import { useUrlState } from '../url-state.js';
import { ACTION_FILTER_DEFAULTS, actionsFilter, matchesFilters, parseSort, type ActionFilters } from '../action-filters.js';
import { failureReason, statusWords } from '../action-steps.js';
import { StatusBadge } from './status-badge.js';
import { Pager } from './pager.js';
import { FilterSelect } from './filter-select.js';
import { SortHeader, type Sort } from './sort-header.js';
import { ConfirmDialog } from './confirm-dialog.js';
import { ActionDrawer } from './action-drawer.js';
import { PackageDownload } from './action-result.js';
import { TimeRangeFilter } from './time-range-filter.js';
import { ExportButtons } from './export-buttons.js';

const PAGE_SIZE = 25;

interface BulkResult {
  id: string;
  label: string;
  ok: boolean;
  message: string;
}

/** A text filter typed into: the URL follows once typing pauses, replacing the entry (no history per key). */
function useTypedFilter(value: string, commit: (v: string) => void): [string, (v: string) => void] {
  const [draft, setDraft] = useState(value);
  const [lastSeen, setLastSeen] = useState(value);
  if (value !== lastSeen) {
    // The URL changed under us (Back, a link): show what it says.
    setLastSeen(value);
    setDraft(value);
  }
  const settled = useDebounced(draft);
  const commitRef = useRef(commit);
  commitRef.current = commit;
  useEffect(() => {
    if (settled !== value) commitRef.current(settled);
  }, [settled]); // eslint-disable-line react-hooks/exhaustive-deps -- only when typing settles, not when the URL moves
  return [draft, setDraft];
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
  const [url, setUrl] = useUrlState(ACTION_FILTER_DEFAULTS);
  const [search, setSearch] = useTypedFilter(url.search, (v) => setUrl({ search: v }, { push: false }));
  const [device, setDevice] = useTypedFilter(url.machine, (v) => setUrl({ machine: v }, { push: false }));
  const [requestor, setRequestor] = useTypedFilter(url.requestor, (v) => setUrl({ requestor: v }, { push: false }));
  const sort = parseSort(url.sort);
  const [skip, setSkip] = useState(0);
  const [rows, setRows] = useState<MachineAction[]>();
  const [count, setCount] = useState<number>();
  const [error, setError] = useState<string>();
  const [reloadTick, setReloadTick] = useState(0);
  const [cancelling, setCancelling] = useState<MachineAction>();
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [bulkOpen, setBulkOpen] = useState(false);
  const [bulkResults, setBulkResults] = useState<BulkResult[]>();

  // Everything but the open panel decides the list.
  const { action: openId, ...listKeys } = url;
  const filterKey = JSON.stringify(listKeys);
  const filters = useMemo(() => JSON.parse(filterKey) as Omit<ActionFilters, 'action'>, [filterKey]);
  const full = useMemo(() => ({ ...filters, action: '' }), [filters]);
  const orderby = `${sort.field} ${sort.direction}`;

  useEffect(() => setSkip(0), [filterKey]);
  useEffect(() => {
    let current = true;
    client.listMachineActions({ filter: actionsFilter(full, machineId, Date.now()), orderby, top: PAGE_SIZE, skip, count: true }).then(
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
  }, [client, full, orderby, skip, machineId, reloadTick]);

  // Selection holds only rows shown and still cancellable.
  useEffect(() => {
    setSelected((prev) => {
      const keep = new Set([...prev].filter((id) => rows?.some((r) => r.id === id && !isFinalStatus(r.status))));
      return keep.size === prev.size ? prev : keep;
    });
  }, [rows]);

  // A change to a shown action is applied in place, or takes the row out when it no longer matches
  // the filters (a Cancelled action leaves the Pending view); an unknown action that matches (new)
  // re-reads the page, coalesced so a burst of events costs one request.
  const reloadTimer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const rowsRef = useRef(rows);
  rowsRef.current = rows;
  const filtersRef = useRef(full);
  filtersRef.current = full;
  const onEvent = useCallback(
    (action: MachineAction) => {
      onAction?.(action);
      const matches = matchesFilters(action, filtersRef.current, machineId, Date.now());
      const shown = rowsRef.current?.some((r) => r.id === action.id);
      if (shown && matches) {
        setRows((prev) => prev?.map((r) => (r.id === action.id ? action : r)));
        return;
      }
      if (shown) {
        setRows((prev) => prev?.filter((r) => r.id !== action.id));
        setCount((n) => (n === undefined ? n : Math.max(0, n - 1)));
      } else if (!matches) return;
      clearTimeout(reloadTimer.current);
      reloadTimer.current = setTimeout(() => setReloadTick((n) => n + 1), 250);
    },
    [onAction, machineId],
  );
  useEffect(() => () => clearTimeout(reloadTimer.current), []);
  useEffect(() => {
    if (created && skip === 0 && matchesFilters(created, filtersRef.current, machineId, Date.now())) setRows((prev) => (prev && !prev.some((r) => r.id === created.id) ? [created, ...prev] : prev));
  }, [created]); // eslint-disable-line react-hooks/exhaustive-deps -- only when a new action arrives
  const stream = useActionStream(onEvent, machineId);

  const choose = (key: 'status' | 'type') => (e: React.ChangeEvent<HTMLSelectElement>) => setUrl({ [key]: e.target.value });
  const onSort = (s: Sort) => setUrl({ sort: `${s.field} ${s.direction}` });
  const canCancel = can(me, 'cancelMachineAction');
  const cancellable = rows?.filter((r) => !isFinalStatus(r.status)) ?? [];
  const allSelected = cancellable.length > 0 && cancellable.every((r) => selected.has(r.id));
  const toggle = (id: string) =>
    setSelected((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const replaceRow = (updated: MachineAction) => onEvent(updated);
  const columns = (machineId ? 7 : 8) + (canCancel ? 1 : 0);
  const idBase = `actions-${machineId ?? 'all'}`;

  return (
    <section aria-labelledby={`${idBase}-title`} className="action-list">
      <div className="section-head">
        <h2 id={`${idBase}-title`}>{title}</h2>
        <span className={`stream stream-${stream}`} role="status">
          {stream === 'live' ? 'Live updates on' : stream === 'connecting' ? 'Connecting…' : 'Reconnecting…'}
        </span>
      </div>
      <form className="filters" role="search" aria-label={`Filter ${title.toLowerCase()}`} onSubmit={(e) => e.preventDefault()}>
        <label>
          Search
          <input type="search" placeholder={machineId ? 'Requestor' : 'Requestor, device name or id'} value={search} onChange={(e) => setSearch(e.target.value)} />
        </label>
        <FilterSelect label="Status" value={url.status} onChange={choose('status')} options={ACTION_STATUSES.map((s) => [s, statusWords(s)] as const)} />
        <FilterSelect label="Type" value={url.type} onChange={choose('type')} options={ACTION_TYPES.map((t) => [t, actionLabel(t)] as const)} />
        {!machineId && (
          <label>
            Device
            <input value={device} onChange={(e) => setDevice(e.target.value)} placeholder="Name or id" size={14} />
          </label>
        )}
        <label>
          Requestor
          <input value={requestor} onChange={(e) => setRequestor(e.target.value)} size={12} />
        </label>
        <TimeRangeFilter since={url.since} from={url.from} to={url.to} onChange={(patch) => setUrl(patch)} />
      </form>
      <div className="list-tools">
        {canCancel && (
          <button type="button" disabled={selected.size === 0} onClick={() => (setBulkResults(undefined), setBulkOpen(true))}>
            Cancel selected ({selected.size})
          </button>
        )}
        <ExportButtons load={() => client.listAllMachineActions({ filter: actionsFilter(full, machineId, Date.now()), orderby })} />
      </div>
      {bulkResults && (
        <div className="bulk-results" role="status">
          <p>
            {bulkResults.filter((r) => r.ok).length} of {bulkResults.length} cancelled.
          </p>
          <ul>
            {bulkResults.map((r) => (
              <li key={r.id} className={r.ok ? 'ok' : 'error'}>
                {r.label}: {r.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <div className="table-scroll">
        <table className="grid actions">
          <caption className="visually-hidden">{title}</caption>
          <thead>
            <tr>
              {canCancel && (
                <th scope="col" className="select">
                  <input type="checkbox" aria-label="Select every action that can be cancelled on this page" checked={allSelected} disabled={cancellable.length === 0} onChange={() => setSelected(allSelected ? new Set() : new Set(cancellable.map((r) => r.id)))} />
                </th>
              )}
              <SortHeader field="type" label="Action" sort={sort} onSort={onSort} />
              {!machineId && <SortHeader field="computerDnsName" label="Device" sort={sort} onSort={onSort} />}
              <SortHeader field="status" label="Status" sort={sort} onSort={onSort} />
              <SortHeader field="requestor" label="Requestor" sort={sort} onSort={onSort} />
              <th scope="col">Comment</th>
              <SortHeader field="creationDateTimeUtc" label="Submitted" sort={sort} onSort={onSort} />
              <SortHeader field="lastUpdateDateTimeUtc" label="Last update" sort={sort} onSort={onSort} />
              <th scope="col">
                <span className="visually-hidden">Operations</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows?.map((a) => {
              const reason = failureReason(a);
              const label = `${actionLabel(a.type)} on ${a.computerDnsName ?? a.machineId}`;
              return (
                <tr key={a.id} data-action-id={a.id} data-status={a.status} className={selected.has(a.id) ? 'selected' : undefined}>
                  {canCancel && (
                    <td className="select">
                      {!isFinalStatus(a.status) && <input type="checkbox" aria-label={`Select ${label}`} checked={selected.has(a.id)} onChange={() => toggle(a.id)} />}
                    </td>
                  )}
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
                    {reason && <div className="row-reason">{reason}</div>}
                  </td>
                  <td className="requestor">{a.requestor}</td>
                  <td className="comment">{a.requestorComment}</td>
                  <td className="time">{formatTime(a.creationDateTimeUtc)}</td>
                  <td className="time">{formatTime(a.lastUpdateDateTimeUtc)}</td>
                  <td className="ops">
                    <button type="button" onClick={() => setUrl({ action: a.id })}>
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
              );
            })}
            {rows && rows.length === 0 && (
              <tr>
                <td colSpan={columns} className="empty">
                  No actions match.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      {rows && <Pager label={title} skip={skip} top={PAGE_SIZE} count={count} shown={rows.length} onChange={setSkip} />}
      {cancelling && (
        <ConfirmDialog
          title={`Cancel ${actionLabel(cancelling.type).toLowerCase()}`}
          description={<p>The action stops if the device has not run it yet. Actions that already finished are not undone.</p>}
          confirmLabel="Cancel action"
          onConfirm={async (comment) => replaceRow(await client.cancelMachineAction(cancelling.id, comment))}
          onClose={() => setCancelling(undefined)}
        />
      )}
      {bulkOpen && (
        <ConfirmDialog
          title={`Cancel ${selected.size === 1 ? '1 action' : `${selected.size} actions`}`}
          description={<p>Each selected action stops if its device has not run it yet. Actions that already finished are not undone.</p>}
          confirmLabel="Cancel actions"
          onConfirm={async (comment) => {
            const chosen = (rows ?? []).filter((r) => selected.has(r.id));
            const results = await Promise.all(
              chosen.map(async (r): Promise<BulkResult> => {
                const label = `${actionLabel(r.type)} on ${r.computerDnsName ?? r.machineId}`;
                try {
                  replaceRow(await client.cancelMachineAction(r.id, comment));
                  return { id: r.id, label, ok: true, message: 'cancelled' };
                } catch (err) {
                  return { id: r.id, label, ok: false, message: errorText(err) };
                }
              }),
            );
            setBulkResults(results);
            setSelected(new Set());
          }}
          onClose={() => setBulkOpen(false)}
        />
      )}
      {openId && <ActionDrawer key={openId} id={openId} known={rows?.find((r) => r.id === openId)} onClose={() => setUrl({ action: '' }, { push: false })} onChanged={replaceRow} />}
    </section>
  );
}
