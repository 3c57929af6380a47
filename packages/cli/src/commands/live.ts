import type { Command } from 'commander';
import { exampleLines } from './list-options.js';
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { CordonClient, MachineActionEntity } from '@cordon/api-client';
import { downloadToFile } from '@cordon/api-client/node';
import type { LiveResponseCommand } from '@cordon/protocol';
import { addProfileOption, connect, type ConnectionOptions } from '../analyst/connection.js';
import { followAction, printAction, type FollowOptions } from '../analyst/follow.js';
import { EXIT, printJson, printLine, run } from '../analyst/output.js';
import { addWaitOptions } from './response-actions.js';
import { addDryRunOption, machineActionPath, printDryRun, type DryRunOptions } from '../analyst/dry-run.js';
import { registerLiveShellCommand } from './live-shell.js';

interface LiveOptions extends ConnectionOptions, FollowOptions, DryRunOptions {
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
 * With --wait, prints each script's output and saves fetched files into --output-dir (with --json
 * too, printing `{action, results}`); a script that exits non-zero makes the exit code 7.
 */
export function registerLiveCommand(program: Command): void {
  const live = program.command('live').description('live response').addHelpText('after', exampleLines('cordon live shell web01', 'cordon live run web01 --comment triage --script collect.sh --wait'));
  registerLiveShellCommand(live);
  const runCommand = live
    .command('run')
    .description('run library scripts and fetch files on a machine')
    .argument('<machine>', 'machine id or computer name')
    .requiredOption('--comment <text>', 'why (recorded as requestorComment)')
    .option('--put <libraryFile>', 'copy a library file to the machine (repeatable)', collect, [])
    .option('--script <libraryScript>', 'library script to run')
    .option('--args <string>', 'arguments for --script')
    .option('--get <path>', 'fetch a file from the machine (repeatable)', collect, [])
    .option('--output-dir <dir>', 'with --wait: where fetched files are saved', '.')
    .addHelpText(
      'after',
      exampleLines(
        'cordon live run web01 --comment triage --script collect.sh --args "-v" --wait',
        'cordon live run web01 --comment evidence --get /var/log/auth.log --wait --output-dir ./evidence',
        'cordon live run web01 --comment tools --put tool.bin --script run-tool.sh --dry-run',
      ),
    );
  addDryRunOption(addWaitOptions(addProfileOption(runCommand))).action(
    run(async (machine: string, opts: LiveOptions) => {
      const commands = buildCommands(opts);
      // The same body client.runLiveResponse sends.
      if (opts.dryRun) return printDryRun(opts, 'POST', machineActionPath(machine, 'runliveresponse'), { Commands: commands, Comment: opts.comment });
      // Checked before the action is sent: finding out after the machine ran it would lose the files.
      if (opts.wait && opts.get.length > 0) await writableDirectory(opts.outputDir);
      const client = await connect(opts);
      const action = await client.runLiveResponse(machine, commands, opts.comment);
      if (!opts.wait) return printAction(action, opts.json);
      const { action: final, code } = await followAction(client, action, opts);
      if (!opts.json) printAction(final, false);
      const results = await fetchResults(client, final, opts.outputDir, !opts.json);
      // --json: one document, the final entity and what its commands produced.
      if (opts.json) printJson({ action: final, results });
      const scriptFailed = results.some((r) => r.type === 'RunScript' && r.exit_code !== 0);
      return code === EXIT.ok && scriptFailed ? EXIT.scriptFailed : code;
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

/** What one command produced: a script's transcript (MDE's shape, §4.10), or where a fetched file was saved. */
export type LiveResult =
  | { index: number; type: 'RunScript'; script_name?: string; exit_code?: number; script_output?: string; script_errors?: string }
  | { index: number; type: 'GetFile'; path: string; file: string };

/**
 * Fetches every completed command's result: files are saved under `dir`, transcripts returned
 * (and, when `print`, written out: output to stdout, errors to stderr).
 */
async function fetchResults(client: CordonClient, action: MachineActionEntity, dir: string, print: boolean): Promise<LiveResult[]> {
  const results: LiveResult[] = [];
  const names = new Set<string>();
  for (const entry of action.commands) {
    if (entry.commandStatus !== 'Completed' || entry.command.type === 'PutFile') continue;
    const link = await client.getLiveResponseResultDownloadLink(action.id, entry.index);
    if (entry.command.type === 'RunScript') {
      const transcript = await client.getScriptTranscript(link);
      results.push({ index: entry.index, type: 'RunScript', ...transcript });
      if (!print) continue;
      printLine(`--- ${transcript.script_name ?? 'script'} (exit ${transcript.exit_code ?? '?'})`);
      if (transcript.script_output) process.stdout.write(ensureNewline(transcript.script_output));
      if (transcript.script_errors) process.stderr.write(ensureNewline(transcript.script_errors));
    } else {
      const remote = entry.command.params.find((p) => p.key === 'Path')?.value ?? `file-${entry.index}`;
      const file = join(dir, uniqueName(remote.split(/[\\/]/).pop() || `file-${entry.index}`, names));
      await downloadToFile(client, link, file);
      results.push({ index: entry.index, type: 'GetFile', path: remote, file });
      if (print) printLine(`saved ${remote} to ${file}`);
    }
  }
  return results;
}

/** `auth.log`, then `auth-2.log`, `auth-3.log`: two fetched files of the same base name never overwrite each other. */
export function uniqueName(name: string, taken: Set<string>): string {
  const dot = name.lastIndexOf('.');
  const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
  let candidate = name;
  for (let n = 2; taken.has(candidate); n++) candidate = `${stem}-${n}${ext}`;
  taken.add(candidate);
  return candidate;
}

/** Refuses an --output-dir that is not a writable directory, before any request is sent. */
export async function writableDirectory(dir: string): Promise<void> {
  try {
    if (!(await stat(dir)).isDirectory()) throw new Error('not a directory');
    await access(dir, constants.W_OK);
  } catch (err) {
    throw new Error(`--output-dir ${dir} is not a writable directory (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}

function ensureNewline(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}
