import type { FastifyBaseLogger } from 'fastify';
import { toMdeTimestamp } from '@cordon/protocol';
import type { Clock, MachineStore } from '@cordon/core';

/**
 * Marks machines Inactive once they have been silent (no heartbeat, no hello) for
 * `inactiveAfterMs`; heartbeats set them Active again (dispatch hub). One UPDATE per run, so
 * several server processes may run it at once.
 */
export function startHealthJob(deps: { machines: MachineStore; clock: Clock; inactiveAfterMs: number; intervalMs: number; log: FastifyBaseLogger }): { stop(): void; runOnce(): Promise<number> } {
  const runOnce = () => deps.machines.markInactive(toMdeTimestamp(deps.clock.now() - deps.inactiveAfterMs));
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    runOnce()
      .then((n) => n > 0 && deps.log.info({ count: n }, 'machines marked Inactive'))
      .catch((err: unknown) => deps.log.error({ err }, 'health job failed; will retry'))
      .finally(() => {
        running = false;
      });
  }, deps.intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer), runOnce };
}
