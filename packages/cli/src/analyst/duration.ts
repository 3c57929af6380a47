/**
 * Durations on the command line: `90s`, `5m`, `1h`, `1h30m`, `500ms`, or a plain number of seconds
 * (`2`, `0.5`), as kubectl and gh accept them. Parsed by commander while it reads the flags, so a bad
 * value stops the command before it sends anything.
 */
import { InvalidArgumentError } from 'commander';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const NUMBER = String.raw`(?:\d+(?:\.\d*)?|\.\d+)`;
const PLAIN_SECONDS = new RegExp(`^${NUMBER}$`);
const WITH_UNITS = new RegExp(`^(?:${NUMBER}(?:ms|s|m|h))+$`);
const PART = new RegExp(`(${NUMBER})(ms|s|m|h)`, 'g');

/** Milliseconds of a positive duration; throws a message naming the accepted forms otherwise. */
export function parseDuration(value: string): number {
  const text = value.trim();
  let ms: number;
  if (PLAIN_SECONDS.test(text)) ms = Number(text) * 1000;
  else if (WITH_UNITS.test(text)) ms = [...text.matchAll(PART)].reduce((sum, [, n, unit]) => sum + Number(n) * UNIT_MS[unit!]!, 0);
  else throw new Error(`expected a duration such as 90s, 5m, 1h or a number of seconds, got '${value}'`);
  if (!Number.isFinite(ms) || ms <= 0) throw new Error(`expected a duration greater than zero, got '${value}'`);
  return ms;
}

/** The commander argParser form of parseDuration: its error is reported as an invalid flag value. */
export function durationOption(value: string): number {
  try {
    return parseDuration(value);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
}

/** `0.2s`, `90s`, `3600s`: how long a duration was, for messages. */
export function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))}s`;
}
