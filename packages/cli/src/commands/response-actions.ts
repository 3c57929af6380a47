import { Option, type Command } from 'commander';
import type { CordonClient, MachineActionEntity } from '@cordon/api-client';
import { ACTION_SPECS, type ActionType, type CliFlagSpec } from '@cordon/protocol';
import { addProfileOption, connect, type ConnectionOptions } from '../analyst/connection.js';
import { followAction, printAction, type FollowOptions } from '../analyst/follow.js';
import { run } from '../analyst/output.js';
import { confirm } from '../analyst/prompt.js';
import { addWaitOptions } from '../analyst/wait-options.js';
import { addDryRunOption, dryRunUrl, machineActionPath, printDryRun, type DryRunOptions } from '../analyst/dry-run.js';
import { addBulkOptions, bulkFilter, bulkTargets, confirmBulk, describeTargets, printBulkDryRun, sendToEach, type BulkOptions } from '../analyst/bulk.js';
import { formatExamples, type Example } from './list-options.js';

interface ActionOptions extends ConnectionOptions, FollowOptions, DryRunOptions, BulkOptions {
  comment: string;
  wait?: boolean;
  yes?: boolean;
  [flag: string]: unknown;
}

interface Verb {
  name: string;
  description: string;
  type: ActionType;
  /** The action's route segment: `POST /api/machines/{id}/<segment>`. */
  segment: string;
  /** Ask before sending, on a terminal (the catalog's `cli.confirm`). */
  confirm: boolean;
  flags: readonly CliFlagSpec[];
}

/**
 * One verb per action catalog entry that has a `cli` verb (mde-api.md §4.3–§4.7); all share
 * --comment/--wait/--json/--dry-run. The catalog says which flags fill which body fields.
 */
const VERBS: readonly Verb[] = ACTION_SPECS.flatMap((s) => (s.cli ? [{ name: s.cli.verb, description: s.cli.description, type: s.type, segment: s.segment, confirm: s.cli.confirm === true, flags: s.cli.flags ?? [] }] : []));

function addFlag(command: Command, flag: CliFlagSpec): Command {
  if (flag.required) return command.requiredOption(flag.flags, flag.description);
  const option = new Option(flag.flags, flag.description);
  if (flag.choices) option.choices([...flag.choices]);
  if (flag.default !== undefined) option.default(flag.default);
  return command.addOption(option);
}

/** The request body: the comment, then each flag given (a flag left out leaves its field out). */
function bodyOf(verb: Verb, command: Command, opts: ActionOptions): Record<string, unknown> {
  const body: Record<string, unknown> = { Comment: opts.comment };
  for (const flag of verb.flags) {
    const key = command.options.find((o) => o.flags === flag.flags)!.attributeName();
    if (opts[key] !== undefined) body[flag.field] = opts[key];
  }
  return body;
}

/**
 * On a terminal, a verb that cuts a machine off or destroys something first shows the machine the
 * name resolves to and asks; the action then goes to that machine's id, so what was shown is what
 * is acted on. Without a terminal on stdin (scripts, CI, pipes) it never asks, as before.
 */
async function confirmedTarget(client: CordonClient, verb: Verb, machine: string, opts: ActionOptions): Promise<string> {
  if (!verb.confirm || opts.yes || !process.stdin.isTTY) return machine;
  const found = await client.getMachine(machine);
  process.stderr.write(`${verb.name} will act on ${found.computerDnsName || '(no name)'} (id ${found.id})\n`);
  if (!(await confirm('Proceed? [y/N] '))) throw new Error('not confirmed; nothing was sent');
  return found.id;
}

async function send(client: CordonClient, verb: Verb, machine: string, body: Record<string, unknown>): Promise<MachineActionEntity> {
  return client.createResponseAction(verb.type, machine, body);
}

/**
 * The same action on every machine `filter` matches: listed (all pages), shown and confirmed, then
 * one request per machine. `--dry-run` lists the machines (a read) and prints every request.
 */
async function sendToMany(verb: Verb, filter: string, body: Record<string, unknown>, opts: ActionOptions): Promise<number | void> {
  const client = await connect(opts);
  const machines = await bulkTargets(client, filter);
  if (opts.dryRun) {
    process.stderr.write(`${describeTargets(verb.name, machines, true)}\n`);
    const requests = await Promise.all(machines.map(async (m) => ({ method: 'POST', url: await dryRunUrl(opts, machineActionPath(m.id, verb.segment)), body })));
    return printBulkDryRun(requests, opts.json);
  }
  await confirmBulk(verb.name, machines, opts);
  return sendToEach(machines, (m) => send(client, verb, m.id, body), (a) => `${a.status} (action ${a.id})`, { json: opts.json, key: 'action' });
}

/** Values for a required flag in the `--help` examples. */
const EXAMPLE_VALUES: Record<string, string> = { Sha1: 'da39a3ee5e6b4b0d3255bfef95601890afd80709' };

function examplesOf(verb: Verb): Example[] {
  const required = verb.flags.filter((f) => f.required).flatMap((f) => [f.flags.split(' ')[0]!, EXAMPLE_VALUES[f.field] ?? '<value>']);
  const args = (...rest: string[]) => [verb.name, ...rest, ...required];
  return [
    { what: 'one machine, by computer name (or id)', args: args('web01.contoso.local', '--comment', 'suspicious beaconing') },
    { what: 'and wait until it is final (exit code 0 only when it Succeeded)', args: args('web01', '--comment', 'contain', '--wait', '--timeout', '5m') },
    { what: 'every machine tagged prod, without asking (scripts, CI)', args: args('--tag', 'prod', '--comment', 'incident 4711', '--yes') },
    { what: 'print the request for every active machine, send nothing', args: args('--filter', "healthStatus eq 'Active'", '--comment', 'drill', '--dry-run') },
  ];
}

/** `cordon isolate|release|restrict|unrestrict|scan|quarantine|restore|collect|offboard <machine>|--tag T|--filter F --comment ...` */
export function registerResponseActionCommands(program: Command): void {
  for (const verb of VERBS) {
    let command = program
      .command(verb.name)
      .description(verb.description)
      .argument('[machine]', 'machine id, computer name or aadDeviceId (or choose machines with --tag/--filter)')
      .requiredOption('--comment <text>', 'why (recorded as requestorComment)');
    for (const flag of verb.flags) command = addFlag(command, flag);
    command = addBulkOptions(command);
    command = command.option('-y, --yes', verb.confirm ? 'do not ask for confirmation on a terminal; needed with --tag/--filter when stdin is not one' : 'with --tag/--filter: do not ask for confirmation; needed when stdin is not a terminal');
    command = addDryRunOption(addWaitOptions(addProfileOption(command))).addHelpText('after', formatExamples(examplesOf(verb)));
    const self = command;
    command.action(
      run(async (named: string | undefined, opts: ActionOptions) => {
        const body = bodyOf(verb, self, opts);
        const filter = bulkFilter(named, opts);
        if (filter !== undefined) return sendToMany(verb, filter, body, opts);
        const machine = named!;
        if (opts.dryRun) return printDryRun(opts, 'POST', machineActionPath(machine, verb.segment), body);
        const client = await connect(opts);
        const action = await send(client, verb, await confirmedTarget(client, verb, machine, opts), body);
        if (!opts.wait) return printAction(action, opts.json);
        const { action: final, code } = await followAction(client, action, opts);
        printAction(final, opts.json);
        return code;
      }),
    );
  }
}

/** Kept here for the commands that import it from this module; defined with the other wait flags. */
export { addWaitOptions };
