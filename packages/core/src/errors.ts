import type { ErrorCode } from '@cordon/protocol';

/**
 * The one error core throws. It carries an MDE error code, never an HTTP status: the server's
 * error handler maps code -> status through the protocol catalog. Branch on `code`, not instanceof.
 */
export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(code: ErrorCode, message: string, options: { cause?: unknown; details?: Record<string, unknown> } = {}) {
    super(message, { cause: options.cause });
    this.name = 'DomainError';
    this.code = code;
    this.details = options.details;
  }
}

export function isDomainError(value: unknown): value is DomainError {
  return typeof value === 'object' && value !== null && (value as { name?: unknown }).name === 'DomainError' && typeof (value as { code?: unknown }).code === 'string';
}
