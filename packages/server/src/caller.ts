/**
 * Who is calling: set on every authenticated request by the auth plugin, read by routes.
 * Routes declare what they need in their route config:
 *
 *   app.post('/machines/:id/isolate', { config: { operation: 'isolate', rateFamily: 'default' } }, handler)
 *
 * The auth plugin checks `operation` against the caller's permissions (protocol OPERATION_PERMISSIONS);
 * the rate-limit plugin counts the call in `rateFamily` (defaults to 'default'). Routes without an
 * `operation` are public (token endpoint, JWKS, health, signed download links).
 */
import type { OperationId } from '@cordon/protocol';

export interface Caller {
  tenantId: string;
  /** 'app' for client-credentials tokens (`roles`), 'delegated' for user tokens (`scp`). */
  kind: 'app' | 'delegated';
  /** App client id, or the user's object id. */
  principalId: string;
  /** Becomes the `requestor` of actions: the app's display name or the user's name/UPN. */
  name: string;
  permissions: readonly string[];
}

/** Rate-limit families (mde-api.md §3); each has its own per-app budget. */
export type RateFamily = 'default' | 'getPackageUri' | 'runLiveResponse' | 'startInvestigation';

export interface RateLimitRule {
  /** Calls per minute; null for no per-minute limit. */
  perMinute: number | null;
  /** Calls per hour; null for no per-hour limit. */
  perHour: number | null;
}

export const DEFAULT_RATE_LIMITS: Readonly<Record<RateFamily, RateLimitRule>> = {
  default: { perMinute: 100, perHour: 1500 }, // every endpoint (mde-api.md §3)
  getPackageUri: { perMinute: 2, perHour: 120 }, // D-sas
  runLiveResponse: { perMinute: 10, perHour: null }, // D-lr
  startInvestigation: { perMinute: null, perHour: 50 }, // D-air
};

export interface CordonRouteConfig {
  operation?: OperationId;
  rateFamily?: RateFamily;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the auth plugin on routes that declare an `operation`. */
    caller: Caller | undefined;
  }
  // Declaration merging: Fastify's route config gains Cordon's fields; an interface is the only way.
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- see the line above
  interface FastifyContextConfig extends CordonRouteConfig {}
}
