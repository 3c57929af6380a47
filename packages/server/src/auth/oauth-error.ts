/**
 * Token-endpoint errors: OAuth2 (RFC 6749 §5.2) in Entra's shape, e.g.
 * `{"error":"invalid_client","error_description":"AADSTS7000215: ...","error_codes":[7000215],...}`.
 * These are the token endpoint's own errors; the MDE API uses the `{"error":{code,...}}` envelope.
 */

export type OAuthErrorCode = 'invalid_request' | 'invalid_client' | 'unauthorized_client' | 'unsupported_grant_type' | 'invalid_scope' | 'temporarily_unavailable' | 'server_error';

export class OAuthError extends Error {
  override name = 'OAuthError';
  constructor(
    readonly status: 400 | 401 | 429 | 500,
    readonly error: OAuthErrorCode,
    /** Entra's AADSTS number, so clients that match on it keep working. */
    readonly aadsts: number,
    message: string,
    /** Sent as `Retry-After` (seconds) with a 429. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

export interface OAuthErrorBody {
  error: OAuthErrorCode;
  error_description: string;
  error_codes: number[];
  timestamp: string;
  trace_id: string;
  correlation_id: string;
}

/** Entra writes `2024-05-01 12:00:00Z` and repeats the ids inside the description. */
export function oauthErrorBody(err: OAuthError, ids: { traceId: string; correlationId: string; now: number }): OAuthErrorBody {
  const timestamp = `${new Date(ids.now).toISOString().slice(0, 19).replace('T', ' ')}Z`;
  return {
    error: err.error,
    error_description: `AADSTS${err.aadsts}: ${err.message} Trace ID: ${ids.traceId} Correlation ID: ${ids.correlationId} Timestamp: ${timestamp}`,
    error_codes: [err.aadsts],
    timestamp,
    trace_id: ids.traceId,
    correlation_id: ids.correlationId,
  };
}

/** The errors the token endpoint raises, with Entra's codes and wording. */
export const oauthErrors = {
  missingParameter: (name: string) => new OAuthError(400, 'invalid_request', 900144, `The request body must contain the following parameter: '${name}'.`),
  unknownTenant: (tenant: string) =>
    new OAuthError(400, 'invalid_request', 90002, `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`),
  unsupportedGrant: (grant: string) => new OAuthError(400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grant}'.`),
  invalidScope: (scope: string) =>
    new OAuthError(
      400,
      'invalid_scope',
      1002012,
      `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
    ),
  unknownClient: (clientId: string, tenant: string) =>
    new OAuthError(400, 'unauthorized_client', 700016, `Application with identifier '${clientId}' was not found in the directory '${tenant}'.`),
  disabledClient: (clientId: string, name: string) => new OAuthError(400, 'unauthorized_client', 7000112, `Application '${clientId}'(${name}) is disabled.`),
  missingSecret: () => new OAuthError(401, 'invalid_client', 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'."),
  badSecret: (clientId: string) =>
    new OAuthError(
      401,
      'invalid_client',
      7000215,
      `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
    ),
  // Entra's own throttling code (a client repeating failing requests); 429 and Retry-After are Cordon's (docs/extensions.md).
  tooManyFailures: (retryAfterSeconds: number) =>
    new OAuthError(429, 'temporarily_unavailable', 50196, `Too many failed attempts for this client from this address; retry after ${retryAfterSeconds} seconds.`, retryAfterSeconds),
  badRequest: (detail: string) => new OAuthError(400, 'invalid_request', 900144, detail),
  serverError: () => new OAuthError(500, 'server_error', 90100, 'An internal error occurred; retry the request.'),
} as const;
