/**
 * The investigation package's collectors read /proc and /etc through a CollectorContext; the
 * console's processes, connections and persistence run the same code through one made here.
 */
import type { CollectorContext } from '../../executors/collect-investigation-package/collector.js';
import { LiveCommandError, type LiveCommandContext } from '../types.js';

/** What one /proc or /etc source may hold (a busy host's /proc/net/tcp stays far below). */
const MAX_SOURCE_BYTES = 32 * 1024 * 1024;

export function collectorContext(ctx: LiveCommandContext, timeoutMs: number): CollectorContext {
  const { readFs } = ctx.platform;
  if (!readFs) throw new LiveCommandError('this agent platform cannot read /proc');
  const memo = new Map<string, Promise<unknown>>();
  return {
    fs: readFs,
    exec: ctx.platform.exec,
    signal: ctx.signal,
    maxBytes: MAX_SOURCE_BYTES,
    timeoutMs,
    memo<T>(key: string, compute: () => Promise<T>): Promise<T> {
      if (!memo.has(key)) memo.set(key, compute());
      return memo.get(key) as Promise<T>;
    },
  };
}
