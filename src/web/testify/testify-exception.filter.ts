import { ArgumentsHost, BadRequestException, Catch, ExceptionFilter, HttpException, Logger, PayloadTooLargeException } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Inject } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../../config/app.config';
import { RetryLaterException } from '../../common/retry-later.exception';
import { SLUG_PATTERN } from '../../testimonies/testimonies.dto';
import { type FieldError, languageOf, TestifyFormError, valuesOf } from './testify-form';
import { type TestifyFormKind, TestifyPages } from './testify-pages.service';

/**
 * Every error of the intake form is a page in the person's language, with no cookie: a refused form
 * (missing text or consent, a file of the wrong type or too large, an unknown receipt) is shown
 * again with the error next to the field and what they typed (files excepted); a closed intake, the
 * throttle, a forgery and a busy server are pages of their own. Nothing of what was typed is logged:
 * an internal error logs its stack only.
 */
@Catch()
export class TestifyExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('TestifyExceptionFilter');
  private readonly maxMb: number;
  private readonly maxFiles: number;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly pages: TestifyPages,
  ) {
    this.maxMb = Math.round(config.testimony.fileMaxBytes / 1024 / 1024);
    this.maxFiles = config.testimony.maxFiles;
  }

  catch(exception: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<Request>();
    const response = host.switchToHttp().getResponse<Response>();
    const lang = languageOf(request);
    const status = exception instanceof HttpException ? exception.getStatus() : 500;
    const slug = String(request.params?.slug ?? '').toLowerCase();
    const send = (code: number, html: string) => response.status(code).setHeader('Cache-Control', 'no-store').type('html').send(html);
    const fieldErrors = request.method === 'POST' && SLUG_PATTERN.test(slug) ? this.fieldErrorsOf(exception) : null;
    if (fieldErrors) {
      send(status, this.pages.form(formKindOf(request.path), slug, lang, valuesOf(request.body), fieldErrors));
      return;
    }
    const back = SLUG_PATTERN.test(slug) ? `/testify/${slug}?lang=${lang}` : null;
    if (status === 404) return void send(404, this.pages.page('testify-message', lang, 'errors.notFoundTitle', { message: 'errors.notFound' }));
    if (status === 403) return void send(403, this.pages.page('testify-message', lang, 'errors.forbiddenTitle', { message: 'errors.forbidden', back }));
    if (status === 429) {
      const minutes = Math.max(1, Math.ceil(Number(response.getHeader('Retry-After') ?? 60) / 60));
      return void send(429, this.pages.page('testify-message', lang, 'errors.tooManyTitle', { message: 'errors.tooMany', values: { minutes }, hint: 'errors.tooManyBack' }));
    }
    if (exception instanceof RetryLaterException) {
      response.setHeader('Retry-After', String(exception.retryAfterSeconds));
      return void send(503, this.pages.page('testify-message', lang, 'errors.busyTitle', { message: 'errors.busy', values: { seconds: exception.retryAfterSeconds }, hint: 'errors.tooManyBack' }));
    }
    this.logger.error(exception instanceof Error ? exception.stack : 'a non-error was thrown');
    send(500, this.pages.page('testify-message', lang, 'errors.serverTitle', { message: 'errors.server', back }));
  }

  /** The refusals a person can correct on the form, as catalogue keys; null for any other error. */
  private fieldErrorsOf(exception: unknown): FieldError[] | null {
    if (exception instanceof TestifyFormError) return exception.errors;
    if (exception instanceof PayloadTooLargeException) return [{ field: 'files', key: 'errors.fileTooLarge', values: { size: this.maxMb } }];
    if (!(exception instanceof BadRequestException)) return null;
    const body = exception.getResponse() as { message?: unknown; details?: unknown };
    const details = Array.isArray(body.details) ? (body.details as { field?: unknown }[]) : [];
    const fields = details.map((detail) => String(detail.field ?? ''));
    const file = fields.map((field) => /^files\[(\d+)\]$/.exec(field)).find(Boolean);
    if (file) return [{ field: 'files', key: 'errors.fileType', values: { position: Number(file[1]) + 1 } }];
    if (String(body.message ?? '').startsWith('files:')) return [{ field: 'files', key: 'errors.tooManyFiles', values: { count: this.maxFiles } }];
    if (fields.includes('receipt')) return [{ field: 'receipt', key: 'errors.receipt' }];
    if (fields.includes('text')) return [{ field: 'text', key: 'errors.addNothing' }];
    if (fields.includes('affectedPersons')) return [{ field: 'groups', key: 'errors.choices' }];
    return [{ field: 'themes', key: 'errors.choices' }];
  }
}

function formKindOf(path: string): TestifyFormKind {
  return path.endsWith('/add') ? 'add' : path.endsWith('/withdraw') ? 'withdraw' : 'form';
}
