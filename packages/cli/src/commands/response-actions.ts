import { Option, type Command } from 'commander';
import type { CordonClient, MachineActionEntity } from '@cordon/api-client';
import { ISOLATION_TYPES, SCAN_TYPES, type IsolationType, type ScanType } from '@cordon/protocol';
import { addProfileOption, connect, type ConnectionOptions } from '../analyst/connection.js';
import { followAction, printAction, type FollowOptions } from '../analyst/follow.js';
import { run } from '../analyst/output.js';
import { addWaitOptions } from '../analyst/wait-options.js';

interface ActionOptions extends ConnectionOptions, FollowOptions {
  comment: string;
  wait?: boolean;
  type?: string;
  sha1?: string;
}

interface Verb {
  name: string;
  description: string;
  /** Extra flags of this verb. */
  options?: (command: Command) => Command;
  send(client: CordonClient, machine: string, opts: ActionOptions): Promise<MachineActionEntity>;
}

/** One entry per response action verb (mde-api.md §4.3–§4.7); all share --comment/--wait/--json. */
const VERBS: readonly Verb[] = [
  {
    name: 'isolate',
    description: 'isolate a machine from the network',
    options: (c) => c.addOption(new Option('--type <type>', 'isolation type').choices(ISOLATION_TYPES.filter((t) => t !== 'UnManagedDevice'))),
    send: (client, m, o) => client.isolate(m, o.comment, o.type as IsolationType | undefined),
  },
  { name: 'release', description: 'release a machine from isolation', send: (client, m, o) => client.unisolate(m, o.comment) },
  { name: 'restrict', description: 'restrict app execution to trusted software', send: (client, m, o) => client.restrictCodeExecution(m, o.comment) },
  { name: 'unrestrict', description: 'lift the app execution restriction', send: (client, m, o) => client.unrestrictCodeExecution(m, o.comment) },
  {
    name: 'scan',
    description: 'run an antivirus scan',
    options: (c) => c.addOption(new Option('--type <type>', 'scan type').choices([...SCAN_TYPES]).default('Quick')),
    send: (client, m, o) => client.runAntiVirusScan(m, o.comment, (o.type ?? 'Quick') as ScanType),
  },
  {
    name: 'quarantine',
    description: 'stop processes running a file and quarantine it',
    options: (c) => c.requiredOption('--sha1 <hash>', 'SHA-1 of the file'),
    send: (client, m, o) => client.stopAndQuarantineFile(m, o.comment, o.sha1!),
  },
  { name: 'collect', description: 'collect an investigation package (then: cordon package download)', send: (client, m, o) => client.collectInvestigationPackage(m, o.comment) },
  { name: 'offboard', description: 'offboard a machine', send: (client, m, o) => client.offboard(m, o.comment) },
];

/** `cordon isolate|release|restrict|unrestrict|scan|quarantine|collect|offboard <machine> --comment ...` */
export function registerResponseActionCommands(program: Command): void {
  for (const verb of VERBS) {
    let command = program
      .command(verb.name)
      .description(verb.description)
      .argument('<machine>', 'machine id, computer name or aadDeviceId')
      .requiredOption('--comment <text>', 'why (recorded as requestorComment)');
    command = addWaitOptions(addProfileOption(verb.options ? verb.options(command) : command));
    command.action(
      run(async (machine: string, opts: ActionOptions) => {
        const client = await connect(opts);
        const action = await verb.send(client, machine, opts);
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
