/** The `--wait` flags shared by the response verbs and `live run`, checked before anything is sent. */
import { Option, type Command } from 'commander';
import { durationOption } from './duration.js';

/** Default longest poll period: MDE's own guidance keeps callers well under 100 calls a minute. */
export const DEFAULT_INTERVAL_MS = 2000;

export function timeoutOption(what: string): Option {
  return new Option('--timeout <duration>', `${what}: stop waiting after this long (exit 5), e.g. 90s, 5m, 1h or seconds`).argParser(durationOption);
}

export function intervalOption(what: string): Option {
  return new Option('--interval <duration>', `${what}: longest poll period, for a server without the event stream (polls start at 100ms and double up to it)`).argParser(durationOption).default(DEFAULT_INTERVAL_MS, '2s');
}

export function addWaitOptions(command: Command): Command {
  return command
    .option('--wait', 'follow the action until it is final; the exit code tells how it ended')
    .addOption(timeoutOption('with --wait'))
    .addOption(intervalOption('with --wait'))
    .option('--json', 'print the raw MachineAction entity')
    .hook('preAction', (cmd) => {
      // Without --wait these flags would be ignored after the action was sent: refuse them up front.
      const given = ['timeout', 'interval'].filter((name) => cmd.getOptionValueSource(name) === 'cli');
      if (!cmd.opts().wait && given.length > 0) cmd.error(`error: ${given.map((n) => `--${n}`).join(' and ')} only apply with --wait`);
    });
}
