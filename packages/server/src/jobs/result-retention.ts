import type { FastifyBaseLogger } from 'fastify';
import type { ActionResultService } from '@cordon/core';
import { every, type PeriodicJob } from './every.js';

/** Results age in days: an hourly sweep deletes them close enough to the day, at no cost. */
export const RESULT_SWEEP_INTERVAL_MS = 3_600_000;

/**
 * The result retention job: deletes results of ended actions they never referenced (when the
 * process that ended them stopped before it could) and results past retention. Safe with several
 * server processes on one PostgreSQL: blob deletes are idempotent and each expiry is marked (and
 * counted) by exactly one UPDATE, as the TimeOut reaper's are.
 */
export function startResultRetention(results: ActionResultService, intervalMs: number, log: FastifyBaseLogger): PeriodicJob {
  return every(intervalMs, 'result retention', log, async () => {
    const { orphansDeleted, expired } = await results.sweep();
    if (orphansDeleted > 0 || expired > 0) log.info({ orphansDeleted, expired, retentionDays: results.retentionDays }, 'result blobs deleted');
  }, { runNow: true });
}
