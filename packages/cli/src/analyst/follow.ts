/** `--wait` and `actions watch`: follow an action until it is final, then pick the exit code. */
import { waitForAction, type CordonClient, type MachineActionEntity } from '@cordon/api-client';
import { describeAction, exitCodeFor, EXIT, printJson, printLine } from './output.js';
import { startSpinner } from './progress.js';
import { formatSeconds } from './duration.js';
import { DEFAULT_INTERVAL_MS } from './wait-options.js';

export interface FollowOptions {
  json?: boolean;
  /** Milliseconds (parsed from a duration flag); give up waiting after this long (exit 5). */
  timeout?: number;
  /** Longest poll period in milliseconds. */
  interval?: number;
}

export async function followAction(client: CordonClient, action: MachineActionEntity, opts: FollowOptions): Promise<{ action: MachineActionEntity; code: number }> {
  const spinner = startSpinner(describeAction(action));
  const signal = opts.timeout ? AbortSignal.timeout(opts.timeout) : undefined;
  let last = action;
  try {
    last = await waitForAction((id) => client.getMachineAction(id), action.id, {
      intervalMs: opts.interval ?? DEFAULT_INTERVAL_MS,
      signal,
      onUpdate: (a) => {
        last = a;
        spinner.update(describeAction(a));
      },
    });
  } catch (err) {
    if (signal?.aborted) {
      spinner.stop(`still ${last.status} after ${formatSeconds(opts.timeout!)}: ${describeAction(last)}`);
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
