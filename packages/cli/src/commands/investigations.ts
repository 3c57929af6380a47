import type { Command } from 'commander';
import type { CordonClient } from '@cordon/api-client';
import type { Investigation } from '@cordon/protocol';
import { addProfileOption, connect, type ConnectionOptions } from '../analyst/connection.js';
import { addFormatOption, emit, type FormatOptions } from '../analyst/format.js';
import { confirm } from '../analyst/prompt.js';
import { printLine, printTable, run } from '../analyst/output.js';
import { addListOptions, formatExamples, listQuery, odataString, type Example, type ListOptions, exampleLines } from './list-options.js';

interface DecisionOptions extends ConnectionOptions, FormatOptions {
  comment: string;
  yes?: boolean;
}

/** Shown under `investigations list --help`; each one is run against the server in the CLI tests. */
export const INVESTIGATION_LIST_EXAMPLES: Example[] = [
  { what: 'investigations waiting for an analyst', args: ['investigations', 'list', '--filter', "state eq 'PendingApproval'"] },
  { what: 'the investigations of one machine', args: ['investigations', 'list', '--machine', 'web01.contoso.local'] },
];

const time = (t: string | null) => (t ? t.slice(0, 19).replace('T', ' ') : '');

/** `cordon investigations list|show|approve|reject` (automated investigations; docs/extensions.md). */
export function registerInvestigationsCommand(program: Command): void {
  const investigations = program.command('investigations').description('list and show automated investigations, approve or reject their remediation').addHelpText('after', exampleLines('cordon investigations list', 'cordon investigations approve <id> --comment "quarantine the findings"'));

  addFormatOption(
    addListOptions(addProfileOption(investigations.command('list').description('list automated investigations (newest first)')), {
      filter: "state eq 'PendingApproval'",
      orderby: 'startTime desc',
      more: INVESTIGATION_LIST_EXAMPLES,
    }),
  )
    .option('--machine <machine>', 'only investigations of this machine (id, computer name or aadDeviceId)')
    .action(
      run(async (opts: ListOptions & ConnectionOptions & FormatOptions & { machine?: string }) => {
        const client = await connect(opts);
        const extra = opts.machine ? [`machineId eq ${odataString((await client.getMachine(opts.machine)).id)}`] : [];
        const query = listQuery(opts, extra);
        const rows = opts.all ? await client.listAllInvestigations(query) : (await client.listInvestigations(query)).value;
        emit(opts, rows, (wide) => {
          const header = ['ID', 'STATE', 'MACHINE', 'STARTED (UTC)', 'ENDED (UTC)', 'FINDINGS'];
          const row = (i: Investigation) => [i.id, i.state, i.computerDnsName || i.machineId, time(i.startTime), time(i.endTime), String(i.findings.length)];
          if (!wide) return printTable(header, rows.map(row));
          printTable([...header, 'DECISION', 'DECIDED BY', 'DETAILS'], rows.map((i) => [...row(i), i.decision ?? '', i.decidedBy ?? '', i.statusDetails ?? '']));
        });
      }),
    );

  addFormatOption(addProfileOption(investigations.command('show').description('show every field of one investigation, its findings and actions').argument('<investigationId>')).option('--json', 'print the raw entity'))
    .addHelpText('after', formatExamples([{ what: 'one investigation, as JSON', args: ['investigations', 'show', '63004', '--json'] }]))
    .action(
      run(async (id: string, opts: ConnectionOptions & FormatOptions) => {
        const inv = await (await connect(opts)).getInvestigation(id);
        emit(opts, inv, () => printInvestigation(inv));
      }),
    );

  addFormatOption(addProfileOption(investigations.command('approve').description('start the remediation a PendingApproval investigation holds back (StopAndQuarantineFile)').argument('<investigationId>')))
    .requiredOption('--comment <text>', 'why (recorded as decisionComment)')
    .option('-y, --yes', 'do not ask for confirmation on a terminal')
    .option('--json', 'print the updated entity')
    .addHelpText('after', formatExamples([{ what: 'quarantine what investigation 63004 found', args: ['investigations', 'approve', '63004', '--comment', 'miner confirmed'] }]))
    .action(
      run(async (id: string, opts: DecisionOptions) => {
        requireComment(opts);
        const client = await connect(opts);
        await confirmApproval(client, id, opts);
        const inv = await client.approveInvestigation(id, opts.comment);
        emit(opts, inv, () => printLine(`investigation ${inv.id}: ${inv.state}; remediating with ${inv.remediationActionIds.join(', ') || 'no actions'}`));
      }),
    );

  addFormatOption(addProfileOption(investigations.command('reject').description("decline a PendingApproval investigation's remediation (it ends TerminatedByUser)").argument('<investigationId>')))
    .requiredOption('--comment <text>', 'why (recorded as decisionComment)')
    .option('--json', 'print the updated entity')
    .addHelpText('after', formatExamples([{ what: 'leave the files of investigation 63004 alone', args: ['investigations', 'reject', '63004', '--comment', 'admin tool, expected'] }]))
    .action(
      run(async (id: string, opts: DecisionOptions) => {
        requireComment(opts);
        const inv = await (await connect(opts)).rejectInvestigation(id, opts.comment);
        emit(opts, inv, () => printLine(`investigation ${inv.id}: ${inv.state}`));
      }),
    );
}

function requireComment(opts: DecisionOptions): void {
  if (opts.comment.trim() === '') throw new Error('--comment must not be empty');
}

/**
 * Like isolate: on a terminal, show what approving quarantines and ask; without a terminal on
 * stdin (scripts, CI) it never asks.
 */
async function confirmApproval(client: CordonClient, id: string, opts: DecisionOptions): Promise<void> {
  if (opts.yes || !process.stdin.isTTY) return;
  const inv = await client.getInvestigation(id);
  const sha1s = [...new Set(inv.findings.map((f) => f.evidence.sha1).filter((s): s is string => s !== null))];
  process.stderr.write(`approve will stop and quarantine ${sha1s.length} file(s) on ${inv.computerDnsName || '(no name)'} (id ${inv.machineId}) for investigation ${inv.id} (${inv.state}):\n`);
  for (const f of inv.findings) if (f.evidence.sha1) process.stderr.write(`  ${f.evidence.sha1}  ${f.evidence.filePath ?? ''}  ${f.title}\n`);
  if (!(await confirm('Proceed? [y/N] '))) throw new Error('not confirmed; nothing was sent');
}

function printInvestigation(i: Investigation): void {
  const fields: Array<[string, unknown]> = [
    ['id', i.id],
    ['state', i.state],
    ['details', i.statusDetails],
    ['machine', `${i.computerDnsName} (${i.machineId})`],
    ['started', i.startTime],
    ['ended', i.endTime],
    ['cancelled by', i.cancelledBy],
    ['trigger alert', i.triggeringAlertId],
    ['package action', i.packageActionId],
    ['scan action', i.scanActionId],
    ['remediation', i.remediationActionIds.join(', ')],
    ['alerts', i.alertIds.join(', ')],
    ['decision', i.decision],
    ['decided by', i.decidedBy],
    ['decided', i.decisionTime],
    ['decision note', i.decisionComment],
  ];
  for (const [k, v] of fields) printLine(`${`${k}:`.padEnd(16)}${v ?? ''}`);
  printLine(`findings (${i.findings.length}):`);
  for (const f of i.findings) {
    printLine(`  [${f.severity}] ${f.title} (${f.ruleId})`);
    printLine(`    ${f.description}`);
    const e = f.evidence;
    for (const [k, v] of [['file', e.filePath], ['sha1', e.sha1], ['sha256', e.sha256], ['process', e.processId], ['command', e.commandLine], ['account', e.accountName], ['package', e.packagePath], ['alert', f.alertId], ['remediation', f.remediationActionId]] as const) {
      if (v !== null && v !== '') printLine(`    ${`${k}`.padEnd(12)}${v}`);
    }
  }
}
