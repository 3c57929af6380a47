import type { FastifyBaseLogger } from 'fastify';
import type { ActionResultService } from '@cordon/core';

/** Results age in days: an hourly sweep deletes them close enough to the day, at no cost. */
export const RESULT_SWEEP_INTERVAL_MS = 3_600_000;

/**
 * The result retention job: deletes results of ended actions they never referenced (when the
 * process that ended them stopped before it could) and results past retention. Safe with several
 * server processes on one PostgreSQL: blob deletes are idempotent and each expiry is marked (and
 * counted) by exactly one UPDATE, as the TimeOut reaper's are.
 */
export function startResultRetention(results: ActionResultService, intervalMs: number, log: FastifyBaseLogger): { stop(): void } {
  let running = false;
  const tick = async () => {
    if (running) return; // a slow run is never overlapped by the next tick
    running = true;
    try {
      const { orphansDeleted, expired } = await results.sweep();
      if (orphansDeleted > 0 || expired > 0) log.info({ orphansDeleted, expired, retentionDays: results.retentionDays }, 'result blobs deleted');
    } catch (err) {
      log.error({ err }, 'result retention failed; will retry');
    } finally {
      running = false;
    }
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  void tick();
  return { stop: () => clearInterval(timer) };
}
