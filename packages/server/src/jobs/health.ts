import type { FastifyBaseLogger } from 'fastify';
import { toMdeTimestamp } from '@cordon/protocol';
import type { Clock, MachineStore } from '@cordon/core';
import { every } from './every.js';

/**
 * Marks machines Inactive once they have been silent (no heartbeat, no hello) for
 * `inactiveAfterMs`; heartbeats set them Active again (dispatch hub, whose batched lastSeen writes
 * lag a heartbeat by at most a quarter heartbeat interval). One UPDATE per run, so
 * several server processes may run it at once.
 */
export function startHealthJob(deps: { machines: MachineStore; clock: Clock; inactiveAfterMs: number; intervalMs: number; log: FastifyBaseLogger }): { stop(): void; runOnce(): Promise<number> } {
  const runOnce = () => deps.machines.markInactive(toMdeTimestamp(deps.clock.now() - deps.inactiveAfterMs));
  const job = every(deps.intervalMs, 'health job', deps.log, async () => {
    const n = await runOnce();
    if (n > 0) deps.log.info({ count: n }, 'machines marked Inactive');
  });
  return { stop: () => job.stop(), runOnce };
}
