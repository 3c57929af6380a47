/**
 * The signed-in person: the session cookie (HttpOnly, set by the server) authenticates `/ui/*`;
 * `/api/*` is called with a short-lived delegated bearer token fetched through the cookie, so the
 * browser uses exactly the API, permission checks and `requestor` naming every other client sees.
 */
import { CordonApiError, CordonClient, errorFromResponse, type TokenSource } from '@cordon/api-client';
import { isAllowed, type OperationId } from '@cordon/protocol';

export interface Me {
  user: { id: string; name: string; displayName: string; roles: string[]; permissions: string[] };
  tenantId: string;
  csrfToken: string;
  expiresAt: string;
}

const CSRF_HEADER = 'x-cordon-csrf';

async function ui<T>(method: string, path: string, csrf: string | undefined, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (csrf !== undefined) headers[CSRF_HEADER] = csrf;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' });
  if (!res.ok) throw await errorFromResponse(res);
  return (res.status === 204 ? undefined : await res.json()) as T;
}

/** The current session, or undefined when not signed in. */
export async function loadMe(): Promise<Me | undefined> {
  try {
    return await ui<Me>('GET', '/ui/me', undefined);
  } catch (err) {
    if (err instanceof CordonApiError && err.status === 401) return undefined;
    throw err;
  }
}

/** What the sign-in page offers besides a password: OIDC when the server has an issuer configured. */
export interface UiConfig {
  oidc: { issuerHost: string; loginUrl: string } | null;
}

export async function loadUiConfig(): Promise<UiConfig> {
  try {
    return await ui<UiConfig>('GET', '/ui/config', undefined);
  } catch {
    // An older server or a hiccup: the password form still works.
    return { oidc: null };
  }
}

export function signIn(name: string, password: string): Promise<Me> {
  // No session yet, so no CSRF token: any value proves the request came from script on our origin.
  return ui<Me>('POST', '/ui/session', '1', { name, password });
}

export async function signOut(me: Me): Promise<void> {
  await ui<void>('DELETE', '/ui/session', me.csrfToken);
}

/** Delegated tokens from `/ui/session/token`, reused until a minute before they expire. */
export function sessionTokenSource(me: Me): TokenSource {
  let cached: { token: string; refreshAt: number } | undefined;
  let inflight: Promise<string> | undefined;
  return {
    async getToken() {
      if (cached && Date.now() < cached.refreshAt) return cached.token;
      inflight ??= ui<{ access_token: string; expires_on: number }>('POST', '/ui/session/token', me.csrfToken)
        .then((r) => {
          cached = { token: r.access_token, refreshAt: r.expires_on * 1000 - 60_000 };
          return r.access_token;
        })
        .finally(() => {
          inflight = undefined;
        });
      return inflight;
    },
    invalidate() {
      cached = undefined;
    },
  };
}

export function apiClient(me: Me): CordonClient {
  return new CordonClient({ baseUrl: window.location.origin, token: sessionTokenSource(me) });
}

/** Whether the person's roles allow an API operation (buttons are disabled otherwise). */
export function can(me: Me, operation: OperationId): boolean {
  return isAllowed(operation, { kind: 'delegated', permissions: me.user.permissions });
}
