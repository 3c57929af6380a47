/**
 * The security operations dashboard, the first page after sign-in: what needs a person now. Every
 * number comes from an OData `$count` on the public API (no dashboard endpoint) and is a link into
 * the list it counts, filtered the same way (param names: /work/briefs/url-params.md, kept by the
 * Devices, Action center and Alerts pages).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Alert, AlertSeverity, Machine, MachineAction } from '@cordon/protocol';
import type { ListQuery } from '@cordon/api-client';
import { useApp } from '../app-context.js';
import { can } from '../session.js';
import { href } from '../router.js';
import { errorText, formatTime, odataString } from '../format.js';
import { useActionStream } from '../live.js';
import { actionHref, alertsHref, severityLabel, statusLabel, SeverityBadge } from '../components/alert-badges.js';
import { labelOf } from '../labels.js';

const SEVERITIES: readonly AlertSeverity[] = ['High', 'Medium', 'Low', 'Informational'];
const OPEN_STATUSES = ['New', 'InProgress'] as const;
/** Open alerts read to rank devices; a tenant with more still gets exact counts (they are `$count`s). */
const AT_RISK_SAMPLE = 500;
const SEVERITY_RANK: Record<string, number> = { High: 4, Medium: 3, Low: 2, Informational: 1, Unspecified: 0 };

interface AtRiskDevice {
  machineId: string;
  computerDnsName: string;
  open: number;
  worst: AlertSeverity;
}

interface DashboardData {
  alertCounts: Record<string, number>; // `${severity}/${status}`
  openAlerts: number;
  atRisk: AtRiskDevice[];
  isolated: number;
  selectivelyIsolated: number;
  restricted: number;
  contained: Machine[];
  failed24h: number;
  failedRecent: MachineAction[];
  pendingOffline: { action: MachineAction; machine: Machine }[];
  pendingTotal: number;
}

/** The last 24 hours as an OData datetime literal (unquoted ISO-8601). */
function since24h(now = Date.now()): string {
  return new Date(now - 24 * 3600_000).toISOString();
}

async function loadDashboard(client: ReturnType<typeof useApp>['client'], alertsAllowed: boolean): Promise<DashboardData> {
  const count = async (list: (q: ListQuery) => Promise<{ '@odata.count'?: number }>, filter: string) => (await list({ filter, top: 0, count: true }))['@odata.count'] ?? 0;
  const alerts = (q: ListQuery) => client.listAlerts(q);
  const machines = (q: ListQuery) => client.listMachines(q);

  const alertKeys = SEVERITIES.flatMap((s) => OPEN_STATUSES.map((st) => [s, st] as const));
  const failedFilter = `status eq 'Failed' and creationDateTimeUtc ge ${since24h()}`;
  const [alertCountList, openAlerts, openSample, isolated, selectivelyIsolated, restricted, contained, failed, pending] = await Promise.all([
    alertsAllowed ? Promise.all(alertKeys.map(([s, st]) => count(alerts, `severity eq '${s}' and status eq '${st}'`))) : Promise.resolve(alertKeys.map(() => 0)),
    alertsAllowed ? count(alerts, "status ne 'Resolved'") : Promise.resolve(0),
    alertsAllowed ? client.listAlerts({ filter: "status ne 'Resolved'", top: AT_RISK_SAMPLE, select: ['machineId', 'computerDnsName', 'severity'] }) : Promise.resolve({ value: [] as Alert[] }),
    count(machines, "isolationState eq 'Isolated'"),
    count(machines, "isolationState eq 'SelectivelyIsolated'"),
    count(machines, 'isRestricted eq true'),
    client.listMachines({ filter: "isolationState ne 'NotIsolated' or isRestricted eq true", top: 8, orderby: 'computerDnsName asc' }),
    client.listMachineActions({ filter: failedFilter, top: 5, count: true }),
    client.listMachineActions({ filter: "status eq 'Pending'", top: 200, count: true }),
  ]);

  const alertCounts: Record<string, number> = {};
  alertKeys.forEach(([s, st], i) => (alertCounts[`${s}/${st}`] = alertCountList[i]!));

  const byMachine = new Map<string, AtRiskDevice>();
  for (const a of openSample.value) {
    const d = byMachine.get(a.machineId) ?? { machineId: a.machineId, computerDnsName: a.computerDnsName, open: 0, worst: 'Unspecified' as AlertSeverity };
    d.open += 1;
    if ((SEVERITY_RANK[a.severity] ?? 0) > (SEVERITY_RANK[d.worst] ?? 0)) d.worst = a.severity;
    byMachine.set(a.machineId, d);
  }
  const atRisk = [...byMachine.values()].sort((x, y) => (SEVERITY_RANK[y.worst] ?? 0) - (SEVERITY_RANK[x.worst] ?? 0) || y.open - x.open).slice(0, 8);

  // Pending actions wait for their device: only those whose device is not Active are stuck.
  const pendingMachineIds = [...new Set(pending.value.map((a) => a.machineId))];
  const offline = pendingMachineIds.length
    ? (await client.listMachines({ filter: `healthStatus ne 'Active' and id in (${pendingMachineIds.map(odataString).join(',')})`, top: pendingMachineIds.length })).value
    : [];
  const offlineById = new Map(offline.map((m) => [m.id, m]));
  const pendingOffline = pending.value.filter((a) => offlineById.has(a.machineId)).map((action) => ({ action, machine: offlineById.get(action.machineId)! }));

  return {
    alertCounts,
    openAlerts,
    atRisk,
    isolated,
    selectivelyIsolated,
    restricted,
    contained: contained.value,
    failed24h: failed['@odata.count'] ?? failed.value.length,
    failedRecent: failed.value,
    pendingOffline,
    pendingTotal: pending['@odata.count'] ?? pending.value.length,
  };
}

export function DashboardPage() {
  const { client, me } = useApp();
  const alertsAllowed = can(me, 'listAlerts');
  const [data, setData] = useState<DashboardData>();
  const [error, setError] = useState<string>();
  const [updated, setUpdated] = useState<Date>();
  const current = useRef(true);

  const reload = useCallback(() => {
    loadDashboard(client, alertsAllowed).then(
      (d) => current.current && (setData(d), setError(undefined), setUpdated(new Date())),
      (err: unknown) => current.current && setError(errorText(err)),
    );
  }, [client, alertsAllowed]);

  useEffect(() => {
    current.current = true;
    reload();
    // Alerts and device health have no event of their own on the stream: a slow poll keeps them fresh.
    const timer = setInterval(reload, 30_000);
    return () => {
      current.current = false;
      clearInterval(timer);
    };
  }, [reload]);

  // A finished action moves the counts (a scan makes alerts, an isolation contains a device); one
  // reload per burst of events.
  const pendingReload = useRef<ReturnType<typeof setTimeout>>(undefined);
  useActionStream(() => {
    clearTimeout(pendingReload.current);
    pendingReload.current = setTimeout(reload, 1000);
  });
  useEffect(() => () => clearTimeout(pendingReload.current), []);

  return (
    <>
      <h1>Security operations</h1>
      <p className="muted dash-updated" aria-live="polite">
        {updated ? `Updated ${formatTime(updated.toISOString())}` : 'Loading…'}
      </p>
      {error && (
        <p role="alert" className="error">
          {error}{' '}
          <button type="button" onClick={reload}>
            Retry
          </button>
        </p>
      )}
      {data && (
        <div className="dash-grid">
          {alertsAllowed && <AlertsCard data={data} />}
          {alertsAllowed && <AtRiskCard data={data} />}
          <ContainedCard data={data} />
          <FailedCard data={data} />
          <PendingOfflineCard data={data} />
        </div>
      )}
    </>
  );
}

function AlertsCard({ data }: { data: DashboardData }) {
  return (
    <section className="dash-card" aria-labelledby="dash-alerts">
      <h2 id="dash-alerts">
        <a href={alertsHref({ status: 'open' })}>Open alerts</a> <span className="dash-total">{data.openAlerts}</span>
      </h2>
      <table className="grid dash-table">
        <thead>
          <tr>
            <th scope="col">Severity</th>
            {OPEN_STATUSES.map((st) => (
              <th scope="col" key={st} className="num">
                {statusLabel(st)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {SEVERITIES.map((s) => (
            <tr key={s}>
              <th scope="row">
                <SeverityBadge severity={s} />
              </th>
              {OPEN_STATUSES.map((st) => {
                const n = data.alertCounts[`${s}/${st}`] ?? 0;
                return (
                  <td key={st} className="num">
                    <a href={alertsHref({ severity: s, status: st })} aria-label={`${n} ${severityLabel(s)} ${statusLabel(st).toLowerCase()} alerts`} className={n === 0 ? 'dash-zero' : undefined}>
                      {n}
                    </a>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function AtRiskCard({ data }: { data: DashboardData }) {
  return (
    <section className="dash-card" aria-labelledby="dash-risk">
      <h2 id="dash-risk">Devices at risk</h2>
      {data.atRisk.length === 0 ? (
        <p className="muted">No device has an open alert.</p>
      ) : (
        <ul className="dash-list">
          {data.atRisk.map((d) => (
            <li key={d.machineId}>
              <a href={href({ page: 'device', id: d.machineId })}>{d.computerDnsName}</a>
              <span className="dash-meta">
                <SeverityBadge severity={d.worst} />{' '}
                <a href={alertsHref({ machine: d.machineId, status: 'open' })}>
                  {d.open} open {d.open === 1 ? 'alert' : 'alerts'}
                </a>
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function ContainedCard({ data }: { data: DashboardData }) {
  return (
    <section className="dash-card" aria-labelledby="dash-contained">
      <h2 id="dash-contained">Contained devices</h2>
      <ul className="dash-stats">
        <li>
          <a href="#/devices?isolation=Isolated">
            <span className="dash-number">{data.isolated}</span> isolated
          </a>
        </li>
        <li>
          <a href="#/devices?isolation=SelectivelyIsolated">
            <span className="dash-number">{data.selectivelyIsolated}</span> selectively isolated
          </a>
        </li>
        <li>
          <a href="#/devices?restricted=true">
            <span className="dash-number">{data.restricted}</span> with app restriction
          </a>
        </li>
      </ul>
      {data.contained.length > 0 && (
        <ul className="dash-list">
          {data.contained.map((m) => (
            <li key={m.id}>
              <a href={href({ page: 'device', id: m.id })}>{m.computerDnsName}</a>
              <span className="dash-meta">{[m.isolationState !== 'NotIsolated' ? labelOf('isolation', m.isolationState) : '', m.isRestricted ? 'App restriction' : ''].filter(Boolean).join(' · ')}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function FailedCard({ data }: { data: DashboardData }) {
  return (
    <section className="dash-card" aria-labelledby="dash-failed">
      <h2 id="dash-failed">
        <a href="#/actions?status=Failed&since=24h">Failed actions, last 24 hours</a> <span className="dash-total">{data.failed24h}</span>
      </h2>
      {data.failedRecent.length === 0 ? (
        <p className="muted">No action failed in the last 24 hours.</p>
      ) : (
        <ul className="dash-list">
          {data.failedRecent.map((a) => (
            <li key={a.id}>
              <a href={actionHref(a.id)}>
                {labelOf('actionType', a.type)} on {a.computerDnsName ?? a.machineId}
              </a>
              <span className="dash-meta">{formatTime(a.lastUpdateDateTimeUtc)}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function PendingOfflineCard({ data }: { data: DashboardData }) {
  return (
    <section className="dash-card" aria-labelledby="dash-pending">
      <h2 id="dash-pending">
        Waiting for offline devices <span className="dash-total">{data.pendingOffline.length}</span>
      </h2>
      {data.pendingOffline.length === 0 ? (
        <p className="muted">
          No pending action waits for an offline device. <a href="#/actions?status=Pending">All pending actions ({data.pendingTotal})</a>
        </p>
      ) : (
        <ul className="dash-list">
          {data.pendingOffline.slice(0, 8).map(({ action, machine }) => (
            <li key={action.id}>
              <a href={actionHref(action.id)}>
                {labelOf('actionType', action.type)} on {machine.computerDnsName}
              </a>
              <span className="dash-meta">last seen {formatTime(machine.lastSeen)}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
