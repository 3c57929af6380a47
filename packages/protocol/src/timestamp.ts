/**
 * MDE timestamps: ISO 8601 UTC with exactly 7 fractional digits, e.g. `2019-01-02T14:39:38.2262283Z`
 * (mde-api.md §4.1). Cordon stores them in this same fixed-width form, so they sort the same as
 * text on every engine.
 */

/**
 * Formats epoch milliseconds (fractions kept down to 100 ns) as an MDE timestamp.
 * @example toMdeTimestamp(0) === '1970-01-01T00:00:00.0000000Z'
 */
export function toMdeTimestamp(epochMs: number): string {
  const wholeMs = Math.floor(epochMs);
  const ticks = Math.round((epochMs - wholeMs) * 10_000); // 100 ns units below the millisecond (round: float noise)
  const iso = new Date(wholeMs).toISOString(); // YYYY-MM-DDTHH:mm:ss.sssZ
  return `${iso.slice(0, 23)}${String(Math.min(ticks, 9999)).padStart(4, '0')}Z`;
}

/** Parses an MDE timestamp (or any ISO 8601 instant) back to epoch milliseconds; NaN if invalid. */
export function fromMdeTimestamp(text: string): number {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,7}))?Z$/.exec(text);
  if (!m) return Date.parse(text);
  const fraction = (m[2] ?? '').padEnd(7, '0');
  const base = Date.parse(`${m[1]}Z`);
  return base + Number(fraction) / 10_000;
}
