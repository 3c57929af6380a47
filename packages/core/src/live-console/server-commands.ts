/**
 * The commands the server answers from the session's own state (runsOn `server`): help, cls,
 * status, jobs, fg, trace, library. Pure text builders; the session service stores the answer
 * as a Completed command with this output.
 */
import { LIVE_CONSOLE_COMMANDS, LIVE_CONSOLE_COMMAND_NAMES, isLiveConsoleCommand, type ParsedConsoleLine } from '@cordon/protocol';
import type { LiveCommandRecord, LiveSessionRecord } from '../ports/live-session-store.js';

export interface ServerCommandContext {
  session: LiveSessionRecord;
  /** The session's commands (without the opening probe). */
  commands: () => Promise<LiveCommandRecord[]>;
  /** A command's output so far. */
  outputOf: (commandId: number) => Promise<string>;
  libraryFiles: () => Promise<{ fileName: string; size: number; description: string | null }[]>;
  setTrace: (on: boolean) => Promise<void>;
}

/** What a server command answers: its output, or a failure message (status Failed). */
export type ServerCommandAnswer = { ok: true; output: string } | { ok: false; error: string };

export async function answerServerCommand(line: ParsedConsoleLine, ctx: ServerCommandContext): Promise<ServerCommandAnswer> {
  switch (line.command) {
    case 'help':
      return { ok: true, output: help(line.argv[0]) };
    case 'cls':
      return { ok: true, output: '' };
    case 'trace': {
      const want = line.argv[0];
      if (want === undefined) return { ok: true, output: `trace is ${ctx.session.trace ? 'on' : 'off'}\n` };
      await ctx.setTrace(want === 'on');
      return { ok: true, output: `trace ${want}\n` };
    }
    case 'library': {
      const files = await ctx.libraryFiles();
      if (files.length === 0) return { ok: true, output: 'The live response library is empty\n' };
      return { ok: true, output: files.map((f) => `${f.fileName}\t${f.size}\t${f.description ?? ''}`.trimEnd()).join('\n') + '\n' };
    }
    case 'jobs': {
      const running = (await ctx.commands()).filter((c) => c.status === 'Running');
      if (running.length === 0) return { ok: true, output: 'No commands are running\n' };
      return { ok: true, output: running.map((c) => `[${c.id}]\t${c.status}\t${c.commandLine}`).join('\n') + '\n' };
    }
    case 'status':
    case 'fg': {
      const id = Number(line.argv[0]);
      const cmd = (await ctx.commands()).find((c) => c.id === id);
      if (!cmd) return { ok: false, error: `This session has no command ${id}` };
      const head = `[${cmd.id}] ${cmd.commandLine}: ${cmd.status}${cmd.exitCode !== null ? ` (exit code ${cmd.exitCode})` : ''}\n`;
      return { ok: true, output: head + (await ctx.outputOf(cmd.id)) };
    }
    default:
      return { ok: false, error: `'${line.command}' is not answered by the server` };
  }
}

function help(topic: string | undefined): string {
  if (topic !== undefined) {
    const name = topic.toLowerCase();
    if (!isLiveConsoleCommand(name)) return `Unknown command '${topic}'. Type help to list the commands\n`;
    const spec = LIVE_CONSOLE_COMMANDS[name];
    return `${spec.usage}\n  ${spec.summary}${spec.level === 'advanced' ? ' (Live response advanced)' : ''}\n`;
  }
  const rows = LIVE_CONSOLE_COMMAND_NAMES.filter((n) => LIVE_CONSOLE_COMMANDS[n].runsOn !== 'unavailable').map((n) => `${n.padEnd(12)} ${LIVE_CONSOLE_COMMANDS[n].summary}`);
  return `${rows.join('\n')}\nAdd -output json to print a command's table as JSON, and & to run it in the background.\n`;
}
