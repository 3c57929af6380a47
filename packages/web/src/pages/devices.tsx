/**
 * Devices list: server-side search, filters, sorting and paging (`$filter`, `$orderby`, `$top`,
 * `$skip`, `$count=true`), so 10,000+ devices cost one page per view.
 */
import { useEffect, useState } from 'react';
import { HEALTH_STATUSES, ISOLATION_STATES, type Machine } from '@cordon/protocol';
import { useApp } from '../app-context.js';
import { href } from '../router.js';
import { errorText, formatTime, odataString } from '../format.js';
import { useDebounced } from '../use-debounced.js';
import { HealthBadge } from '../components/status-badge.js';
import { Pager } from '../components/pager.js';
import { FilterSelect } from '../components/filter-select.js';
import { SortHeader, type Sort } from '../components/sort-header.js';

const PAGE_SIZE = 50;

interface Filters {
  search: string;
  health: string;
  os: string;
  tag: string;
  isolation: string;
  restricted: string;
}

export function devicesFilter(f: Filters): string | undefined {
  const parts: string[] = [];
  const search = f.search.trim();
  if (search) parts.push(`(contains(computerDnsName,${odataString(search)}) or startswith(lastIpAddress,${odataString(search)}) or id eq ${odataString(search)})`);
  if (f.health) parts.push(`healthStatus eq ${odataString(f.health)}`);
  if (f.os.trim()) parts.push(`osPlatform eq ${odataString(f.os.trim())}`);
  if (f.tag.trim()) parts.push(`machineTags/any(t: t eq ${odataString(f.tag.trim())})`);
  if (f.isolation) parts.push(`isolationState eq ${odataString(f.isolation)}`);
  if (f.restricted) parts.push(`isRestricted eq ${f.restricted}`);
  return parts.length > 0 ? parts.join(' and ') : undefined;
}

export function DevicesPage() {
  const { client } = useApp();
  const [filters, setFilters] = useState<Filters>({ search: '', health: '', os: '', tag: '', isolation: '', restricted: '' });
  const [sort, setSort] = useState<Sort>({ field: 'computerDnsName', direction: 'asc' });
  const [skip, setSkip] = useState(0);
  const [page, setPage] = useState<{ rows: Machine[]; count?: number }>();
  const [error, setError] = useState<string>();
  const [loading, setLoading] = useState(false);
  const settled = useDebounced(filters);

  useEffect(() => setSkip(0), [settled, sort]);
  useEffect(() => {
    let current = true;
    setLoading(true);
    client
      .listMachines({ filter: devicesFilter(settled), orderby: `${sort.field} ${sort.direction}`, top: PAGE_SIZE, skip, count: true })
      .then(
        (res) => current && (setPage({ rows: res.value, count: res['@odata.count'] }), setError(undefined)),
        (err: unknown) => current && setError(errorText(err)),
      )
      .finally(() => current && setLoading(false));
    return () => {
      current = false;
    };
  }, [client, settled, sort, skip]);

  const set = (key: keyof Filters) => (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) => setFilters({ ...filters, [key]: e.target.value });

  return (
    <section aria-labelledby="devices-title">
      <h1 id="devices-title">Devices</h1>
      <form className="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <label>
          Search
          <input type="search" placeholder="Name, IP or id" value={filters.search} onChange={set('search')} />
        </label>
        <FilterSelect label="Health" value={filters.health} onChange={set('health')} options={HEALTH_STATUSES} />
        <label>
          OS
          <input value={filters.os} onChange={set('os')} placeholder="e.g. Linux" size={10} />
        </label>
        <label>
          Tag
          <input value={filters.tag} onChange={set('tag')} size={10} />
        </label>
        <FilterSelect label="Isolation" value={filters.isolation} onChange={set('isolation')} options={ISOLATION_STATES} />
        <FilterSelect
          label="App restriction"
          value={filters.restricted}
          onChange={set('restricted')}
          options={[
            ['true', 'Restricted'],
            ['false', 'Not restricted'],
          ]}
        />
      </form>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <table className="grid" aria-busy={loading}>
        <caption className="visually-hidden">Devices, sorted by {sort.field} {sort.direction === 'asc' ? 'ascending' : 'descending'}</caption>
        <thead>
          <tr>
            <SortHeader field="computerDnsName" label="Device name" sort={sort} onSort={setSort} />
            <SortHeader field="osPlatform" label="OS" sort={sort} onSort={setSort} />
            <SortHeader field="lastIpAddress" label="IP address" sort={sort} onSort={setSort} />
            <SortHeader field="healthStatus" label="Health" sort={sort} onSort={setSort} />
            <SortHeader field="isolationState" label="Isolation" sort={sort} onSort={setSort} />
            <SortHeader field="isRestricted" label="Restricted" sort={sort} onSort={setSort} />
            <th scope="col">Tags</th>
            <SortHeader field="lastSeen" label="Last seen" sort={sort} onSort={setSort} />
          </tr>
        </thead>
        <tbody>
          {page?.rows.map((m) => (
            <tr key={m.id}>
              <td>
                <a href={href({ page: 'device', id: m.id })}>{m.computerDnsName}</a>
              </td>
              <td>
                {m.osPlatform} {m.osVersion ?? ''}
              </td>
              <td>{m.lastIpAddress ?? '—'}</td>
              <td>
                <HealthBadge health={m.healthStatus} />
              </td>
              <td>{m.isolationState === 'NotIsolated' ? 'No' : m.isolationState}</td>
              <td>{m.isRestricted ? 'Yes' : 'No'}</td>
              <td className="tags">{m.machineTags.join(', ')}</td>
              <td className="time">{formatTime(m.lastSeen)}</td>
            </tr>
          ))}
          {page && page.rows.length === 0 && (
            <tr>
              <td colSpan={8} className="empty">
                No devices match.
              </td>
            </tr>
          )}
        </tbody>
      </table>
      {page && <Pager label="Devices" skip={skip} top={PAGE_SIZE} count={page.count} shown={page.rows.length} onChange={setSkip} />}
    </section>
  );
}
