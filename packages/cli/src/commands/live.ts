import type { Command } from 'commander';
import { join } from 'node:path';
import type { CordonClient, MachineActionEntity } from '@cordon/api-client';
import { downloadToFile } from '@cordon/api-client/node';
import type { LiveResponseCommand } from '@cordon/protocol';
import { addProfileOption, connect, type ConnectionOptions } from '../analyst/connection.js';
import { followAction, printAction, type FollowOptions } from '../analyst/follow.js';
import { printLine, run } from '../analyst/output.js';
import { addWaitOptions } from './response-actions.js';

interface LiveOptions extends ConnectionOptions, FollowOptions {
  comment: string;
  put: string[];
  script?: string;
  args?: string;
  get: string[];
  wait?: boolean;
  outputDir: string;
}

const collect = (value: string, previous: string[]) => [...previous, value];

/**
 * `cordon live run <machine> --put f --script s --args ... --get path`: one live response action
 * whose commands run in the only allowed order, PutFile → RunScript → GetFile (mde-api.md §4.9).
 * With --wait, prints each script's output and saves fetched files into --output-dir.
 */
export function registerLiveCommand(program: Command): void {
  const live = program.command('live').description('live response');
  const runCommand = live
    .command('run')
    .description('run library scripts and fetch files on a machine')
    .argument('<machine>', 'machine id')
    .requiredOption('--comment <text>', 'why (recorded as requestorComment)')
    .option('--put <libraryFile>', 'copy a library file to the machine (repeatable)', collect, [])
    .option('--script <libraryScript>', 'library script to run')
    .option('--args <string>', 'arguments for --script')
    .option('--get <path>', 'fetch a file from the machine (repeatable)', collect, [])
    .option('--output-dir <dir>', 'with --wait: where fetched files are saved', '.');
  addWaitOptions(addProfileOption(runCommand)).action(
    run(async (machine: string, opts: LiveOptions) => {
      const commands = buildCommands(opts);
      const client = await connect(opts);
      const action = await client.runLiveResponse(machine, commands, opts.comment);
      if (!opts.wait) return printAction(action, opts.json);
      const { action: final, code } = await followAction(client, action, opts);
      printAction(final, opts.json);
      if (!opts.json) await fetchResults(client, final, opts.outputDir);
      return code;
    }),
  );
}

export function buildCommands(opts: Pick<LiveOptions, 'put' | 'script' | 'args' | 'get'>): LiveResponseCommand[] {
  if (opts.args !== undefined && !opts.script) throw new Error('--args needs --script');
  const commands: LiveResponseCommand[] = opts.put.map((f) => ({ type: 'PutFile', params: [{ key: 'FileName', value: f }] }));
  if (opts.script) {
    const params = [{ key: 'ScriptName', value: opts.script }];
    if (opts.args !== undefined) params.push({ key: 'Args', value: opts.args });
    commands.push({ type: 'RunScript', params });
  }
  for (const path of opts.get) commands.push({ type: 'GetFile', params: [{ key: 'Path', value: path }] });
  if (commands.length === 0) throw new Error('nothing to do: pass --put, --script and/or --get');
  return commands;
}

/** Script transcripts go to stdout (MDE's `{script_name, exit_code, script_output, script_errors}`, §4.10); files to disk. */
async function fetchResults(client: CordonClient, action: MachineActionEntity, dir: string): Promise<void> {
  for (const entry of action.commands) {
    if (entry.commandStatus !== 'Completed' || entry.command.type === 'PutFile') continue;
    const link = await client.getLiveResponseResultDownloadLink(action.id, entry.index);
    if (entry.command.type === 'RunScript') {
      const transcript = await client.getScriptTranscript(link);
      printLine(`--- ${transcript.script_name ?? 'script'} (exit ${transcript.exit_code ?? '?'})`);
      if (transcript.script_output) process.stdout.write(ensureNewline(transcript.script_output));
      if (transcript.script_errors) process.stderr.write(ensureNewline(transcript.script_errors));
    } else {
      const remote = entry.command.params.find((p) => p.key === 'Path')?.value ?? `file-${entry.index}`;
      const file = join(dir, remote.split(/[\\/]/).pop() || `file-${entry.index}`);
      await downloadToFile(client, link, file);
      printLine(`saved ${remote} to ${file}`);
    }
  }
}

function ensureNewline(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}
