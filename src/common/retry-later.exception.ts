import { HttpStatus, ServiceUnavailableException } from '@nestjs/common';

/**
 * 503 for work refused because the server is busy (or a helper process is restarting), with the
 * seconds to wait: the exception filters turn `retryAfterSeconds` into a `Retry-After` header, so
 * clients and proxies can back off without reading the body.
 */
export class RetryLaterException extends ServiceUnavailableException {
  constructor(
    readonly retryAfterSeconds: number,
    message: string,
    details: Record<string, unknown> = {},
  ) {
    super({ statusCode: HttpStatus.SERVICE_UNAVAILABLE, error: 'Service Unavailable', message, details: { ...details, retryAfterSeconds } });
  }
}
