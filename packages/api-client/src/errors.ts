/**
 * The one error type the client throws for anything the server (or its token endpoint) refused.
 * Callers branch on `code`, never on `instanceof` alone (house style 8.7: class identity breaks
 * across duplicate package copies), so `isCordonApiError` checks a brand instead.
 */
const BRAND = Symbol.for('cordon.api-error');

export class CordonApiError extends Error {
  override name = 'CordonApiError';
  readonly [BRAND] = true;
  constructor(
    /** HTTP status; 0 when the server could not be reached at all. */
    readonly status: number,
    /** MDE error code (`ResourceNotFound`, ...) or the OAuth2 error (`invalid_client`, ...). */
    readonly code: string,
    message: string,
    /** The server's correlation id for this request (`error.target`), when it sent one. */
    readonly target: string | null = null,
    /** With a 429: the server's `Retry-After`, in seconds, when it sent one. */
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
  }
}

export function isCordonApiError(value: unknown): value is CordonApiError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}

/**
 * Maps a failed response to CordonApiError. Understands the MDE envelope
 * `{"error":{"code","message","target"}}` (mde-api.md §2.2) and Entra's OAuth2 error shape
 * `{"error":"invalid_client","error_description":"...","correlation_id":"..."}` (§1.2).
 */
export async function errorFromResponse(response: Response): Promise<CordonApiError> {
  const text = await response.text().catch(() => '');
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (isObject(body)) {
    const error = body.error;
    if (isObject(error) && typeof error.code === 'string') {
      const target = typeof error.target === 'string' ? error.target : response.headers.get('request-id');
      return new CordonApiError(response.status, error.code, String(error.message ?? ''), target, retryAfterOf(response));
    }
    if (typeof error === 'string') {
      const target = typeof body.correlation_id === 'string' ? body.correlation_id : null;
      return new CordonApiError(response.status, error, String(body.error_description ?? error), target);
    }
  }
  // Not one of our shapes (a proxy's HTML page, say): keep a short excerpt so the user sees it.
  const excerpt = text.replace(/\s+/g, ' ').trim().slice(0, 200);
  return new CordonApiError(response.status, `Http${response.status}`, excerpt || response.statusText || 'request failed', response.headers.get('request-id'));
}

/** `Retry-After` as delta-seconds (what the rate limiter sends); an HTTP-date or junk counts as absent. */
function retryAfterOf(response: Response): number | null {
  const value = response.headers.get('retry-after');
  if (value === null || !/^\d+$/.test(value.trim())) return null;
  return Number(value.trim());
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
