/**
 * Devices list: server-side search, filters, sorting and paging (`$filter`, `$orderby`, `$top`,
 * `$skip`, `$count=true`), so 10,000+ devices cost one page per view.
 */
import { useCallback, useEffect, useState } from 'react';
import { HEALTH_STATUSES, ISOLATION_STATES, type Machine } from '@cordon/protocol';
import { useApp } from '../app-context.js';
import { href } from '../router.js';
import { useUrlState } from '../url-state.js';
import { errorText, formatTime, odataString } from '../format.js';
import { labelOf, labelOptions } from '../labels.js';
import { useDebounced } from '../use-debounced.js';
import { HealthBadge } from '../components/status-badge.js';
import { Pager } from '../components/pager.js';
import { FilterSelect } from '../components/filter-select.js';
import { SortHeader, type Sort } from '../components/sort-header.js';
import { BulkBar, type SelectedDevice } from '../components/bulk-actions.js';
import { devicesCsv } from '../devices-csv.js';
import { saveText } from '../download.js';

const PAGE_SIZE = 50;
/** The list re-reads its page this often, so last seen (which sends no event) and membership stay current. */
const REFRESH_MS = 15_000;

/** "Last seen within" choices: URL value → hours. */
export const SEEN_WITHIN: Record<string, { hours: number; label: string }> = {
  '1h': { hours: 1, label: 'Last hour' },
  '24h': { hours: 24, label: 'Last 24 hours' },
  '7d': { hours: 24 * 7, label: 'Last 7 days' },
  '30d': { hours: 24 * 30, label: 'Last 30 days' },
};

const SORT_FIELDS = ['computerDnsName', 'osPlatform', 'lastIpAddress', 'healthStatus', 'isolationState', 'isRestricted', 'lastSeen'];
const DEFAULT_SORT = 'computerDnsName asc';

export interface Filters {
  search: string;
  health: string;
  os: string;
  tag: string;
  isolation: string;
  restricted: string;
  /** A SEEN_WITHIN key, or '' for any time. */
  seen?: string;
}

export function devicesFilter(f: Filters, now = new Date()): string | undefined {
  const parts: string[] = [];
  const search = f.search.trim();
  if (search) parts.push(`(contains(computerDnsName,${odataString(search)}) or startswith(lastIpAddress,${odataString(search)}) or id eq ${odataString(search)})`);
  if (f.health) parts.push(`healthStatus eq ${odataString(f.health)}`);
  if (f.os.trim()) parts.push(`osPlatform eq ${odataString(f.os.trim())}`);
  if (f.tag.trim()) parts.push(`machineTags/any(t: t eq ${odataString(f.tag.trim())})`);
  if (f.isolation) parts.push(`isolationState eq ${odataString(f.isolation)}`);
  if (f.restricted === 'true' || f.restricted === 'false') parts.push(`isRestricted eq ${f.restricted}`);
  const seen = f.seen ? SEEN_WITHIN[f.seen] : undefined;
  if (seen) parts.push(`lastSeen ge ${new Date(now.getTime() - seen.hours * 3_600_000).toISOString()}`);
  return parts.length > 0 ? parts.join(' and ') : undefined;
}

/** `sort=<field> <asc|desc>` from the URL, falling back to the default for anything else. */
export function parseSort(value: string): Sort {
  const [field, direction] = value.split(' ');
  if (field && SORT_FIELDS.includes(field) && (direction === 'asc' || direction === 'desc')) return { field, direction };
  return parseSort(DEFAULT_SORT);
}

const DEFAULTS = { search: '', health: '', os: '', tag: '', isolation: '', restricted: '', seen: '', sort: DEFAULT_SORT };

export function DevicesPage() {
  const { client } = useApp();
  const [url, setUrl] = useUrlState(DEFAULTS);
  const sort = parseSort(url.sort);
  const filters: Filters = url;
  const [skip, setSkip] = useState(0);
  const [page, setPage] = useState<{ rows: Machine[]; count?: number }>();
  const [error, setError] = useState<string>();
  const [loading, setLoading] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const [selected, setSelected] = useState<Map<string, SelectedDevice>>(new Map());
  const [exporting, setExporting] = useState<string>();
  const settled = useDebounced(filters);
  const orderby = `${sort.field} ${sort.direction}`;

  useEffect(() => setSkip(0), [settled, orderby]);
  useEffect(() => {
    let current = true;
    const load = (quiet: boolean) => {
      if (!quiet) setLoading(true);
      client
        // The filter is rebuilt on every read, so "last seen within" stays relative to now.
        .listMachines({ filter: devicesFilter(settled), orderby, top: PAGE_SIZE, skip, count: true })
        .then(
          (res) => current && (setPage({ rows: res.value, count: res['@odata.count'] }), setError(undefined)),
          (err: unknown) => current && setError(errorText(err)),
        )
        .finally(() => current && !quiet && setLoading(false));
    };
    load(false);
    const timer = setInterval(() => load(true), REFRESH_MS);
    return () => {
      current = false;
      clearInterval(timer);
    };
  }, [client, settled, orderby, skip, attempt]);

  // Rows change in place from `event: machine` on the UI event stream when the server sends it
  // (health, tags, isolation, restriction); the 15 s re-read covers a server that does not, and
  // rows that enter or leave the filter.
  useEffect(() => {
    const source = new EventSource('/ui/events');
    source.addEventListener('machine', (event) => {
      const changed = JSON.parse((event as MessageEvent<string>).data) as Machine;
      setPage((p) => (p && p.rows.some((r) => r.id === changed.id) ? { ...p, rows: p.rows.map((r) => (r.id === changed.id ? changed : r)) } : p));
    });
    return () => source.close();
  }, []);

  const set = (key: keyof Filters) => (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) =>
    // Typing replaces the history entry; a choice from a list is a step Back can undo.
    setUrl({ [key]: e.target.value }, { push: e.target.tagName === 'SELECT' });

  const toggle = (m: Machine, on: boolean) =>
    setSelected((old) => {
      const next = new Map(old);
      if (on) next.set(m.id, { id: m.id, computerDnsName: m.computerDnsName });
      else next.delete(m.id);
      return next;
    });
  const rows = page?.rows ?? [];
  const allOnPage = rows.length > 0 && rows.every((m) => selected.has(m.id));
  const togglePage = (on: boolean) =>
    setSelected((old) => {
      const next = new Map(old);
      for (const m of rows) {
        if (on) next.set(m.id, { id: m.id, computerDnsName: m.computerDnsName });
        else next.delete(m.id);
      }
      return next;
    });

  const exportCsv = useCallback(async () => {
    setExporting('Exporting…');
    try {
      const all = await client.listAllMachines({ filter: devicesFilter(settled), orderby });
      saveText(`devices-${new Date().toISOString().slice(0, 10)}.csv`, devicesCsv(all), 'text/csv;charset=utf-8');
      setExporting(`Exported ${all.length} ${all.length === 1 ? 'device' : 'devices'}.`);
    } catch (err) {
      setExporting(`Export failed: ${errorText(err)}`);
    }
  }, [client, settled, orderby]);

  return (
    <section aria-labelledby="devices-title">
      <div className="section-head">
        <h1 id="devices-title">Devices</h1>
        <button type="button" onClick={exportCsv} disabled={exporting === 'Exporting…'}>
          Export CSV
        </button>
        {exporting && (
          <span role="status" className="muted">
            {exporting}
          </span>
        )}
      </div>
      <form className="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <label>
          Search
          <input type="search" placeholder="Name, IP or id" value={filters.search} onChange={set('search')} />
        </label>
        <FilterSelect label="Health" value={filters.health} onChange={set('health')} options={labelOptions('health', HEALTH_STATUSES)} />
        <label>
          OS
          <input value={filters.os} onChange={set('os')} placeholder="e.g. Linux" size={10} />
        </label>
        <label>
          Tag
          <input value={filters.tag} onChange={set('tag')} size={10} />
        </label>
        <FilterSelect label="Isolation" value={filters.isolation} onChange={set('isolation')} options={labelOptions('isolation', ISOLATION_STATES)} />
        <FilterSelect label="App execution" value={filters.restricted} onChange={set('restricted')} options={labelOptions('restricted', ['true', 'false'])} />
        <FilterSelect label="Last seen within" value={url.seen} onChange={set('seen')} options={Object.entries(SEEN_WITHIN).map(([v, { label }]) => [v, label] as const)} />
      </form>
      {error && (
        <div role="alert" className="error-state">
          <p className="error">Cannot load the devices: {error}</p>
          <button type="button" onClick={() => setAttempt((n) => n + 1)}>
            Retry
          </button>
        </div>
      )}
      <BulkBar selected={[...selected.values()]} onClear={() => setSelected(new Map())} onDone={() => setAttempt((n) => n + 1)} />
      <table className="grid devices" aria-busy={loading}>
        <caption className="visually-hidden">
          Devices, sorted by {sort.field} {sort.direction === 'asc' ? 'ascending' : 'descending'}
        </caption>
        <thead>
          <tr>
            <th scope="col" className="select">
              <input type="checkbox" aria-label="Select every device on this page" checked={allOnPage} onChange={(e) => togglePage(e.target.checked)} />
            </th>
            <SortHeader field="computerDnsName" label="Device name" sort={sort} onSort={(s) => setUrl({ sort: `${s.field} ${s.direction}` })} />
            <SortHeader field="osPlatform" label="OS" sort={sort} onSort={(s) => setUrl({ sort: `${s.field} ${s.direction}` })} />
            <SortHeader field="lastIpAddress" label="IP address" sort={sort} onSort={(s) => setUrl({ sort: `${s.field} ${s.direction}` })} />
            <SortHeader field="healthStatus" label="Health" sort={sort} onSort={(s) => setUrl({ sort: `${s.field} ${s.direction}` })} />
            <SortHeader field="isolationState" label="Isolation" sort={sort} onSort={(s) => setUrl({ sort: `${s.field} ${s.direction}` })} />
            <SortHeader field="isRestricted" label="App execution" sort={sort} onSort={(s) => setUrl({ sort: `${s.field} ${s.direction}` })} />
            <th scope="col">Tags</th>
            <SortHeader field="lastSeen" label="Last seen" sort={sort} onSort={(s) => setUrl({ sort: `${s.field} ${s.direction}` })} />
          </tr>
        </thead>
        <tbody>
          {rows.map((m) => (
            <tr key={m.id} data-device={m.computerDnsName}>
              <td className="select">
                <input type="checkbox" aria-label={`Select ${m.computerDnsName}`} checked={selected.has(m.id)} onChange={(e) => toggle(m, e.target.checked)} />
              </td>
              <td>
                <a href={href({ page: 'device', id: m.id })}>{m.computerDnsName}</a>
              </td>
              <td>
                {labelOf('osPlatform', m.osPlatform)} {m.osVersion ?? ''}
              </td>
              <td>{m.lastIpAddress ?? '—'}</td>
              <td>
                <HealthBadge health={m.healthStatus} />
              </td>
              <td>{labelOf('isolation', m.isolationState)}</td>
              <td>{m.isRestricted ? 'Restricted' : 'Not restricted'}</td>
              <td className="tags">{m.machineTags.join(', ')}</td>
              <td className="time">{formatTime(m.lastSeen)}</td>
            </tr>
          ))}
          {page && rows.length === 0 && (
            <tr>
              <td colSpan={9} className="empty">
                No devices match.
              </td>
            </tr>
          )}
        </tbody>
      </table>
      {page && <Pager label="Devices" skip={skip} top={PAGE_SIZE} count={page.count} shown={rows.length} onChange={setSkip} />}
    </section>
  );
}
