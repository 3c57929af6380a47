import type { FastifyBaseLogger } from 'fastify';
import type { LiveSessionService } from '@cordon/core';
import { every, type PeriodicJob } from './every.js';

/**
 * Closes console sessions idle for 30 minutes (IdleTimeout). The close is a compare-and-set in the
 * store, so several server processes running this at once close each session once.
 */
export function startLiveSessionReaper(sessions: LiveSessionService, intervalMs: number, log: FastifyBaseLogger): PeriodicJob {
  return every(intervalMs, 'live session reaper', log, async () => {
    const closed = await sessions.expireIdle();
    if (closed.length > 0) log.info({ count: closed.length }, 'idle live response sessions closed');
  });
}
