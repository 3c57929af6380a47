/**
 * Web sessions: a random id in an HttpOnly cookie, stored server-side only as its SHA-256 with an
 * absolute expiry, plus a per-session CSRF token the SPA must echo in `x-cordon-csrf` on every
 * state-changing cookie-authenticated request.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { toMdeTimestamp } from '@cordon/protocol';
import type { Clock } from '@cordon/core';
import type { SessionRecord, UserRecord, UserStore } from '@cordon/store';

/** Default absolute session lifetime: a working day. */
export const DEFAULT_SESSION_TTL_MS = 12 * 3600_000;

export interface ActiveSession {
  session: SessionRecord;
  user: UserRecord;
}

export interface SessionManager {
  /** Starts a session; returns the cookie value (shown to the browser only). */
  create(user: UserRecord): Promise<{ cookieValue: string; session: SessionRecord }>;
  /** The live session and its (enabled) user for a cookie value, or undefined. */
  resolve(cookieValue: string | undefined): Promise<ActiveSession | undefined>;
  destroy(cookieValue: string): Promise<void>;
  ttlMs: number;
}

export function hashSessionId(cookieValue: string): string {
  return createHash('sha256').update(cookieValue).digest('hex');
}

export function createSessionManager(deps: { users: UserStore; clock: Clock; ttlMs?: number }): SessionManager {
  const ttlMs = deps.ttlMs ?? DEFAULT_SESSION_TTL_MS;
  return {
    ttlMs,
    async create(user) {
      const cookieValue = randomBytes(32).toString('base64url');
      const now = deps.clock.now();
      const session: SessionRecord = {
        idHash: hashSessionId(cookieValue),
        userId: user.id,
        tenantId: user.tenantId,
        csrfToken: randomBytes(24).toString('base64url'),
        createdAt: toMdeTimestamp(now),
        expiresAt: toMdeTimestamp(now + ttlMs),
      };
      await deps.users.createSession(session);
      return { cookieValue, session };
    },
    async resolve(cookieValue) {
      if (!cookieValue || !/^[A-Za-z0-9_-]{20,100}$/.test(cookieValue)) return undefined;
      const session = await deps.users.getSession(hashSessionId(cookieValue), toMdeTimestamp(deps.clock.now()));
      if (!session) return undefined;
      const user = await deps.users.getUser(session.userId);
      // A disabled or deleted person loses every session at once.
      if (!user || user.disabled) return undefined;
      return { session, user };
    },
    async destroy(cookieValue) {
      await deps.users.deleteSession(hashSessionId(cookieValue));
    },
  };
}

/** Constant-time comparison of the CSRF header with the session's token. */
export function csrfMatches(header: unknown, expected: string): boolean {
  if (typeof header !== 'string') return false;
  const a = Buffer.from(header);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
