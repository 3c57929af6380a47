import type { Command } from 'commander';
import type { MachineEntity } from '@cordon/api-client';
import { addProfileOption, connect, type ConnectionOptions } from '../analyst/connection.js';
import { printJson, printLine, printTable, run } from '../analyst/output.js';
import { addFormatOption, emit, type FormatOptions } from '../analyst/format.js';
import { stdoutPaint } from '../analyst/colour.js';
import { listQuery, addListOptions, exampleLines, formatExamples, type Example, type ListOptions } from './list-options.js';
import { addBulkOptions, bulkFilter, bulkTargets, confirmBulk, describeTargets, printBulkDryRun, sendToEach, type BulkOptions } from '../analyst/bulk.js';
import { addDryRunOption, dryRunUrl, type DryRunOptions } from '../analyst/dry-run.js';

interface JsonOption extends ConnectionOptions {
  json?: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];

/** Shown under `machines list --help`; each one is run against the server in the CLI tests. */
export const MACHINE_LIST_EXAMPLES: Example[] = [
  { what: 'machines that report in', args: ['machines', 'list', '--filter', "healthStatus eq 'Active'"] },
  { what: 'isolated machines', args: ['machines', 'list', '--filter', "isolationState eq 'Isolated'"] },
  { what: 'machines tagged prod', args: ['machines', 'list', '--filter', "machineTags/any(t: t eq 'prod')"] },
  { what: 'machines whose name starts with web', args: ['machines', 'list', '--filter', "startswith(computerDnsName, 'web')"] },
  { what: 'the 20 machines seen longest ago', args: ['machines', 'list', '--orderby', 'lastSeen asc', '--top', '20'] },
  { what: 'every machine as JSON, following every page', args: ['machines', 'list', '--all', '--json'] },
];

/** `cordon machines list|get|tag` (mde-api.md §5, §4.12). */
export function registerMachinesCommand(program: Command): void {
  const machines = program.command('machines').description('list, show and tag machines').addHelpText('after', exampleLines("cordon machines list --filter \"healthStatus eq 'Active'\"", 'cordon machines get web01'));

  addFormatOption(
    addListOptions(addProfileOption(machines.command('list').description('list machines (newest lastSeen first)')), {
      filter: "healthStatus eq 'Active'",
      orderby: 'lastSeen desc',
      more: MACHINE_LIST_EXAMPLES,
    }),
    ['cordon machines list --query "[].computerDnsName"', `cordon machines list --query "[?isolationState=='Isolated'].{name: computerDnsName, lastSeen: lastSeen}"`],
  ).action(
    run(async (opts: ListOptions & JsonOption & FormatOptions) => {
      const client = await connect(opts);
      const query = listQuery(opts);
      const rows = opts.all ? await client.listAllMachines(query) : (await client.listMachines(query)).value;
      emit(opts, rows, (wide) => {
        const header = ['ID', 'NAME', 'OS', 'HEALTH', 'ISOLATION', 'LAST SEEN (UTC)', 'TAGS'];
        const row = (m: MachineEntity) => [m.id, m.computerDnsName, m.osPlatform, m.healthStatus, m.isolationState ?? '', m.lastSeen.slice(0, 19).replace('T', ' '), m.machineTags.join(',')];
        // HEALTH and ISOLATION are status words, coloured on a terminal.
        const statusColumns = [3, 4];
        if (!wide) return printTable(header, rows.map(row), statusColumns);
        printTable([...header, 'OS VERSION', 'LAST IP', 'AGENT', 'ONBOARDING', 'RESTRICTED'], rows.map((m) => [...row(m), m.osVersion ?? '', m.lastIpAddress ?? '', m.agentVersion ?? '', m.onboardingStatus ?? '', String(m.isRestricted ?? '')]), statusColumns);
      });
    }),
  );

  addFormatOption(addProfileOption(machines.command('get').description('show one machine by id or computer name').argument('<machine>')).option('--json', 'print the raw entity'), ['cordon machines get web01 --query machineTags', 'cordon machines get web01 --query "{id: id, ip: lastIpAddress}"'])
    .addHelpText('after', exampleLines('cordon machines get web01.contoso.local', 'cordon machines get <machineId> -o json'))
    .action(
    run(async (machine: string, opts: JsonOption & FormatOptions) => {
      const m = await (await connect(opts)).getMachine(machine);
      emit(opts, m, () => printMachine(m));
    }),
  );

  addDryRunOption(
    addBulkOptions(addProfileOption(machines.command('tag').description('add or remove machine tags, on one machine or on every machine --tag/--filter chooses').argument('[machine]', 'machine id, computer name or aadDeviceId (or choose machines with --tag/--filter)'))),
  )
    .option('--add <tag>', 'tag to add (repeatable)', collect, [])
    .option('--remove <tag>', 'tag to remove (repeatable)', collect, [])
    .option('-y, --yes', 'with --tag/--filter: do not ask for confirmation; needed when stdin is not a terminal')
    .option('--json', 'print the updated machine')
    .addHelpText(
      'after',
      formatExamples([
        { what: 'two tags on one machine', args: ['machines', 'tag', 'web01', '--add', 'prod', '--add', 'pci'] },
        { what: 'one tag off one machine', args: ['machines', 'tag', 'web01', '--remove', 'staging'] },
        { what: 'tag every machine whose name starts with web, without asking', args: ['machines', 'tag', '--filter', "startswith(computerDnsName, 'web')", '--add', 'frontend', '--yes'] },
        { what: 'print the requests that would move every staging machine to prod', args: ['machines', 'tag', '--tag', 'staging', '--add', 'prod', '--remove', 'staging', '--dry-run'] },
      ]),
    )
    .action(
      run(async (named: string | undefined, opts: JsonOption & BulkOptions & DryRunOptions & { add: string[]; remove: string[] }) => {
        if (opts.add.length + opts.remove.length === 0) throw new Error('pass --add <tag> and/or --remove <tag>');
        const filter = bulkFilter(named, opts);
        // The API takes one tag per call: adds first, then removals, in the order given.
        const changes = [...opts.add.map((tag) => [tag, 'Add'] as const), ...opts.remove.map((tag) => [tag, 'Remove'] as const)];
        const tagPath = (machine: string) => `/api/machines/${encodeURIComponent(machine)}/tags`;
        if (filter === undefined && opts.dryRun) {
          return printBulkDryRun(await Promise.all(changes.map(async ([Value, Action]) => ({ method: 'POST', url: await dryRunUrl(opts, tagPath(named!)), body: { Value, Action } }))), opts.json);
        }
        const client = await connect(opts);
        const retag = async (machine: string) => {
          let m: MachineEntity | undefined;
          for (const [tag, action] of changes) m = await client.tagMachine(machine, tag, action);
          return m!;
        };
        const tagsOf = (m: MachineEntity) => `tags ${m.machineTags.join(', ') || '(none)'}`;
        if (filter === undefined) {
          const m = await retag(named!);
          if (opts.json) printJson(m);
          else printLine(`${m.computerDnsName}: ${tagsOf(m)}`);
          return;
        }
        const targets = await bulkTargets(client, filter);
        if (opts.dryRun) {
          process.stderr.write(`${describeTargets('machines tag', targets, true)}\n`);
          const requests = targets.flatMap((t) => changes.map(([Value, Action]) => ({ t, body: { Value, Action } })));
          return printBulkDryRun(await Promise.all(requests.map(async ({ t, body }) => ({ method: 'POST', url: await dryRunUrl(opts, tagPath(t.id)), body }))), opts.json);
        }
        await confirmBulk('machines tag', targets, opts);
        return sendToEach(targets, (t) => retag(t.id), tagsOf, { json: opts.json, key: 'machine' });
      }),
    );
}

function printMachine(m: MachineEntity): void {
  const fields: Array<[string, unknown]> = [
    ['id', m.id],
    ['name', m.computerDnsName],
    ['os', `${m.osPlatform} ${m.osVersion ?? ''}`.trim()],
    ['health', m.healthStatus],
    ['isolation', m.isolationState],
    ['restricted', m.isRestricted],
    ['last seen', m.lastSeen],
    ['last ip', m.lastIpAddress],
    ['agent', m.agentVersion],
    ['tags', m.machineTags.join(', ')],
  ];
  const paint = stdoutPaint();
  for (const [k, v] of fields) printLine(`${`${k}:`.padEnd(12)}${k === 'health' || k === 'isolation' ? paint.word(String(v ?? '')) : (v ?? '')}`);
}
