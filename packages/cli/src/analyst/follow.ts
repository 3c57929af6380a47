/** `--wait` and `actions watch`: follow an action until it is final, then pick the exit code. */
import { waitForAction, type CordonClient, type MachineActionEntity } from '@cordon/api-client';
import { describeAction, exitCodeFor, EXIT, printJson, printLine } from './output.js';
import { startSpinner } from './progress.js';

export interface FollowOptions {
  json?: boolean;
  /** Seconds; give up waiting after this long (exit 5). */
  timeout?: string;
  /** Poll period in seconds. */
  interval?: string;
}

export async function followAction(client: CordonClient, action: MachineActionEntity, opts: FollowOptions): Promise<{ action: MachineActionEntity; code: number }> {
  const spinner = startSpinner(describeAction(action));
  const signal = opts.timeout ? AbortSignal.timeout(seconds(opts.timeout, '--timeout') * 1000) : undefined;
  let last = action;
  try {
    last = await waitForAction((id) => client.getMachineAction(id), action.id, {
      intervalMs: opts.interval ? seconds(opts.interval, '--interval') * 1000 : 2000,
      signal,
      onUpdate: (a) => {
        last = a;
        spinner.update(describeAction(a));
      },
    });
  } catch (err) {
    if (signal?.aborted) {
      spinner.stop(`still ${last.status} after ${opts.timeout}s: ${describeAction(last)}`);
      return { action: last, code: EXIT.stillRunning };
    }
    spinner.stop();
    throw err;
  }
  spinner.stop();
  return { action: last, code: exitCodeFor(last.status) };
}

/** Prints a created or final action: the raw entity with --json, else one summary line. */
export function printAction(action: MachineActionEntity, json: boolean | undefined): void {
  if (json) printJson(action);
  else printLine(describeAction(action));
}

export function seconds(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${flag} must be a positive number of seconds, got ${value}`);
  return n;
}
