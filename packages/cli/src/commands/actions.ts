import { Option, type Command } from 'commander';
import type { MachineActionEntity } from '@cordon/api-client';
import { ACTION_STATUSES, ACTION_TYPES } from '@cordon/protocol';
import { addProfileOption, connect, type ConnectionOptions } from '../analyst/connection.js';
import { clientSource, interruptSignal, printAction, stillRunningHint, watchAction, type FollowOptions } from '../analyst/follow.js';
import { formatSeconds } from '../analyst/duration.js';
import { printActionDetails } from '../analyst/details.js';
import { stdoutPaint } from '../analyst/colour.js';
import { addFormatOption, emit, type FormatOptions } from '../analyst/format.js';
import { intervalOption, timeoutOption } from '../analyst/wait-options.js';
import { ACTION_HEADER, ACTION_STATUS_COLUMNS, actionRow, describeAction, EXIT, exitCodeFor, formatError, printLine, printTable, run } from '../analyst/output.js';
import { addListOptions, exampleLines, listQuery, odataString, type Example, type ListOptions } from './list-options.js';

interface ActionsListOptions extends ListOptions, ConnectionOptions {
  json?: boolean;
  machine?: string;
  status?: string;
  type?: string;
}

/** Shown under `actions list --help`; each one is run against the server in the CLI tests. */
export const ACTION_LIST_EXAMPLES: Example[] = [
  { what: 'actions still waiting for their machine', args: ['actions', 'list', '--filter', "status eq 'Pending'"] },
  { what: 'isolations of one machine, by name', args: ['actions', 'list', '--machine', 'web01.contoso.local', '--type', 'Isolate'] },
  { what: 'failed actions since a date', args: ['actions', 'list', '--filter', "status eq 'Failed' and creationDateTimeUtc gt 2026-01-01T00:00:00Z"] },
  { what: 'the 10 oldest actions', args: ['actions', 'list', '--orderby', 'creationDateTimeUtc asc', '--top', '10'] },
];

/** `cordon actions list|get|cancel|watch` (mde-api.md §4.2, §4.8). */
export function registerActionsCommand(program: Command): void {
  const actions = program.command('actions').description('list, show, cancel and watch machine actions').addHelpText('after', exampleLines("cordon actions list --status Pending", 'cordon actions watch <actionId>'));

  addFormatOption(
    addListOptions(addProfileOption(actions.command('list').description('list machine actions (newest first)')), {
      filter: "status eq 'Pending'",
      orderby: 'creationDateTimeUtc desc',
      more: ACTION_LIST_EXAMPLES,
    }),
    ['cordon actions list --query "[].id"', `cordon actions list --query "[?status=='Failed'].{id: id, machine: computerDnsName, error: errorMessage}"`],
  )
    .option('--machine <machine>', 'only actions on this machine (id, computer name or aadDeviceId)')
    .addOption(new Option('--status <status>', 'only actions with this status').choices(ACTION_STATUSES))
    .addOption(new Option('--type <type>', 'only actions of this type').choices(ACTION_TYPES))
    .action(
      run(async (opts: ActionsListOptions & FormatOptions) => {
        const client = await connect(opts);
        const extra: string[] = [];
        // The server resolves a name as the action verbs do (and refuses an ambiguous one); the
        // filter itself can only match the id.
        if (opts.machine) extra.push(`machineId eq ${odataString((await client.getMachine(opts.machine)).id)}`);
        if (opts.status) extra.push(`status eq ${odataString(opts.status)}`);
        if (opts.type) extra.push(`type eq ${odataString(opts.type)}`);
        const query = listQuery(opts, extra);
        const rows = opts.all ? await client.listAllMachineActions(query) : (await client.listMachineActions(query)).value;
        emit(opts, rows, (wide) => {
          if (!wide) return printTable(ACTION_HEADER, rows.map(actionRow), ACTION_STATUS_COLUMNS);
          printTable([...ACTION_HEADER, 'UPDATED (UTC)', 'COMMENT', 'ERROR'], rows.map((a) => [...actionRow(a), a.lastUpdateDateTimeUtc.slice(0, 19).replace('T', ' '), a.requestorComment, a.errorMessage ?? '']), ACTION_STATUS_COLUMNS);
        });
      }),
    );

  addFormatOption(addProfileOption(actions.command('get').description('show every field of one machine action (commands, result, errors)').argument('<actionId>')).option('--json', 'print the raw entity'), ['cordon actions get <id> --query status', 'cordon actions get <id> --query "commands[].commandStatus"'])
    .addHelpText('after', exampleLines('cordon actions get <actionId>', 'cordon actions get <actionId> -o yaml'))
    .action(
      run(async (id: string, opts: ConnectionOptions & FormatOptions) => {
        const action = await (await connect(opts)).getMachineAction(id);
        emit(opts, action, () => printActionDetails(action));
      }),
    );

  addProfileOption(actions.command('cancel').description('cancel a Pending or InProgress action').argument('<actionId>'))
    .requiredOption('--comment <text>', 'why (recorded as cancellationComment)')
    .option('--json', 'print the raw entity')
    .addHelpText('after', exampleLines('cordon actions cancel <actionId> --comment "false positive"'))
    .action(
      run(async (id: string, opts: ConnectionOptions & { json?: boolean; comment: string }) => {
        printAction(await (await connect(opts)).cancelMachineAction(id, opts.comment), opts.json);
      }),
    );

  addProfileOption(actions.command('watch').description('print each status change until the action is final').argument('<actionId>'))
    .addOption(timeoutOption('watching'))
    .addOption(intervalOption('watching'))
    .option('--json', 'print each changed entity as one JSON line')
    .addHelpText('after', exampleLines('cordon actions watch <actionId>', 'cordon actions watch <actionId> --timeout 10m --json | jq -r .status'))
    .action(
      run(async (id: string, opts: ConnectionOptions & FollowOptions) => {
        const client = await connect(opts);
        let last = '';
        const paint = stdoutPaint();
        const show = (a: MachineActionEntity) => {
          // One line per change: a status change or any other update of the action.
          if (`${a.status}|${a.lastUpdateDateTimeUtc}` === last) return;
          last = `${a.status}|${a.lastUpdateDateTimeUtc}`;
          printLine(opts.json ? JSON.stringify(a) : `${a.lastUpdateDateTimeUtc}  ${paint.line(describeAction(a))}`);
        };
        const interrupt = interruptSignal();
        try {
          // Starts from the stream's first event (the action as it is now) or a first fetch; the
          // stand-in entity only carries the id.
          const start = { id, status: 'Pending' } as MachineActionEntity;
          const outcome = await watchAction(clientSource(client), start, opts, { onUpdate: show, onRetry: (why, inMs) => process.stderr.write(`${why}; retrying in ${formatSeconds(inMs)}\n`) }, { interrupt: interrupt.signal });
          switch (outcome.kind) {
            case 'final':
              return exitCodeFor(outcome.action.status);
            case 'timeout':
              if (outcome.unreachable === undefined) return EXIT.stillRunning;
              process.stderr.write(`${formatError(outcome.unreachable)}\n`);
              return EXIT.unreachable;
            case 'unreachable':
              process.stderr.write(`${formatError(outcome.error)}\n`);
              return EXIT.unreachable;
            case 'interrupted':
              process.stderr.write(`cordon: stopped watching; ${stillRunningHint(outcome.action)}\n`);
              return EXIT.interrupted;
          }
        } finally {
          interrupt.dispose();
        }
      }),
    );
}
