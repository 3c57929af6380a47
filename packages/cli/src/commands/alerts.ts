import { Option, type Command } from 'commander';
import type { AlertUpdate } from '@cordon/api-client';
import { ALERT_CLASSIFICATIONS, ALERT_DETERMINATIONS, ALERT_SEVERITIES, ALERT_STATUSES, ALERT_UPDATE_STATUSES, type Alert } from '@cordon/protocol';
import { addProfileOption, connect, type ConnectionOptions } from '../analyst/connection.js';
import { addDryRunOption, printDryRun, type DryRunOptions } from '../analyst/dry-run.js';
import { addFormatOption, emit, type FormatOptions } from '../analyst/format.js';
import { printLine, printTable, run } from '../analyst/output.js';
import { addListOptions, formatExamples, listQuery, odataString, type Example, type ListOptions, exampleLines } from './list-options.js';

interface AlertsListOptions extends ListOptions, ConnectionOptions, FormatOptions {
  machine?: string;
  status?: string;
  severity?: string;
}

interface AlertUpdateOptions extends DryRunOptions, FormatOptions {
  status?: AlertUpdate['status'];
  assignTo?: string;
  classification?: AlertUpdate['classification'];
  determination?: AlertUpdate['determination'];
  comment?: string;
}

/** Shown under `alerts list --help`; each one is run against the server in the CLI tests. */
export const ALERT_LIST_EXAMPLES: Example[] = [
  { what: 'new alerts of one machine', args: ['alerts', 'list', '--machine', 'web01.contoso.local', '--status', 'New'] },
  { what: 'high-severity alerts not resolved yet', args: ['alerts', 'list', '--severity', 'High', '--filter', "status ne 'Resolved'"] },
  { what: 'alerts raised by automated investigations', args: ['alerts', 'list', '--filter', "detectionSource eq 'AutomatedInvestigation'"] },
  { what: 'every alert as JSON, following every page', args: ['alerts', 'list', '--all', '--json'] },
];

const UPDATE_EXAMPLES: Example[] = [
  { what: 'take an alert', args: ['alerts', 'update', 'da637292082891366787_1236758045', '--status', 'InProgress', '--assign-to', 'secop2@contoso.com'] },
  { what: 'resolve it as a security test, with a comment', args: ['alerts', 'update', 'da637292082891366787_1236758045', '--status', 'Resolved', '--classification', 'InformationalExpectedActivity', '--determination', 'SecurityTesting', '--comment', 'red team exercise'] },
  { what: 'see the request first', args: ['alerts', 'update', 'da637292082891366787_1236758045', '--comment', 'looking into it', '--dry-run'] },
];

const time = (t: string | null) => (t ? t.slice(0, 19).replace('T', ' ') : '');

/** `cordon alerts list|show|update` (MDE alerts; docs/extensions.md "Alert triage"). */
export function registerAlertsCommand(program: Command): void {
  const alerts = program.command('alerts').description('list, show and triage alerts').addHelpText('after', exampleLines('cordon alerts list --status New', 'cordon alerts update <alertId> --status Resolved --comment "false positive"'));

  addFormatOption(
    addListOptions(addProfileOption(alerts.command('list').description('list alerts (newest first)')), {
      filter: "status eq 'New'",
      orderby: 'alertCreationTime desc',
      more: ALERT_LIST_EXAMPLES,
    }),
  )
    .option('--machine <machine>', 'only alerts of this machine (id, computer name or aadDeviceId)')
    .addOption(new Option('--status <status>', 'only alerts with this status').choices(ALERT_STATUSES))
    .addOption(new Option('--severity <severity>', 'only alerts of this severity').choices(ALERT_SEVERITIES))
    .action(
      run(async (opts: AlertsListOptions) => {
        const client = await connect(opts);
        const extra: string[] = [];
        // As in `actions list`: the server resolves the name (refusing an ambiguous one), the filter matches the id.
        if (opts.machine) extra.push(`machineId eq ${odataString((await client.getMachine(opts.machine)).id)}`);
        if (opts.status) extra.push(`status eq ${odataString(opts.status)}`);
        if (opts.severity) extra.push(`severity eq ${odataString(opts.severity)}`);
        const query = listQuery(opts, extra);
        const rows = opts.all ? await client.listAllAlerts(query) : (await client.listAlerts(query)).value;
        emit(opts, rows, (wide) => {
          const header = ['ID', 'SEVERITY', 'STATUS', 'MACHINE', 'CREATED (UTC)', 'TITLE'];
          const row = (a: Alert) => [a.id, a.severity, a.status, a.computerDnsName || a.machineId, time(a.alertCreationTime), a.title];
          if (!wide) return printTable(header, rows.map(row));
          printTable(
            ['ID', 'SEVERITY', 'STATUS', 'MACHINE', 'CREATED (UTC)', 'ASSIGNED TO', 'CLASSIFICATION', 'DETERMINATION', 'SOURCE', 'INVESTIGATION', 'TITLE'],
            rows.map((a) => [a.id, a.severity, a.status, a.computerDnsName || a.machineId, time(a.alertCreationTime), a.assignedTo ?? '', a.classification ?? '', a.determination ?? '', a.detectionSource, a.investigationId === null ? '' : `${a.investigationId} (${a.investigationState})`, a.title]),
          );
        });
      }),
    );

  addFormatOption(addProfileOption(alerts.command('show').description('show every field of one alert, its evidence and comments').argument('<alertId>')).option('--json', 'print the raw entity'))
    .addHelpText('after', formatExamples([{ what: 'one alert, as YAML', args: ['alerts', 'show', 'da637292082891366787_1236758045', '-o', 'yaml'] }]))
    .action(
      run(async (id: string, opts: ConnectionOptions & FormatOptions) => {
        const alert = await (await connect(opts)).getAlert(id);
        emit(opts, alert, () => printAlert(alert));
      }),
    );

  addDryRunOption(
    addFormatOption(addProfileOption(alerts.command('update').description('change status, owner, classification or determination of an alert, or add a comment').argument('<alertId>'))),
  )
    .addOption(new Option('--status <status>', 'New, InProgress or Resolved').choices(ALERT_UPDATE_STATUSES))
    .option('--assign-to <owner>', 'the owner (an empty string unassigns)')
    .addOption(new Option('--classification <classification>', 'the classification').choices(ALERT_CLASSIFICATIONS))
    .addOption(new Option('--determination <determination>', 'the determination').choices(ALERT_DETERMINATIONS))
    .option('--comment <text>', "appended to the alert's comments")
    .option('--json', 'print the updated entity')
    .addHelpText('after', formatExamples(UPDATE_EXAMPLES))
    .action(
      run(async (id: string, opts: AlertUpdateOptions) => {
        const update = updateOf(opts);
        if (opts.dryRun) return printDryRun(opts, 'PATCH', `/api/alerts/${encodeURIComponent(id)}`, update);
        const alert = await (await connect(opts)).updateAlert(id, update);
        emit(opts, alert, () => printLine(`${alert.id}: ${alert.status}${alert.assignedTo ? `, assigned to ${alert.assignedTo}` : ''}${alert.classification ? `, ${alert.classification}` : ''}${alert.determination ? ` (${alert.determination})` : ''}; ${alert.comments.length} comment(s)`));
      }),
    );
}

/** The PATCH body from the flags; refused before any request when it would change nothing. */
function updateOf(opts: AlertUpdateOptions): AlertUpdate {
  const update: AlertUpdate = {};
  if (opts.status !== undefined) update.status = opts.status;
  if (opts.assignTo !== undefined) update.assignedTo = opts.assignTo;
  if (opts.classification !== undefined) update.classification = opts.classification;
  if (opts.determination !== undefined) update.determination = opts.determination;
  if (opts.comment !== undefined) {
    if (opts.comment.trim() === '') throw new Error('--comment must not be empty');
    update.comment = opts.comment;
  }
  if (Object.keys(update).length === 0) throw new Error('pass at least one of --status, --assign-to, --classification, --determination, --comment');
  return update;
}

function printAlert(a: Alert): void {
  const fields: Array<[string, unknown]> = [
    ['id', a.id],
    ['title', a.title],
    ['description', a.description],
    ['severity', a.severity],
    ['status', a.status],
    ['assigned to', a.assignedTo],
    ['classification', a.classification],
    ['determination', a.determination],
    ['category', a.category],
    ['source', a.detectionSource],
    ['threat', a.threatName],
    ['threat family', a.threatFamilyName],
    ['mitre', a.mitreTechniques.join(', ')],
    ['machine', `${a.computerDnsName} (${a.machineId})`],
    ['investigation', a.investigationId === null ? null : `${a.investigationId} (${a.investigationState})`],
    ['incident', a.incidentId],
    ['action', a.actionId],
    ['created', a.alertCreationTime],
    ['first event', a.firstEventTime],
    ['last event', a.lastEventTime],
    ['updated', a.lastUpdateTime],
    ['resolved', a.resolvedTime],
  ];
  for (const [k, v] of fields) printLine(`${`${k}:`.padEnd(16)}${v ?? ''}`);
  printLine(`evidence (${a.evidence.length}):`);
  for (const e of a.evidence) {
    const path = e.fileName ? `${e.filePath && e.filePath !== '/' ? e.filePath : ''}/${e.fileName}` : '';
    printLine(`  ${e.entityType} ${path}${e.detectionName ? `  ${e.detectionName}` : ''}${e.detectionStatus ? `  ${e.detectionStatus}` : ''}`);
    if (e.sha1) printLine(`    sha1    ${e.sha1}`);
    if (e.sha256) printLine(`    sha256  ${e.sha256}`);
    if (e.fileSize !== undefined && e.fileSize !== null) printLine(`    size    ${e.fileSize} bytes`);
  }
  printLine(`comments (${a.comments.length}):`);
  for (const c of a.comments) printLine(`  ${time(c.createdTime)}  ${c.createdBy}: ${c.comment}`);
}
