/**
 * Runs the collectors concurrently, each under its own timeout and size cap. A collector that
 * throws, times out or overflows becomes a summary row (Failed, TimedOut, Truncated); it never fails
 * the package. Only the action's own signal (cancel) stops the whole run.
 */
import type { ReadFs } from '../../platform/read-fs.js';
import type { Exec } from '../../platform/types.js';
import { NotAvailableError, type Collector, type CollectorContext, type CollectorOutput } from './collector.js';
import { toCsv } from './csv.js';

export const COLLECTOR_STATUSES = ['Succeeded', 'Failed', 'TimedOut', 'Truncated', 'NotAvailable'] as const;
export type CollectorStatus = (typeof COLLECTOR_STATUSES)[number];

export interface SummaryRow {
  dataPoint: string;
  folder: string;
  command: string;
  status: CollectorStatus;
  error: string;
  bytes: number;
  durationMs: number;
}

export interface PackageFile {
  /** Path inside the zip, forward slashes. */
  name: string;
  data: Buffer;
}

/** Starts a timer and returns its canceller; injectable so tests fire timeouts without waiting. */
export type StartTimer = (ms: number, onFire: () => void) => () => void;

export const realTimer: StartTimer = (ms, onFire) => {
  const t = setTimeout(onFire, ms);
  return () => clearTimeout(t);
};

export interface RunCollectorsOptions {
  fs: ReadFs;
  exec: Exec;
  signal: AbortSignal;
  /** Epoch ms, for DurationMs. */
  now(): number;
  /** Per collector. */
  timeoutMs: number;
  /** Per collector output (all its files together). */
  maxBytes: number;
  startTimer?: StartTimer;
}

class TimedOut extends Error {}

const bytesOf = (d: string | Buffer): Buffer => (typeof d === 'string' ? Buffer.from(d, 'utf8') : d);

/** Applies the collector's byte cap across its files, in order; reports whether anything was cut. */
function capFiles(c: Collector, out: CollectorOutput, maxBytes: number): { files: PackageFile[]; cut: boolean } {
  const named: [string, Buffer][] = out.files
    ? Object.entries(out.files).map(([n, d]) => [n, bytesOf(d)])
    : [[c.fileName, bytesOf(out.data ?? '')]];
  let left = maxBytes;
  let cut = false;
  const files: PackageFile[] = [];
  for (const [name, data] of named) {
    if (data.length > left) cut = true;
    files.push({ name: `${c.folder}/${name.replace(/[/\\]/g, '_')}`, data: data.subarray(0, Math.max(0, left)) });
    left = Math.max(0, left - data.length);
  }
  return { files, cut };
}

async function runOne(c: Collector, opts: RunCollectorsOptions, memo: CollectorContext['memo'], controller: AbortController): Promise<{ row: SummaryRow; files: PackageFile[] }> {
  const started = opts.now();
  let cancelTimer = () => {};
  const timeout = new Promise<never>((_, reject) => {
    cancelTimer = (opts.startTimer ?? realTimer)(opts.timeoutMs, () => {
      // Settle as TimedOut before aborting, so a collector that rejects on abort cannot win the race.
      reject(new TimedOut(`timed out after ${opts.timeoutMs} ms`));
      controller.abort(new TimedOut());
    });
  });
  const ctx: CollectorContext = { fs: opts.fs, exec: opts.exec, signal: controller.signal, maxBytes: opts.maxBytes, timeoutMs: opts.timeoutMs, memo };
  const row = (status: CollectorStatus, error: string, files: PackageFile[]): { row: SummaryRow; files: PackageFile[] } => ({
    row: { dataPoint: c.name, folder: c.folder, command: c.command, status, error, bytes: files.reduce((n, f) => n + f.data.length, 0), durationMs: Math.max(0, Math.round(opts.now() - started)) },
    files,
  });
  try {
    const out = await Promise.race([c.collect(ctx), timeout]);
    const { files, cut } = capFiles(c, out, opts.maxBytes);
    return row(cut || out.truncated ? 'Truncated' : 'Succeeded', cut ? `output cut at ${opts.maxBytes} bytes` : out.truncated ? 'a source was cut at its size cap' : '', files);
  } catch (e) {
    opts.signal.throwIfAborted(); // cancel: the whole package stops
    if (e instanceof TimedOut) return row('TimedOut', e.message, []);
    const message = e instanceof Error ? e.message : String(e);
    if (e instanceof NotAvailableError) return row('NotAvailable', message, capFiles(c, { data: `Not available on this device: ${message}\n` }, opts.maxBytes).files);
    return row('Failed', message, []);
  } finally {
    cancelTimer();
    controller.abort(); // stops anything the collector left running (an exec after its result)
  }
}

export async function runCollectors(collectors: readonly Collector[], opts: RunCollectorsOptions): Promise<{ files: PackageFile[]; rows: SummaryRow[] }> {
  opts.signal.throwIfAborted();
  const memos = new Map<string, Promise<unknown>>();
  const memo = <T>(key: string, compute: () => Promise<T>): Promise<T> => {
    if (!memos.has(key)) memos.set(key, compute());
    return memos.get(key) as Promise<T>;
  };
  // One listener on the action's signal fans out to every collector's controller.
  const controllers = collectors.map(() => new AbortController());
  const onAbort = () => controllers.forEach((c) => c.abort(opts.signal.reason));
  opts.signal.addEventListener('abort', onAbort, { once: true });
  try {
    const results = await Promise.all(collectors.map((c, i) => runOne(c, opts, memo, controllers[i])));
    return { files: results.flatMap((r) => r.files), rows: results.map((r) => r.row) };
  } finally {
    opts.signal.removeEventListener('abort', onAbort);
  }
}

export const SUMMARY_FILE = 'CollectionSummaryReport.csv';

export function summaryCsv(rows: readonly SummaryRow[]): string {
  return toCsv(
    ['DataPoint', 'Folder', 'Command', 'Status', 'Error', 'Bytes', 'DurationMs'],
    rows.map((r) => [r.dataPoint, r.folder, r.command, r.status, r.error, r.bytes, r.durationMs]),
  );
}
