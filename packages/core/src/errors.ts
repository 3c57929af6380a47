import type { ErrorCode } from '@cordon/protocol';

/**
 * The one error core throws. It carries an MDE error code, never an HTTP status: the server's
 * error handler maps code -> status through the protocol catalog. Branch on `code`, not instanceof.
 */
export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly details: Readonly<Record<string, unknown>> | undefined;
  /**
   * The message of a 5xx error is written for the client (what the operator must do), so it is
   * sent; otherwise a 5xx answers only the catalog's text, as its message may carry internals.
   */
  readonly forClient: boolean;

  constructor(code: ErrorCode, message: string, options: { cause?: unknown; details?: Record<string, unknown>; forClient?: boolean } = {}) {
    super(message, { cause: options.cause });
    this.name = 'DomainError';
    this.code = code;
    this.details = options.details;
    this.forClient = options.forClient ?? false;
  }
}

export function isDomainError(value: unknown): value is DomainError {
  return typeof value === 'object' && value !== null && (value as { name?: unknown }).name === 'DomainError' && typeof (value as { code?: unknown }).code === 'string';
}
