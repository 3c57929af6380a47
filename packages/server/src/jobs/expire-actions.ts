import type { FastifyBaseLogger } from 'fastify';
import type { ActionService } from '@cordon/core';

/**
 * The timeout reaper: moves actions past their deadline to TimeOut. Each run is one UPDATE ...
 * RETURNING in the store, so several server processes on one PostgreSQL can run it at once and
 * each action still times out exactly once.
 */
export function startActionReaper(actions: ActionService, intervalMs: number, log: FastifyBaseLogger): { stop(): void } {
  let running = false;
  const tick = async () => {
    if (running) return; // a slow run is never overlapped by the next tick
    running = true;
    try {
      const expired = await actions.expireDue();
      if (expired.length > 0) log.info({ count: expired.length }, 'actions timed out');
    } catch (err) {
      log.error({ err }, 'action reaper failed; will retry');
    } finally {
      running = false;
    }
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  void tick();
  return { stop: () => clearInterval(timer) };
}
