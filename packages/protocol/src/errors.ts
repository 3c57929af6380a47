/**
 * The error catalog: MDE's codes (mde-api.md §2.2) with their HTTP status and default message.
 * Every error the API returns uses one of these codes in `{"error":{"code","message","target"}}`.
 */
export const ERROR_CODES = {
  BadRequest: { status: 400, message: 'Bad request' },
  ODataError: { status: 400, message: 'Invalid OData query' },
  InvalidInput: { status: 400, message: 'Invalid input' },
  InvalidRequestBody: { status: 400, message: 'Invalid request body' },
  InvalidHashValue: { status: 400, message: 'Hash value is invalid' },
  InvalidDomainName: { status: 400, message: 'Domain name is invalid' },
  InvalidIpAddress: { status: 400, message: 'IP address is invalid' },
  InvalidUrl: { status: 400, message: 'URL is invalid' },
  MaximumBatchSizeExceeded: { status: 400, message: 'Maximum batch size exceeded' },
  MissingRequiredParameter: { status: 400, message: 'A required parameter is missing' },
  OsPlatformNotSupported: { status: 400, message: "OS platform isn't supported for this action" },
  ClientVersionNotSupported: { status: 400, message: "Client version isn't supported for this action" },
  /** Duplicate of a Pending/InProgress action (mde-api.md §9.2; clients match this code). */
  ActiveRequestAlreadyExists: { status: 400, message: 'Action is already in progress' },
  /** Cordon: cancel of an action that already reached a final status (mde-api.md §4.8 leaves it open). */
  ActionAlreadyCompleted: { status: 400, message: 'Action has already completed and cannot be cancelled' },
  /** Cordon: a request the resource's state does not allow (approve/reject of an investigation not PendingApproval). */
  InvalidRequest: { status: 400, message: "The request is not valid in the resource's current state" },
  Unauthorized: { status: 401, message: 'Authorization header is missing, invalid or expired' },
  Forbidden: { status: 403, message: 'Insufficient permissions' },
  DisabledFeature: { status: 403, message: 'Feature is not enabled for this tenant' },
  DisallowedOperation: { status: 403, message: 'Operation is not allowed' },
  /** @extension Cordon: a live response console session needs the device connected (it is not, or did not answer). */
  DeviceNotConnected: { status: 409, message: 'The device is not connected' },
  NotFound: { status: 404, message: 'Not found' },
  ResourceNotFound: { status: 404, message: 'Resource was not found' },
  MethodNotAllowed: { status: 405, message: 'Method not allowed' },
  /** Cordon: no request arrived in time (server `requestTimeout`). */
  RequestTimeout: { status: 408, message: 'The request was not received in time' },
  PayloadTooLarge: { status: 413, message: 'Request body is too large' },
  UnsupportedMediaType: { status: 415, message: 'Unsupported content type' },
  TooManyRequests: { status: 429, message: 'Too many requests' },
  /** Cordon: request headers over the server's `maxHeaderSize`. */
  RequestHeaderFieldsTooLarge: { status: 431, message: 'Request header fields are too large' },
  InternalServerError: { status: 500, message: 'Internal server error' },
  ServiceUnavailable: { status: 503, message: 'Service unavailable' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** The wire error body. `target` is the request id (also in the server's log line). */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; target: string };
}

export function isErrorCode(code: string): code is ErrorCode {
  return Object.prototype.hasOwnProperty.call(ERROR_CODES, code);
}
