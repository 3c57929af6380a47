import type { FastifyBaseLogger } from 'fastify';
import type { ActionService } from '@cordon/core';
import { every, type PeriodicJob } from './every.js';

/**
 * The timeout reaper: moves actions past their deadline to TimeOut. Each run is one UPDATE ...
 * RETURNING in the store, so several server processes on one PostgreSQL can run it at once and
 * each action still times out exactly once.
 */
export function startActionReaper(actions: ActionService, intervalMs: number, log: FastifyBaseLogger): PeriodicJob {
  return every(intervalMs, 'action reaper', log, async () => {
    const expired = await actions.expireDue();
    if (expired.length > 0) log.info({ count: expired.length }, 'actions timed out');
  }, { runNow: true });
}
