/**
 * The contract of one console command module (commands/<name>.ts): it gets the command's argv, the
 * session's directory, an abort signal (cancel, timeout, close) and a writer for streamed text, and
 * returns what live/done reports. Modules touch the OS only through `platform` (house style 8.2
 * rule 6), and reuse the batch executors through `executorContext`.
 */
import type { LiveConsoleTable, LiveDoneParams } from '@cordon/protocol';
import type { ExecutorContext } from '../executors/types.js';
import type { Platform } from '../platform/types.js';

export interface LiveCommandContext {
  /** The arguments after the command name, split by the server (never a shell line). */
  argv: readonly string[];
  /** The session's directory when the command started. */
  cwd: string;
  /** Aborted on live/cancel, the command's timeout, live/close and agent shutdown. */
  signal: AbortSignal;
  /** Streams text to the console as it is produced. */
  write(text: string): void;
  platform: Platform;
  /** The MachineAction recording the command (getfile, collect upload their result to it), or null. */
  actionId: string | null;
  /** A batch executor's context for this command: same signal, files bound to `actionId`. */
  executorContext(): ExecutorContext;
  /** The agent's own pid (never killed or suspended). */
  agentPid: number;
}

export interface LiveCommandResult {
  /** Default Completed. */
  status?: 'Completed' | 'Failed';
  exitCode?: number;
  errors?: string[];
  /** The session's directory after the command (cd). */
  cwd?: string;
  table?: LiveConsoleTable;
  resultFile?: LiveDoneParams['resultFile'];
}

export interface LiveCommandModule {
  run(ctx: LiveCommandContext): Promise<LiveCommandResult>;
}

/** A failure the person at the console should read (anything else thrown is unexpected). */
export class LiveCommandError extends Error {
  override name = 'LiveCommandError';
}

export function failed(message: string): LiveCommandResult {
  return { status: 'Failed', exitCode: 1, errors: [message] };
}
