/**
 * Runs `work` every `intervalMs` (unref'd, so it never keeps the process alive), never two runs at
 * once: a slow run makes the next ticks skip instead of piling up. A failure is logged and the
 * next tick tries again. Every periodic job of the server uses this one loop.
 */
import type { FastifyBaseLogger } from 'fastify';

export interface PeriodicJob {
  stop(): void;
}

export function every(intervalMs: number, what: string, log: Pick<FastifyBaseLogger, 'error'>, work: () => Promise<unknown>, options: { runNow?: boolean } = {}): PeriodicJob {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      await work();
    } catch (err) {
      log.error({ err }, `${what} failed; will retry`);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), intervalMs);
  timer.unref();
  if (options.runNow) void tick();
  return { stop: () => clearInterval(timer) };
}
