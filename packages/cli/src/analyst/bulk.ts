/**
 * Acting on many machines: `--tag T` or `--filter <OData>` in place of one machine, on every action
 * verb and on `machines tag`. The server has no bulk API, so the machines are listed through the
 * API (every page), shown, confirmed, and then sent one request each, in name order, with a
 * progress line per machine on stderr and a summary at the end.
 */
import { type Command } from 'commander';
import { isCordonApiError, type CordonClient, type MachineEntity } from '@cordon/api-client';
import { EXIT, formatError, printJson, printLine } from './output.js';
import { confirm } from './prompt.js';
import { odataString } from '../commands/list-options.js';

export interface BulkOptions {
  tag?: string;
  filter?: string;
  yes?: boolean;
  wait?: boolean;
  json?: boolean;
}

/** How many names the confirmation shows before "… and N more". */
const SHOWN_NAMES = 10;

export function addBulkOptions(command: Command): Command {
  return command
    .option('--tag <tag>', 'instead of one machine: every machine with this tag')
    .option('--filter <odata>', `instead of one machine: every machine this OData $filter matches, e.g. "healthStatus eq 'Active'"`);
}

/**
 * The $filter that chooses the machines, or undefined when one machine is named. Refuses a machine
 * together with --tag/--filter, neither, and --wait with many (nothing has been sent yet).
 */
export function bulkFilter(machine: string | undefined, opts: BulkOptions): string | undefined {
  const tag = opts.tag === undefined ? undefined : `machineTags/any(t: t eq ${odataString(opts.tag)})`;
  if (machine !== undefined && (tag || opts.filter !== undefined)) throw new Error('name one machine, or choose machines with --tag/--filter, not both');
  if (machine === undefined && !tag && opts.filter === undefined) throw new Error('name a machine, or choose machines with --tag <tag> or --filter <odata>');
  if (machine !== undefined) return undefined;
  // Following many actions would fold their outcomes into one exit code and one redrawn line; the
  // progress lines print every action id instead, for `actions watch` or `actions list`.
  if (opts.wait) throw new Error('--wait follows one action: with --tag/--filter, follow each with cordon actions watch <id>, or cordon actions list --status Pending');
  if (tag && opts.filter !== undefined) return `(${opts.filter}) and ${tag}`;
  return tag ?? opts.filter;
}

/** Every machine the filter matches (all pages), by name so the progress reads in order. */
export async function bulkTargets(client: CordonClient, filter: string): Promise<MachineEntity[]> {
  const machines = await client.listAllMachines({ filter, orderby: 'computerDnsName asc' });
  if (machines.length === 0) throw new Error(`no machine matches ${filter}; nothing was sent`);
  return machines;
}

const nameOf = (m: MachineEntity) => m.computerDnsName || m.id;
const plural = (n: number) => `${n} machine${n === 1 ? '' : 's'}`;

/** `isolate will act on 3 machines: a, b, c` (the first ten names, then how many more). */
export function describeTargets(verb: string, machines: readonly MachineEntity[], would = false): string {
  const names = machines.slice(0, SHOWN_NAMES).map(nameOf).join(', ');
  const more = machines.length > SHOWN_NAMES ? `, … and ${machines.length - SHOWN_NAMES} more` : '';
  return `${verb} ${would ? 'would act' : 'will act'} on ${plural(machines.length)}: ${names}${more}`;
}

/**
 * Shows the machines on stderr, then: --yes goes ahead; a terminal asks `Proceed? [y/N]`; without a
 * terminal (scripts, CI) many machines need --yes, so a filter that matched more than expected never
 * acts unattended.
 */
export async function confirmBulk(verb: string, machines: readonly MachineEntity[], opts: BulkOptions): Promise<void> {
  process.stderr.write(`${describeTargets(verb, machines)}\n`);
  if (opts.yes) return;
  if (!process.stdin.isTTY) throw new Error(`acting on ${plural(machines.length)} needs --yes when stdin is not a terminal; nothing was sent`);
  if (!(await confirm('Proceed? [y/N] '))) throw new Error('not confirmed; nothing was sent');
}

interface Outcome<T> {
  machine: MachineEntity;
  result?: T;
  error?: unknown;
}

const errorText = (err: unknown) => formatError(err).replace(/^cordon: /, '');
const errorJson = (err: unknown) => (isCordonApiError(err) ? { code: err.code, message: err.message, ...(err.target ? { target: err.target } : {}) } : { code: 'CliError', message: err instanceof Error ? err.message : String(err) });

/**
 * Sends to each machine in turn: `[3/40] host-a: <what send returned>` or `[3/40] host-a: refused:
 * <code>: <message>` on stderr, then the summary (`40 machines: 38 sent, 2 refused`) on stdout, or
 * with --json one document `{machines, sent, refused, notSent, results: [{machineId,
 * computerDnsName, <key>: entity | error: {code, message}}]}`. A server that cannot be reached stops
 * the run (the rest are not sent). Exit 0 when all were accepted, 8 when some were refused, 1 when
 * all were, 6 when the server could not be reached.
 */
export async function sendToEach<T>(
  machines: readonly MachineEntity[],
  send: (machine: MachineEntity) => Promise<T>,
  shown: (result: T) => string,
  output: { json?: boolean; key: string },
): Promise<number> {
  const outcomes: Outcome<T>[] = [];
  let unreachable = false;
  for (const [i, machine] of machines.entries()) {
    const prefix = `[${i + 1}/${machines.length}] ${nameOf(machine)}`;
    try {
      const result = await sendThrottled(() => send(machine), (seconds) => process.stderr.write(`${prefix}: rate limited by the server; retrying in ${seconds}s\n`));
      outcomes.push({ machine, result });
      process.stderr.write(`${prefix}: ${shown(result)}\n`);
    } catch (err) {
      if (isCordonApiError(err) && err.status === 0) {
        process.stderr.write(`${prefix}: not sent: ${errorText(err)}\n`);
        unreachable = true;
        break;
      }
      outcomes.push({ machine, error: err });
      process.stderr.write(`${prefix}: refused: ${errorText(err)}\n`);
    }
  }
  const sent = outcomes.filter((o) => o.error === undefined).length;
  const refused = outcomes.length - sent;
  const notSent = machines.length - outcomes.length;
  if (output.json) {
    printJson({
      machines: machines.length,
      sent,
      refused,
      notSent,
      results: outcomes.map((o) => ({ machineId: o.machine.id, computerDnsName: o.machine.computerDnsName, ...(o.error === undefined ? { [output.key]: o.result } : { error: errorJson(o.error) }) })),
    });
  } else {
    printLine(`${plural(machines.length)}: ${sent} sent, ${refused} refused${notSent > 0 ? `, ${notSent} not sent (server unreachable)` : ''}`);
  }
  if (unreachable) return EXIT.unreachable;
  if (refused === 0) return EXIT.ok;
  return sent > 0 ? EXIT.partial : EXIT.error;
}

/** How often one machine's request is retried after a 429 before it counts as refused. */
const THROTTLE_RETRIES = 5;

/**
 * `send`, retried after each 429 when the server said how long to wait (MDE allows 100 action calls a
 * minute per operation, so a bulk run over more machines meets the limit by design), for at most
 * THROTTLE_RETRIES waits of at most a minute each. Any other refusal is returned at once.
 */
async function sendThrottled<T>(send: () => Promise<T>, waiting: (seconds: number) => void): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await send();
    } catch (err) {
      const seconds = isCordonApiError(err) && err.status === 429 ? err.retryAfterSeconds : null;
      if (seconds === null || attempt >= THROTTLE_RETRIES) throw err;
      const wait = Math.min(Math.max(seconds, 1), 60);
      waiting(wait);
      await new Promise((resolve) => setTimeout(resolve, wait * 1000));
    }
  }
}

/** `--dry-run` with many machines: every request, as `POST <url>` plus its body, or with --json one array of `{method, url, body}`. */
export function printBulkDryRun(requests: readonly { method: string; url: string; body: unknown }[], json: boolean | undefined): void {
  if (json) return printJson(requests);
  for (const r of requests) {
    printLine(`${r.method} ${r.url}`);
    printLine(JSON.stringify(r.body, null, 2));
  }
}
