import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ErrorBody } from './errors';
import { RetryLaterException } from './retry-later.exception';

const STATUS_NAMES: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict',
  413: 'Payload Too Large', 415: 'Unsupported Media Type', 422: 'Unprocessable Entity', 429: 'Too Many Requests', 500: 'Internal Server Error',
  503: 'Service Unavailable',
};

const NOT_FOUND_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Not found · UPR follow-up</title><link rel="stylesheet" href="/assets/app.css"></head>
<body><main id="main"><h1>Not found</h1><p class="error-message">There is no page at this address.</p>
<p><a href="/">Go to the dashboard</a></p></main></body></html>`;

/**
 * Gives every error the same shape, `{ statusCode, error, message, details }`, including the ones
 * raised by Express before Nest sees the request (bad JSON, oversized bodies), and never leaks an
 * internal error's text to the client.
 */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const request = host.switchToHttp().getRequest<Request>();
    const body = this.toBody(exception);
    // A refusal because the server is busy is expected under load: it is not logged as a fault.
    if (exception instanceof RetryLaterException) response.setHeader('Retry-After', String(exception.retryAfterSeconds));
    else if (body.statusCode >= 500) this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    // A mistyped page address in a browser gets a page, not JSON (pages' own errors have their filter).
    if (body.statusCode === 404 && !request.path.startsWith('/api/') && request.accepts(['json', 'html']) === 'html') {
      response.status(404).type('html').send(NOT_FOUND_PAGE);
      return;
    }
    response.status(body.statusCode).json(body);
  }

  private toBody(exception: unknown): ErrorBody {
    // Nest hands Express's body-parser errors over wrapped in an HttpException, the original as its cause.
    const parserError = (exception instanceof HttpException ? exception.cause : exception) as { status?: number; type?: string } | undefined;
    if (parserError?.status === HttpStatus.PAYLOAD_TOO_LARGE) {
      return { statusCode: 413, error: STATUS_NAMES[413], message: 'The request body is larger than this server accepts' };
    }
    if (parserError?.status === HttpStatus.BAD_REQUEST && parserError.type === 'entity.parse.failed') {
      return { statusCode: 400, error: STATUS_NAMES[400], message: 'The request body is not valid JSON', details: [{ field: 'body', problem: 'not valid JSON' }] };
    }
    if (exception instanceof HttpException) {
      const statusCode = exception.getStatus();
      const raw = exception.getResponse();
      const base = { statusCode, error: STATUS_NAMES[statusCode] ?? 'Error' };
      if (typeof raw === 'string') return { ...base, message: raw };
      const record = raw as Record<string, unknown>;
      const message = Array.isArray(record.message) ? record.message.join('; ') : String(record.message ?? exception.message);
      return { ...base, error: String(record.error ?? base.error), message, details: record.details };
    }
    return { statusCode: 500, error: STATUS_NAMES[500], message: 'Something went wrong on our side; it has been logged' };
  }
}
