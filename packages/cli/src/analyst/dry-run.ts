/**
 * `--dry-run` on the commands that create an action: print the one request the command would send
 * (method, absolute URL, JSON body) and send nothing, so an analyst can check what a command would
 * do to which machine before doing it.
 */
import { Option, type Command } from 'commander';
import { printJson, printLine } from './output.js';
import { resolveProfile, type ConnectionOptions } from './connection.js';

export interface DryRunOptions extends ConnectionOptions {
  dryRun?: boolean;
  json?: boolean;
}

export function addDryRunOption(command: Command): Command {
  return command.addOption(new Option('--dry-run', 'print the request (method, URL, JSON body) instead of sending it'));
}

/**
 * Prints the request: `POST <url>` then the body as indented JSON; with --json one document
 * `{method, url, body}`. The URL uses the signed-in server (profile or CORDON_SERVER) but nothing
 * is fetched, not even a token.
 */
export async function printDryRun(opts: DryRunOptions, method: string, path: string, body: unknown): Promise<void> {
  const url = await dryRunUrl(opts, path);
  if (opts.json) return printJson({ method, url, body });
  printLine(`${method} ${url}`);
  printLine(JSON.stringify(body, null, 2));
}

/** The absolute URL of `path` on the signed-in server (profile or CORDON_SERVER), without fetching anything. */
export async function dryRunUrl(opts: ConnectionOptions, path: string): Promise<string> {
  const { server } = await resolveProfile(opts);
  return `${server.replace(/\/+$/, '')}${path}`;
}

/** The path of `POST /api/machines/{id}/<segment>`, the machine URL-encoded as the client sends it. */
export function machineActionPath(machine: string, segment: string): string {
  return `/api/machines/${encodeURIComponent(machine)}/${segment}`;
}
