/**
 * People (not applications) signing in from Node: the web UI's session endpoints (`POST
 * /ui/session`, then `POST /ui/session/token` for a short-lived delegated bearer token). Node-only
 * because it sends the session cookie by hand, which browsers forbid (the web UI's cookie travels
 * by itself).
 */
import { CordonApiError, errorFromResponse } from '../errors.js';
import { send, trimSlash, type TokenSource, type TokenSourceOptions } from '../token.js';

const CSRF_HEADER = 'x-cordon-csrf';
const SESSION_COOKIE = 'cordon_session';

/** What a sign-in yields; the cookie is a credential (store it like a secret). */
export interface UserSession {
  /** `cordon_session=<value>`, ready for a Cookie header. */
  cookie: string;
  csrfToken: string;
  tenantId: string;
  user: string;
}

export async function signInUser(serverUrl: string, name: string, password: string, options: Pick<TokenSourceOptions, 'fetch'> = {}): Promise<UserSession> {
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const response = await send(doFetch, `${trimSlash(serverUrl)}/ui/session`, {
    method: 'POST',
    // Sign-in has no session yet, so any CSRF value is accepted; the header must still be there.
    headers: { 'content-type': 'application/json', accept: 'application/json', [CSRF_HEADER]: 'cli' },
    body: JSON.stringify({ name, password }),
  });
  if (!response.ok) throw await errorFromResponse(response);
  const me = (await response.json()) as { csrfToken: string; tenantId: string; user: { name: string } };
  const cookie = response.headers.getSetCookie().map((c) => c.split(';')[0]!.trim()).find((c) => c.startsWith(`${SESSION_COOKIE}=`));
  if (!cookie) throw new CordonApiError(response.status, 'InvalidSignInResponse', 'the server signed in without setting a session cookie');
  return { cookie, csrfToken: me.csrfToken, tenantId: me.tenantId, user: me.user.name };
}

/** Delegated tokens minted from a signed-in session, cached until shortly before `expires_on`. */
export function userSessionTokenSource(serverUrl: string, session: UserSession, options: TokenSourceOptions = {}): TokenSource {
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const now = options.now ?? Date.now;
  const skew = options.refreshSkewMs ?? 60_000;
  let cached: { token: string; refreshAt: number } | undefined;
  return {
    async getToken() {
      if (cached && now() < cached.refreshAt) return cached.token;
      const issuedAt = now();
      const response = await send(doFetch, `${trimSlash(serverUrl)}/ui/session/token`, {
        method: 'POST',
        headers: { accept: 'application/json', cookie: session.cookie, [CSRF_HEADER]: session.csrfToken },
      });
      if (!response.ok) throw await errorFromResponse(response);
      const reply = (await response.json()) as { access_token: string; expires_on: number };
      // `expires_on` is a JWT `exp` (seconds since the epoch).
      const lifetimeMs = reply.expires_on * 1000 - issuedAt;
      cached = { token: reply.access_token, refreshAt: issuedAt + Math.max(lifetimeMs - skew, lifetimeMs / 2) };
      return reply.access_token;
    },
    invalidate() {
      cached = undefined;
    },
  };
}

/**
 * Ends a person's session on the server (`DELETE /ui/session`, as the web UI's sign-out does), so
 * the cookie stops working everywhere. A session that is already gone (401) counts as ended.
 */
export async function signOutUser(serverUrl: string, session: Pick<UserSession, 'cookie' | 'csrfToken'>, options: Pick<TokenSourceOptions, 'fetch'> = {}): Promise<'ended' | 'already-ended'> {
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const response = await send(doFetch, `${trimSlash(serverUrl)}/ui/session`, {
    method: 'DELETE',
    headers: { accept: 'application/json', cookie: session.cookie, [CSRF_HEADER]: session.csrfToken },
  });
  if (response.status === 401) return 'already-ended';
  if (!response.ok) throw await errorFromResponse(response);
  return 'ended';
}
