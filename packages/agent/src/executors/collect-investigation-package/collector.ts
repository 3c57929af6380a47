/** The collector contract: one module per data point of the investigation package. */
import type { ReadFs } from '../../platform/read-fs.js';
import type { Exec } from '../../platform/types.js';

export interface CollectorContext {
  fs: ReadFs;
  exec: Exec;
  /** Aborted when this collector times out or the action is cancelled. */
  signal: AbortSignal;
  /** Byte cap of this collector's output (and of each file or tool output it reads). */
  maxBytes: number;
  timeoutMs: number;
  /** Facts several collectors share (passwd, the /proc fd scan), computed once per package. */
  memo<T>(key: string, compute: () => Promise<T>): Promise<T>;
}

export interface CollectorOutput {
  /** The bytes of `<folder>/<fileName>`. */
  data?: string | Buffer;
  /** Multi-file data points (one file per user): file name -> bytes, inside `folder`. */
  files?: Record<string, string | Buffer>;
  /** A source was cut at its cap while collecting. */
  truncated?: boolean;
}

export interface Collector {
  /** The summary's DataPoint. */
  name: string;
  /** Folder inside the zip (mirrors the MDE layout, mde-api.md §6). */
  folder: string;
  /** File written in `folder`; for multi-file collectors a pattern such as `<user>.txt`. */
  fileName: string;
  /** What was run or read, in words, for the summary's Command column. */
  command: string;
  collect(ctx: CollectorContext): Promise<CollectorOutput>;
}

/** Thrown when the data point does not exist on this device (no systemd, no Samba...). */
export class NotAvailableError extends Error {
  override name = 'NotAvailableError';
}
