/** Builds the investigation package zip: every collector's files, every folder, and the summary. */
import type { ZipEntry, ZipWriter } from '../../platform/zip.js';
import type { Collector } from './collector.js';
import { COLLECTORS } from './collectors/index.js';
import { runCollectors, SUMMARY_FILE, summaryCsv, type RunCollectorsOptions, type SummaryRow } from './run-collectors.js';

export const DEFAULT_COLLECTOR_TIMEOUT_MS = 3_000;
export const DEFAULT_COLLECTOR_MAX_BYTES = 16 * 1024 * 1024;

export interface BuildPackageOptions extends Omit<RunCollectorsOptions, 'timeoutMs' | 'maxBytes'> {
  zip: ZipWriter;
  destPath: string;
  collectors?: readonly Collector[];
  timeoutMs?: number;
  maxBytes?: number;
}

export interface BuiltPackage {
  size: number;
  sha256: string;
  rows: SummaryRow[];
}

export async function buildInvestigationPackage(opts: BuildPackageOptions): Promise<BuiltPackage> {
  const collectors = opts.collectors ?? COLLECTORS;
  const { files, rows } = await runCollectors(collectors, {
    ...opts,
    timeoutMs: opts.timeoutMs ?? DEFAULT_COLLECTOR_TIMEOUT_MS,
    maxBytes: opts.maxBytes ?? DEFAULT_COLLECTOR_MAX_BYTES,
  });
  opts.signal.throwIfAborted();
  // Every folder gets an entry even when its collectors produced nothing (failed or timed out),
  // so the layout is the same on every device.
  const folders = [...new Set(collectors.map((c) => c.folder))];
  const entries: ZipEntry[] = [
    ...folders.map((f) => ({ name: `${f}/` })),
    ...files,
    { name: SUMMARY_FILE, data: Buffer.from(summaryCsv(rows), 'utf8') },
  ];
  const { size, sha256 } = await opts.zip.writeZip(opts.destPath, entries, { signal: opts.signal, mtime: new Date(opts.now()) });
  return { size, sha256, rows };
}
