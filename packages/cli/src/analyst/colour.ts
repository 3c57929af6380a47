/**
 * Colour for status words (action and command statuses, machine health and isolation), and only
 * where a person reads it: on a terminal, with `NO_COLOR` unset or empty (https://no-color.org).
 * `FORCE_COLOR` (any value but `0`/`false`) turns it on in a pipe too and wins over NO_COLOR, as in
 * Node itself. The escape codes come from `picocolors`; colour is applied after a line is padded or
 * cut to the terminal width, so it never changes what fits.
 */
import picocolors from 'picocolors';
import type { Formatter } from 'picocolors/types.js';
import type { ActionStatus, CommandStatus, HealthStatus, IsolationState } from '@cordon/protocol';

type Hue = 'green' | 'red' | 'yellow' | 'cyan';

/** What each status word means at a glance: done, broken, needs a look, still going. */
const STATUS_HUES = {
  Succeeded: 'green',
  Completed: 'green',
  Active: 'green',
  NotIsolated: 'green',
  Failed: 'red',
  TimeOut: 'red',
  Isolated: 'red',
  Cancelled: 'yellow',
  Inactive: 'yellow',
  ImpairedCommunication: 'yellow',
  NoSensorData: 'yellow',
  NoSensorDataImpairedCommunication: 'yellow',
  SelectivelyIsolated: 'yellow',
  Pending: 'cyan',
  Created: 'cyan',
  InProgress: 'cyan',
} satisfies Partial<Record<ActionStatus | CommandStatus | HealthStatus | IsolationState, Hue>>;

export function colourEnabled(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  if (env.NO_COLOR) return false;
  return Boolean(stream.isTTY) && env.TERM !== 'dumb';
}

/** Paints status words of one stream's output; a no-op where that stream gets no colour. */
export interface StatusPainter {
  /** The word coloured when it is a known status, else as it is. */
  word(status: string): string;
  /** Every known status word in a line of text coloured. */
  line(text: string): string;
}

const WORDS = new RegExp(`\\b(${Object.keys(STATUS_HUES).join('|')})\\b`, 'g');

export function statusPainter(enabled: boolean): StatusPainter {
  const colours = picocolors.createColors(enabled);
  const hue = (status: string): Formatter | undefined => {
    const name = (STATUS_HUES as Record<string, Hue | undefined>)[status];
    return name ? colours[name] : undefined;
  };
  if (!enabled) return { word: (status) => status, line: (text) => text };
  return {
    word: (status) => hue(status)?.(status) ?? status,
    line: (text) => text.replace(WORDS, (w) => hue(w)!(w)),
  };
}

/** The painters for results (stdout) and for wait lines and progress (stderr). */
export const stdoutPaint = (): StatusPainter => statusPainter(colourEnabled(process.stdout));
export const stderrPaint = (): StatusPainter => statusPainter(colourEnabled(process.stderr));
