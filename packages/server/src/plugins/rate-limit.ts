/**
 * Per-caller rate limits in two fixed windows, a minute and an hour, per family (mde-api.md §2.3,
 * §3). Counters live behind the RateLimitStore port, so every process on one database counts
 * together. Excess → 429 TooManyRequests with `Retry-After` in whole seconds.
 */
import type { FastifyPluginAsync } from 'fastify';
import { DomainError, type Clock, type RateLimitStore } from '@cordon/core';
import { DEFAULT_RATE_LIMITS, type RateFamily, type RateLimitRule } from '../caller.js';

export { DEFAULT_RATE_LIMITS, type RateLimitRule };
import { globalPlugin } from './global-plugin.js';

export interface RateLimitOptions {
  store: RateLimitStore;
  clock: Clock;
  /** Overrides by family; families not listed keep the defaults, unknown families use 'default'. */
  limits?: Readonly<Partial<Record<RateFamily | (string & {}), RateLimitRule>>>;
  /** How often old windows are deleted (ms); default 10 minutes. */
  pruneIntervalMs?: number;
}

const MINUTE = 60_000;
const HOUR = 3_600_000;
const WINDOWS = [
  { span: MINUTE, rule: 'perMinute', suffix: 'm', label: 'minute' },
  { span: HOUR, rule: 'perHour', suffix: 'h', label: 'hour' },
] as const;

export const rateLimitPlugin: FastifyPluginAsync<RateLimitOptions> = globalPlugin('cordon-rate-limit', async (app, options) => {
  const limits: Record<string, RateLimitRule> = { ...DEFAULT_RATE_LIMITS, ...options.limits } as Record<string, RateLimitRule>;
  const pruneEvery = options.pruneIntervalMs ?? 10 * MINUTE;
  let lastPrune = options.clock.now();

  // preParsing runs after every onRequest hook, so the auth plugin has set request.caller by now
  // whatever the registration order, and an over-limit caller's body is never read.
  app.addHook('preParsing', async (request, reply) => {
    const caller = request.caller;
    if (!caller) return; // public route, or refused by auth already
    const family = request.routeOptions.config.rateFamily ?? 'default';
    const rule = limits[family] ?? limits.default!;
    const now = options.clock.now();
    maybePrune(now);

    // MDE's 100/min and 1,500/h apply to each API separately (mde-api.md §3), so the default
    // family counts per operation; named families (getPackageUri...) have their own budget.
    const bucket = family === 'default' ? `op:${request.routeOptions.config.operation ?? 'unknown'}` : family;
    const base = `${caller.tenantId}|${caller.principalId}|${bucket}`;
    const counted = await Promise.all(
      WINDOWS.filter((w) => rule[w.rule] !== null).map(async (w) => {
        const start = Math.floor(now / w.span) * w.span;
        const count = await options.store.hit(`${base}|${w.suffix}`, start);
        return { ...w, limit: rule[w.rule]!, count, retryAfter: Math.max(1, Math.ceil((start + w.span - now) / 1000)) };
      }),
    );
    // When both windows are exhausted, the caller must wait for the later one.
    const over = counted.filter((c) => c.count > c.limit).sort((a, b) => b.retryAfter - a.retryAfter)[0];
    if (!over) return;
    reply.header('retry-after', String(over.retryAfter));
    throw new DomainError(
      'TooManyRequests',
      `Rate limit of ${over.limit} calls per ${over.label} exceeded${family === 'default' ? '' : ` for ${family}`}; retry after ${over.retryAfter} seconds`,
    );
  });

  function maybePrune(now: number): void {
    if (now - lastPrune < pruneEvery) return;
    lastPrune = now;
    // Every minute window and every hour window that started over an hour ago has ended.
    options.store.prune(now - HOUR).catch((err: unknown) => app.log.warn({ err }, 'rate-limit prune failed'));
  }
});
